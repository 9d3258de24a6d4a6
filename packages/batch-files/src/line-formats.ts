import type { RejectCode, Signal } from './types'

/*
 * One line of each format, parsed and printed. Pure functions: the reader and writer do the I/O.
 * Inbound:  <user ID><TAB><trait>,<trait>,...   traits d_sid=N, d_unsid=N, N:0, N:-1, N (ic rule),
 *           key=value (quotes optional on either side)
 * Outbound: <UUID><SPACE><segments><SPACE><removed segments>, segments comma-separated
 * CSV:      id[,segments[,removed]] (RFC 4180 quoting; a cell holds a comma-separated list)
 */

export type ParsedLine =
  | {
      ok: true
      id: string
      added: string[]
      removed: string[]
      signals: Signal[]
      /** d_unsid / N:0 in an overwrite file. */
      ignored: number
      /** Empty items between commas. */
      empty: number
    }
  | { ok: false; code: RejectCode; reason: string; ragged?: boolean }

const TRAIT_ID = /^\d+$/
/** Segment IDs in outbound and CSV files: letters, digits, `_`, `-`, `.`. */
const SEGMENT_ID = /^[A-Za-z0-9_.-]+$/

function fail(code: RejectCode, reason: string, ragged = false): ParsedLine {
  return ragged ? { ok: false, code, reason, ragged } : { ok: false, code, reason }
}

/** Why a user ID cannot be written or read, or null when it is fine. */
export function userIdProblem(id: string, format: 'inbound' | 'outbound' | 'csv'): string | null {
  if (id.length === 0) return 'the user ID is empty'
  for (let i = 0; i < id.length; i++) {
    const c = id.charCodeAt(i)
    if (c === 9 || c === 10 || c === 13) return 'the user ID holds a tab or line break'
    if (format === 'csv') continue
    if (c === 32 || c === 11 || c === 12 || c === 0xa0 || c === 0xfeff) return 'the user ID holds whitespace'
    if (format !== 'inbound') continue
    if (c === 58) return 'the user ID holds a colon, which the format forbids'
    if (c === 34) return 'the user ID holds a quote'
    if (c === 37 && id.charCodeAt(i + 1) === 51 && (id.charCodeAt(i + 2) | 32) === 97) {
      return 'the user ID holds an encoded colon (%3A), which the format forbids'
    }
  }
  return null
}

/** Splits on commas outside double quotes; null when a quote is left open. */
function splitOutsideQuotes(text: string): string[] | null {
  if (!text.includes('"')) return text.split(',')
  const out: string[] = []
  let start = 0
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (c === 34) quoted = !quoted
    else if (c === 44 && !quoted) {
      out.push(text.slice(start, i))
      start = i + 1
    }
  }
  if (quoted) return null
  out.push(text.slice(start))
  return out
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s
}

/** Parses one inbound line. In an overwrite file removals are ignored, as the format says. */
export function parseInboundLine(line: string, overwrite: boolean): ParsedLine {
  const tab = line.indexOf('\t')
  if (tab < 0) return fail('RAGGED_LINE', 'no TAB between the user ID and the traits', true)
  if (line.indexOf('\t', tab + 1) >= 0) {
    return fail('RAGGED_LINE', 'more than one TAB: a line is <user ID><TAB><traits>', true)
  }
  const head = line.slice(0, tab)
  const id = isTrimmed(head) ? head : head.trim()
  if (id.length === 0) return fail('EMPTY_USER_ID', 'the user ID before the TAB is empty')
  const idProblem = userIdProblem(id, 'inbound')
  if (idProblem) return fail('BAD_USER_ID', idProblem)
  const items = splitOutsideQuotes(line.slice(tab + 1))
  if (items === null) return fail('UNBALANCED_QUOTE', 'a quoted key or value never ends')
  const added: string[] = []
  const removed: string[] = []
  const signals: Signal[] = []
  let ignored = 0
  let empty = 0
  for (const raw of items) {
    const item = isTrimmed(raw) ? raw : raw.trim()
    if (item.length === 0) {
      empty++
      continue
    }
    const sid = item.startsWith('d_sid') ? 5 : item.startsWith('d_unsid') ? 7 : 0
    if (sid > 0) {
      const value = sidValue(item, sid)
      if (value === null) {
        return fail('BAD_TRAIT', `"${clip(item)}": trait IDs after ${item.slice(0, sid)}= are numeric`)
      }
      if (sid === 5) added.push(value)
      else if (overwrite) ignored++
      else removed.push(value)
      continue
    }
    const m = /^(\d+):(0|-1)$/.exec(item)
    if (m) {
      if (overwrite) ignored++
      else removed.push(m[1]!)
      continue
    }
    if (TRAIT_ID.test(item)) {
      signals.push({ key: 'ic', value: item })
      continue
    }
    const kv = keyValue(item)
    if (kv === null) {
      return fail(
        'BAD_TRAIT',
        `"${clip(item)}" is not d_sid=N, d_unsid=N, N:0, N:-1, a numeric trait ID or key=value`,
      )
    }
    signals.push(kv)
  }
  if (added.length + removed.length + signals.length + ignored === 0) {
    return fail('NO_TRAITS', 'no trait after the TAB')
  }
  return { ok: true, id, added, removed, signals, ignored, empty }
}

function isTrimmed(s: string): boolean {
  return s.length > 0 && s.charCodeAt(0) > 32 && s.charCodeAt(s.length - 1) > 32
}

/** The numeric ID after `d_sid=` / `d_unsid=` (spaces allowed around `=`), or null. */
function sidValue(item: string, at: number): string | null {
  let i = at
  while (item.charCodeAt(i) === 32) i++
  if (item.charCodeAt(i) !== 61) return null
  i++
  while (item.charCodeAt(i) === 32) i++
  if (i === item.length) return null
  for (let j = i; j < item.length; j++) {
    const c = item.charCodeAt(j)
    if (c < 48 || c > 57) return null
  }
  return item.slice(i)
}

/** `key = value`, `"key" = "value"`; leading dashes of a key are dropped (as the format says). */
function keyValue(item: string): Signal | null {
  let quoted = false
  let eq = -1
  for (let i = 0; i < item.length; i++) {
    const c = item.charCodeAt(i)
    if (c === 34) quoted = !quoted
    else if (c === 61 && !quoted) {
      eq = i
      break
    }
  }
  if (eq <= 0) return null
  const key = unquote(item.slice(0, eq).trim()).replace(/^-+/, '')
  const value = unquote(item.slice(eq + 1).trim())
  if (key.length === 0 || key.includes('"') || value.length === 0) return null
  return { key, value }
}

function segmentList(field: string, what: string): string[] | string {
  if (field.length === 0) return []
  const out = field.split(',')
  for (const s of out) {
    if (!SEGMENT_ID.test(s)) {
      return s.length === 0
        ? `empty ${what} between commas`
        : `"${clip(s)}" is not a segment ID (letters, digits, _ - .)`
    }
  }
  return out
}

/** Parses one outbound line: `UUID segments removed`, single spaces (double spaces, as in the
 * published example, are accepted when all three fields are present). */
export function parseOutboundLine(line: string): ParsedLine {
  let parts = line.split(' ')
  if (parts.length === 5 && parts[1] === '' && parts[3] === '') parts = [parts[0]!, parts[2]!, parts[4]!]
  if (parts.length < 2) return fail('RAGGED_LINE', 'expected <UUID> <segments> [<removed segments>]', true)
  if (parts.length > 3) {
    return fail('RAGGED_LINE', `${parts.length} space-separated fields; expected 2 or 3`, true)
  }
  const id = parts[0]!
  if (id.length === 0) return fail('EMPTY_USER_ID', 'the line starts with a space')
  const idProblem = userIdProblem(id, 'outbound')
  if (idProblem) return fail('BAD_USER_ID', idProblem)
  const added = segmentList(parts[1]!, 'segment')
  if (typeof added === 'string') return fail('BAD_TRAIT', added)
  const removed = segmentList(parts[2] ?? '', 'removed segment')
  if (typeof removed === 'string') return fail('BAD_TRAIT', removed)
  return { ok: true, id, added, removed, signals: [], ignored: 0, empty: 0 }
}

/** Splits a CSV line into fields (RFC 4180 quotes; no line breaks inside values). */
export function splitCsvLine(line: string): string[] | null {
  const out: string[] = []
  let i = 0
  for (;;) {
    if (line.charCodeAt(i) === 34) {
      let value = ''
      let j = i + 1
      for (;;) {
        const q = line.indexOf('"', j)
        if (q < 0) return null
        value += line.slice(j, q)
        if (line.charCodeAt(q + 1) === 34) {
          value += '"'
          j = q + 2
          continue
        }
        i = q + 1
        break
      }
      out.push(value)
      if (i === line.length) return out
      if (line.charCodeAt(i) !== 44) return null
      i++
    } else {
      const comma = line.indexOf(',', i)
      if (comma < 0) {
        out.push(line.slice(i))
        return out
      }
      out.push(line.slice(i, comma))
      i = comma + 1
    }
  }
}

export const CSV_HEADERS = [['id'], ['id', 'segments'], ['id', 'segments', 'removed']] as const
export type CsvColumns = 1 | 2 | 3

/** Parses one CSV data line given the header width. */
export function parseCsvLine(line: string, columns: CsvColumns): ParsedLine {
  const fields = splitCsvLine(line)
  if (fields === null) return fail('UNBALANCED_QUOTE', 'a quoted value never ends or is followed by text')
  if (fields.length !== columns) {
    return fail('RAGGED_LINE', `${fields.length} fields; the header has ${columns}`, true)
  }
  const id = fields[0]!.trim()
  if (id.length === 0) return fail('EMPTY_USER_ID', 'the id cell is empty')
  const idProblem = userIdProblem(id, 'csv')
  if (idProblem) return fail('BAD_USER_ID', idProblem)
  const added = segmentList((fields[1] ?? '').trim(), 'segment')
  if (typeof added === 'string') return fail('BAD_TRAIT', added)
  const removed = segmentList((fields[2] ?? '').trim(), 'removed segment')
  if (typeof removed === 'string') return fail('BAD_TRAIT', removed)
  return { ok: true, id, added, removed, signals: [], ignored: 0, empty: 0 }
}

/** Why a segment list cannot be written in this format, or null. */
export function segmentProblem(
  segments: readonly string[],
  format: 'inbound' | 'outbound' | 'csv',
): string | null {
  for (const s of segments) {
    if (format === 'inbound' ? !TRAIT_ID.test(s) : !SEGMENT_ID.test(s)) {
      return format === 'inbound'
        ? `"${clip(s)}" is not a numeric trait ID (d_sid= takes digits only)`
        : `"${clip(s)}" is not a segment ID (letters, digits, _ - .)`
    }
  }
  return null
}

/**
 * The inbound lines of one user: `d_sid=` for added, `d_unsid=` for removed (left out of
 * overwrite files). A user whose traits do not fit in one line gets several lines, each at most
 * `maxBytes` bytes unless a single trait is longer (the caller checks).
 */
export function inboundLines(
  id: string,
  added: readonly string[],
  removed: readonly string[],
  maxBytes: number,
): string[] {
  const traits = [...added.map((s) => `d_sid=${s}`), ...removed.map((s) => `d_unsid=${s}`)]
  const lines: string[] = []
  const head = `${id}\t`
  const headBytes = Buffer.byteLength(head)
  let current: string[] = []
  let bytes = headBytes
  for (const t of traits) {
    const size = Buffer.byteLength(t)
    const next = current.length === 0 ? bytes + size : bytes + 1 + size
    if (next > maxBytes && current.length > 0) {
      lines.push(head + current.join(','))
      current = [t]
      bytes = headBytes + size
    } else {
      current.push(t)
      bytes = next
    }
  }
  if (current.length > 0) lines.push(head + current.join(','))
  return lines
}

export function outboundLine(id: string, added: readonly string[], removed: readonly string[]): string {
  return removed.length === 0 ? `${id} ${added.join(',')}` : `${id} ${added.join(',')} ${removed.join(',')}`
}

function csvCell(v: string): string {
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v
}

export function csvLine(
  id: string,
  added: readonly string[],
  removed: readonly string[],
  columns: CsvColumns,
) {
  const cells = [id, added.join(','), removed.join(',')].slice(0, columns)
  return cells.map(csvCell).join(',')
}

function clip(s: string): string {
  return s.length > 60 ? `${s.slice(0, 57)}...` : s
}
