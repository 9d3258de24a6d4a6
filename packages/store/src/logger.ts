import { type BaseLogger, type Bindings, pino } from 'pino'

/**
 * What services log through: a pino logger (Fastify's `app.log` is one). Background work (timers,
 * hub pushes, follow-ups of a job) logs every failure it catches here, with its context, since no
 * caller is there to receive it.
 */
export interface Logger extends Pick<BaseLogger, 'error' | 'warn' | 'info' | 'debug'> {
  child(bindings: Bindings): Logger
}

/** A logger that writes nothing: the default of every service (tests, benchmarks, embeddings). */
export const silentLogger: Logger = pino({ level: 'silent' })
