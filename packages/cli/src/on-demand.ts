import { AppError } from '@ahub/core'

/** Native packages an installed CLI may leave out (optional dependencies, see the README). */
const OPTIONAL = ['@duckdb/node-api', '@node-rs/argon2']

/**
 * Loads a part of the CLI that needs the embedded engine (the store, the server, the hub) when a
 * command uses it, so --help, --version and --server calls never load a native library. Without the
 * optional engine installed, says so with ENGINE_NOT_INSTALLED instead of a module-resolution trace.
 */
export async function onDemand<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load()
  } catch (e) {
    const missing = OPTIONAL.find(
      (name) =>
        (e as NodeJS.ErrnoException)?.code === 'ERR_MODULE_NOT_FOUND' &&
        (e as Error).message.includes(`'${name}'`),
    )
    if (!missing) throw e
    throw new AppError(
      'ENGINE_NOT_INSTALLED',
      `This command opens the data directory and needs ${missing}, which is not installed: run npm install ${missing} beside the CLI, or pass --server`,
      { details: { package: missing }, cause: e },
    )
  }
}
