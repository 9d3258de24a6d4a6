import { z } from 'zod'

export const OrgParams = z.object({ org: z.string().min(1).max(63) })

/** How to read an uploaded file: its name (for the format), and CSV options. */
export const FileQuery = z
  .object({
    fileName: z
      .string()
      .min(1)
      .max(255)
      .describe('Original file name; its extension gives the format (.csv, .ndjson, .parquet, .gz)'),
    format: z.enum(['csv', 'ndjson', 'parquet']).optional(),
    delimiter: z.string().min(1).max(4).optional(),
    quote: z.string().max(1).optional(),
    escape: z.string().max(1).optional(),
    encoding: z.enum(['utf-8', 'utf-16', 'latin-1']).optional(),
    header: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
  })
  .strict()
