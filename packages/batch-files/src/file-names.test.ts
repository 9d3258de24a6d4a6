import { describe, expect, it } from 'vitest'
import {
  csvName,
  detectFormat,
  inboundName,
  outboundName,
  parseCsvName,
  parseInboundName,
  parseOutboundName,
} from './file-names'

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (e) {
    return (e as { code?: string }).code
  }
  return undefined
}

describe('inbound file names', () => {
  // Published examples: audience-manager user guide, "FTP Name and File Size Requirements for
  // Inbound Data Files" (experienceleague.adobe.com/docs/audience-manager/user-guide/
  // implementation-integration-guides/sending-audience-data/batch-data-transfer-process/inbound-ftp-filenames.html)
  it.each([
    [
      'ftp_dpm_478_1366545717.sync.1.gz',
      { dpid: '478', timestamp: 1366545717, mode: 'sync', split: 1, gzip: true },
    ],
    ['ftp_dpm_478_1366545717.sync.2.gz', { dpid: '478', mode: 'sync', split: 2, gzip: true }],
    ['ftp_dpm_478_1366545717.overwrite', { dpid: '478', mode: 'overwrite', split: null, gzip: false }],
    ['ftp_dpm_1234_1445374061.overwrite', { dpid: '1234', timestamp: 1445374061, mode: 'overwrite' }],
    ['ftp_dpm_33_21_1234567890.sync', { dpid: '33', targetDataOwner: '21', timestamp: 1234567890 }],
    ['ftp_dpm_20914_21_1234567890.sync', { dpid: '20914', targetDataOwner: '21' }],
  ])('parses the published example %s', (name, expected) => {
    expect(parseInboundName(name)).toMatchObject({ format: 'inbound', ...expected })
    expect(detectFormat(`/some/dir/${name}`)).toBe('inbound')
  })

  it('prints what it parses', () => {
    for (const name of ['ftp_dpm_478_1366545717.sync.1.gz', 'ftp_dpm_33_21_1234567890.overwrite']) {
      expect(inboundName(parseInboundName(name))).toBe(name)
    }
  })

  it.each([
    ['ftp_dpm_21_123456789.sync', 'the timestamp must be 10 digits'],
    ['ftp_dpm_21_12345678901.sync', 'the timestamp must be 10 digits'],
    ['ftp_dpm_abc_1234567890.sync', 'numeric parts'],
    ['ftp_dpm_21_1234567890.txt', 'numeric parts'],
    ['ftp_dpm_21_1234567890.sync.0', 'split numbers start at 1'],
    ['ftp_dpm_21_1234567890.sync.gz.1', 'numeric parts'],
    ['dpm_21_1234567890.sync', 'starts with ftp_dpm_'],
  ])('refuses %s (%s)', (name, reason) => {
    expect(() => parseInboundName(name)).toThrow(reason)
    expect(codeOf(() => parseInboundName(name))).toBe('BATCHFILE_BAD_NAME')
  })
})

describe('outbound file names', () => {
  // Published examples: audience-manager user guide, "Outbound Data File Name: Syntax and
  // Examples" (.../receiving-audience-data/batch-outbound-transfers/outbound-file-name-contents)
  it.each([
    ['S3_1234_20914_XYZCustomer_iter_1486140844000.sync.gz', 'S3_1234_20914_XYZCustomer', 'iter', null],
    ['S3_1234_20914_XYZCustomer_iter_1486140844000001.sync.gz', 'S3_1234_20914_XYZCustomer', 'iter', 1],
    ['S3_1234_20914_XYZCustomer_iter_1486140844000002.sync.gz', 'S3_1234_20914_XYZCustomer', 'iter', 2],
    ['ftp_1234_20915_full_1486140843000.sync.gz', 'ftp_1234_20915', 'full', null],
    ['ftp_1234_45454_XYZCustomer_full_1486140843200001.sync.gz', 'ftp_1234_45454_XYZCustomer', 'full', 1],
  ])('parses the published example %s', (name, prefix, syncMode, split) => {
    const parsed = parseOutboundName(name)
    expect(parsed).toMatchObject({ prefix, syncMode, split, gzip: true })
    expect(String(parsed.timestampMs)).toHaveLength(13)
    expect(outboundName(parsed)).toBe(name)
    expect(detectFormat(name)).toBe('outbound')
  })

  it.each([
    'ftp_1234_iter_148614084400.sync', // 12-digit timestamp
    'ftp_1234_weekly_1486140844000.sync', // neither iter nor full
    'ftp_1234_iter_148614084400001.sync', // split of 2 digits
    'ftp_1234_iter_1486140844000.overwrite',
    'ftp_1234_iter_1486140844000000.sync', // split 000
  ])('refuses %s', (name) => {
    expect(codeOf(() => parseOutboundName(name))).toBe('BATCHFILE_BAD_NAME')
  })

  it('pads split numbers to three digits and more when needed', () => {
    const base = { prefix: 'ftp_1', syncMode: 'iter' as const, timestampMs: 1486140844000, gzip: false }
    expect(outboundName({ ...base, split: 7 })).toBe('ftp_1_iter_1486140844000007.sync')
    expect(outboundName({ ...base, split: 1234 })).toBe('ftp_1_iter_14861408440001234.sync')
    expect(parseOutboundName('ftp_1_iter_14861408440001234.sync').split).toBe(1234)
  })
})

describe('CSV names and detection', () => {
  it('parses .csv and .csv.gz', () => {
    expect(parseCsvName('dir/ids.csv.gz')).toEqual({ format: 'csv', base: 'ids', gzip: true })
    expect(csvName({ base: 'ids', split: 2, gzip: false })).toBe('ids.2.csv')
    expect(detectFormat('ids.CSV')).toBe('csv')
  })

  it('refuses a name of no known format', () => {
    expect(codeOf(() => detectFormat('members.txt'))).toBe('BATCHFILE_BAD_NAME')
  })
})
