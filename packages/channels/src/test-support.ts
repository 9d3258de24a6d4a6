import type { AddressInfo } from 'node:net'
import { type ParsedMail, simpleParser } from 'mailparser'
import { SMTPServer, type SMTPServerOptions } from 'smtp-server'

/** One message the test SMTP server accepted, parsed back. */
export interface Received {
  envelopeTo: string[]
  secure: boolean
  raw: string
  mail: ParsedMail
}

/**
 * A real SMTP server for tests (the `smtp-server` package, with its built-in certificate for
 * STARTTLS), collecting every accepted message parsed with `mailparser`. `reply` decides the
 * answer per recipient: a number is an SMTP reply code to refuse with.
 */
export async function startSmtp(
  options: Partial<SMTPServerOptions> & { reply?: (to: string) => number | undefined } = {},
): Promise<{ port: number; received: Received[]; close(): Promise<void> }> {
  const received: Received[] = []
  const { reply, ...rest } = options
  const server = new SMTPServer({
    authOptional: true,
    disableReverseLookup: true,
    logger: false,
    ...rest,
    onRcptTo(address, _session, cb) {
      const code = reply?.(address.address)
      if (code !== undefined) {
        const err = Object.assign(new Error(`refused ${address.address}`), { responseCode: code })
        cb(err)
        return
      }
      cb()
    },
    onData(stream, session, cb) {
      const chunks: Buffer[] = []
      stream.on('data', (c: Buffer) => chunks.push(c))
      stream.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8')
        simpleParser(raw)
          .then((mail) => {
            received.push({
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              secure: session.secure,
              raw,
              mail,
            })
            cb()
          })
          .catch(cb)
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.server.address() as AddressInfo).port
  return { port, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) }
}
