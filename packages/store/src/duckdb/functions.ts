import { normalisePhone } from '@ahub/core'
import { type DuckDBConnection, DuckDBScalarFunction, VARCHAR } from '@duckdb/node-api'

/**
 * Registers the identity functions SQL needs but cannot express: `ahub_phone_e164(raw, country)`
 * returns the E.164 form of a phone number, or NULL when it is not a valid number.
 */
export function registerIdentityFunctions(conn: DuckDBConnection): void {
  conn.registerScalarFunction(
    DuckDBScalarFunction.create({
      name: 'ahub_phone_e164',
      returnType: VARCHAR,
      parameterTypes: [VARCHAR, VARCHAR],
      specialHandling: true,
      mainFunction: (_info, input, output) => {
        const values = input.getColumnVector(0)
        const countries = input.getColumnVector(1)
        for (let i = 0; i < input.rowCount; i++) {
          const raw = values.getItem(i) as string | null
          if (raw === null) {
            output.setItem(i, null)
            continue
          }
          const country = countries.getItem(i) as string | null
          const result = normalisePhone(raw, country ?? undefined)
          output.setItem(i, result.ok ? result.value : null)
        }
        output.flush()
      },
    }),
  )
}
