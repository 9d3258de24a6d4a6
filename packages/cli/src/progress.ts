import type { IngestProgress } from '@ahub/core'
import cliProgress from 'cli-progress'

/** A progress bar on stderr for ingestion (reading: percentage, rows, rate, ETA), silent when not a TTY. */
export function ingestProgress(enabled: boolean) {
  if (!enabled || !process.stderr.isTTY)
    return { onProgress: undefined, onUpload: undefined, stop: () => undefined }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {phase} |{bar}| {percentage}% | {rows} rows | {rate} rows/s | ETA {eta_formatted}',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  )
  const started = Date.now()
  let running = false
  const start = () => {
    if (!running) bar.start(100, 0, { phase: 'reading   ', rows: 0, rate: 0 })
    running = true
  }
  return {
    onProgress: (p: IngestProgress) => {
      start()
      const rows = p.rows ?? 0
      const seconds = (Date.now() - started) / 1000
      bar.update(Math.min(100, Math.round(p.percentage)), {
        phase: p.phase.padEnd(10),
        rows: rows.toLocaleString('en'),
        rate: seconds > 0 ? Math.round(rows / seconds).toLocaleString('en') : 0,
      })
    },
    onUpload: (sent: number, total: number) => {
      start()
      const seconds = (Date.now() - started) / 1000
      bar.update(Math.round((sent / total) * 100), {
        phase: sent < total ? 'uploading ' : 'ingesting ',
        rows: '-',
        rate: seconds > 0 ? `${Math.round(sent / seconds / 1024 / 1024)} MB` : 0,
      })
    },
    stop: () => {
      if (running) bar.stop()
    },
  }
}

/** A simple counter for file generation. */
export function countProgress(enabled: boolean, total: number) {
  if (!enabled || !process.stderr.isTTY)
    return { update: (_n: number, _label: string) => undefined, stop: () => undefined }
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: ' {label} |{bar}| {percentage}% | {value}/{total} rows | ETA {eta_formatted}',
    },
    cliProgress.Presets.shades_classic,
  )
  bar.start(total, 0, { label: '' })
  return { update: (n: number, label: string) => bar.update(n, { label }), stop: () => bar.stop() }
}
