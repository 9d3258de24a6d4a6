import { AppError } from '@ahub/core'
import type { BatchFileName, BatchFormat } from './types'

/*
 * File names of the audience-manager batch formats, as published in the audience-manager user guide:
 * inbound  ftp_dpm_DPID[_DPID_TARGET_DATA_OWNER]_TIMESTAMP(.sync|.overwrite)[.SPLIT_NUMBER][.gz]
 *          (TIMESTAMP: 10-digit UNIX seconds, UTC)
 * outbound [SYNC_TYPE][_DID][_MASTER_DPID][_PID_ALIAS]_(iter|full)_TIMESTAMP[SPLITNUM].sync[.gz]
 *          (TIMESTAMP: 13-digit UNIX milliseconds, UTC; SPLITNUM: at least 3 digits, first part 001)
 */

const INBOUND = /^ftp_dpm_(\d+)(?:_(\d+))?_(\d+)\.(sync|overwrite)(?:\.(\d+))?(\.gz)?$/
const OUTBOUND = /^([A-Za-z0-9][A-Za-z0-9_-]*)_(iter|full)_(\d{13})(\d{3,})?\.sync(\.gz)?$/
const CSV = /^(.+)\.csv(\.gz)?$/i
const OUTBOUND_PREFIX = /^[A-Za-z0-9][A-Za-z0-9_-]*$/

function badName(name: string, reason: string): AppError {
  return new AppError('BATCHFILE_BAD_NAME', `Bad batch file name "${name}": ${reason}`, {
    details: { name, reason },
  })
}

/** The last path segment, for names given with a folder. */
function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'))
  return i < 0 ? path : path.slice(i + 1)
}

/** Parses an inbound file name; throws BATCHFILE_BAD_NAME with the reason. */
export function parseInboundName(path: string): Extract<BatchFileName, { format: 'inbound' }> {
  const name = baseName(path)
  if (!name.startsWith('ftp_dpm_')) throw badName(name, 'an inbound file name starts with ftp_dpm_')
  const m = INBOUND.exec(name)
  if (!m) {
    throw badName(
      name,
      'expected ftp_dpm_<DPID>[_<TARGET_DATA_OWNER>]_<TIMESTAMP>.sync|.overwrite[.<SPLIT>][.gz] with numeric parts',
    )
  }
  const [, dpid, owner, ts, mode, split, gz] = m
  if (ts!.length !== 10) throw badName(name, `the timestamp must be 10 digits (UNIX seconds), not ${ts}`)
  const splitNo = split === undefined ? null : Number(split)
  if (splitNo === 0) throw badName(name, 'split numbers start at 1')
  return {
    format: 'inbound',
    dpid: dpid!,
    targetDataOwner: owner ?? null,
    timestamp: Number(ts),
    mode: mode as 'sync' | 'overwrite',
    split: splitNo,
    gzip: gz !== undefined,
  }
}

/** Parses an outbound file name; throws BATCHFILE_BAD_NAME with the reason. */
export function parseOutboundName(path: string): Extract<BatchFileName, { format: 'outbound' }> {
  const name = baseName(path)
  const m = OUTBOUND.exec(name)
  if (!m) {
    throw badName(name, 'expected <prefix>_iter|full_<13-digit ms timestamp>[<split, 3+ digits>].sync[.gz]')
  }
  const [, prefix, syncMode, ts, split, gz] = m
  const splitNo = split === undefined ? null : Number(split)
  if (splitNo === 0) throw badName(name, 'split numbers start at 001')
  return {
    format: 'outbound',
    prefix: prefix!,
    syncMode: syncMode as 'iter' | 'full',
    timestampMs: Number(ts),
    split: splitNo,
    gzip: gz !== undefined,
  }
}

/** Parses a CSV file name (`<base>.csv[.gz]`). */
export function parseCsvName(path: string): Extract<BatchFileName, { format: 'csv' }> {
  const name = baseName(path)
  const m = CSV.exec(name)
  if (!m) throw badName(name, 'a CSV file name ends in .csv or .csv.gz')
  return { format: 'csv', base: m[1]!, gzip: m[2] !== undefined }
}

/** Parses a name in the given format. */
export function parseBatchFileName(path: string, format: BatchFormat): BatchFileName {
  switch (format) {
    case 'inbound':
      return parseInboundName(path)
    case 'outbound':
      return parseOutboundName(path)
    case 'csv':
      return parseCsvName(path)
  }
}

/** Recognises the format of a file from its name; throws BATCHFILE_BAD_NAME when none fits. */
export function detectFormat(path: string): BatchFormat {
  const name = baseName(path)
  if (name.startsWith('ftp_dpm_')) return 'inbound'
  if (/_(iter|full)_\d/.test(name) && /\.sync(\.gz)?$/.test(name)) return 'outbound'
  if (CSV.test(name)) return 'csv'
  throw badName(
    name,
    'not an inbound (ftp_dpm_...), outbound (..._iter|full_<ms>.sync) or CSV (.csv) file name; pass the format explicitly',
  )
}

/** The name of an inbound file. `split` is 1-based; `null` for an unsplit file. */
export function inboundName(o: {
  dpid: string
  targetDataOwner?: string | null
  timestamp: number
  mode: 'sync' | 'overwrite'
  split: number | null
  gzip: boolean
}): string {
  const owner = o.targetDataOwner ? `_${o.targetDataOwner}` : ''
  const ts = String(o.timestamp).padStart(10, '0')
  const split = o.split === null ? '' : `.${o.split}`
  return `ftp_dpm_${o.dpid}${owner}_${ts}.${o.mode}${split}${o.gzip ? '.gz' : ''}`
}

/** The name of an outbound file. `split` is 1-based (written 001, 002, ...); `null` for an unsplit file. */
export function outboundName(o: {
  prefix: string
  syncMode: 'iter' | 'full'
  timestampMs: number
  split: number | null
  gzip: boolean
}): string {
  const split = o.split === null ? '' : String(o.split).padStart(3, '0')
  return `${o.prefix}_${o.syncMode}_${String(o.timestampMs).padStart(13, '0')}${split}.sync${o.gzip ? '.gz' : ''}`
}

/** The name of a CSV file; splits are `<base>.<n>.csv`. */
export function csvName(o: { base: string; split: number | null; gzip: boolean }): string {
  return `${o.base}${o.split === null ? '' : `.${o.split}`}.csv${o.gzip ? '.gz' : ''}`
}

export function isValidOutboundPrefix(prefix: string): boolean {
  return OUTBOUND_PREFIX.test(prefix)
}
