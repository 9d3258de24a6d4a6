import { describe, expect, it } from 'vitest'
import {
  csvLine,
  inboundLines,
  outboundLine,
  parseCsvLine,
  parseInboundLine,
  parseOutboundLine,
  splitCsvLine,
} from './line-formats'

// Published examples: audience-manager user guide, "Inbound Data File Contents: Syntax, Invalid
// Characters, Variables, and Examples" (experienceleague.adobe.com/docs/audience-manager/user-guide/
// implementation-integration-guides/sending-audience-data/batch-data-transfer-process/inbound-file-contents.html).
// The page draws the separator as <TAB>; here it is a real tab.
const AAM_UUID = '59767559181262060060278870901087098252'
const GAID = 'e4fe9bde-caa0-47b6-908d-ffba3fa184f2'
const IDFA = '6D92078A-8246-4BA4-AE5B-76104861E7DC'
const DPUUID = 'DBwFoc3dhfMNCFBh2M4F9ZkJEXMNnRDh2PXvnI1'

describe('inbound lines', () => {
  it('reads d_sid and d_unsid (the "With d_sid or d_unsid" example)', () => {
    expect(parseInboundLine(`${AAM_UUID}\td_sid=24,d_sid=26,d_sid=27,d_unsid=28,d_unsid=29`, false)).toEqual({
      ok: true,
      id: AAM_UUID,
      added: ['24', '26', '27'],
      removed: ['28', '29'],
      signals: [],
      ignored: 0,
      empty: 0,
    })
  })

  it.each([AAM_UUID, GAID, IDFA, DPUUID])('reads examples 1, 5, 9 and 13 for user ID %s', (id) => {
    const p = parseInboundLine(`${id}\td_sid=24, d_sid=26, d_sid=27`, false)
    expect(p).toMatchObject({ ok: true, id, added: ['24', '26', '27'], removed: [] })
  })

  it.each(['d_unsid=24, d_unsid=26, d_unsid=27', '24:0, 26:0, 27:0', '24:-1, 26:-1, 27:-1'])(
    'reads the three removal forms of example 2: %s',
    (traits) => {
      expect(parseInboundLine(`${AAM_UUID}\t${traits}`, false)).toMatchObject({
        ok: true,
        added: [],
        removed: ['24', '26', '27'],
      })
    },
  )

  it('reads key-value pairs, quoted or not (example 3)', () => {
    const want = [
      { key: 'product', value: 'tablet' },
      { key: 'product', value: 'phone' },
    ]
    expect(parseInboundLine(`${AAM_UUID}\tproduct = tablet, product = phone`, false)).toMatchObject({
      ok: true,
      signals: want,
    })
    expect(parseInboundLine(`${AAM_UUID}\t"product" = "tablet", "product" = "phone"`, false)).toMatchObject({
      ok: true,
      signals: want,
    })
  })

  it('reads ic trait rules, bare or prefixed (example 4)', () => {
    expect(parseInboundLine(`${AAM_UUID}\t30608,50354,50338,50352,30626`, false)).toMatchObject({
      ok: true,
      signals: ['30608', '50354', '50338', '50352', '30626'].map((value) => ({ key: 'ic', value })),
    })
    expect(parseInboundLine(`${AAM_UUID}\tic=52,ic=55`, false)).toMatchObject({
      signals: [
        { key: 'ic', value: '52' },
        { key: 'ic', value: '55' },
      ],
    })
  })

  it('keeps commas inside quoted values, drops leading dashes of keys, skips empty items', () => {
    // The shape of the published sample file ftp_dpm_1234_1445374061.overwrite (quoted pairs, an
    // empty item between two commas); values here are made up.
    const p = parseInboundLine(`1060413123\t"PLAN"="basic, yearly",,-product = camera,"Paid"="Y"`, true)
    expect(p).toMatchObject({
      ok: true,
      signals: [
        { key: 'PLAN', value: 'basic, yearly' },
        { key: 'product', value: 'camera' },
        { key: 'Paid', value: 'Y' },
      ],
      empty: 1,
    })
  })

  it('ignores removals in an overwrite file, as the format says', () => {
    expect(parseInboundLine(`${AAM_UUID}\td_sid=1,d_unsid=2,3:0`, true)).toMatchObject({
      ok: true,
      added: ['1'],
      removed: [],
      ignored: 2,
    })
  })

  it.each([
    [`${AAM_UUID} d_sid=24`, 'RAGGED_LINE'],
    [`${AAM_UUID}\td_sid=24\td_sid=25`, 'RAGGED_LINE'],
    [`\td_sid=24`, 'EMPTY_USER_ID'],
    [`user:1\td_sid=24`, 'BAD_USER_ID'],
    [`user%3A1\td_sid=24`, 'BAD_USER_ID'],
    [`${AAM_UUID}\td_sid=abc`, 'BAD_TRAIT'],
    [`${AAM_UUID}\td_sid=`, 'BAD_TRAIT'],
    [`${AAM_UUID}\td_unsid=1.5`, 'BAD_TRAIT'],
    [`${AAM_UUID}\tjust words`, 'BAD_TRAIT'],
    [`${AAM_UUID}\tkey=`, 'BAD_TRAIT'],
    [`${AAM_UUID}\t"product = tablet`, 'UNBALANCED_QUOTE'],
    [`${AAM_UUID}\t`, 'NO_TRAITS'],
    [`${AAM_UUID}\t , ,`, 'NO_TRAITS'],
  ])('rejects %j with %s', (line, code) => {
    const p = parseInboundLine(line, false)
    expect(p.ok).toBe(false)
    if (!p.ok) {
      expect(p.code).toBe(code)
      expect(p.reason.length).toBeGreaterThan(5)
      expect(p.ragged === true).toBe(code === 'RAGGED_LINE')
    }
  })

  it('writes one line per user, several when the traits pass the byte limit', () => {
    expect(inboundLines('u1', ['24', '26'], ['28'], 102_400)).toEqual(['u1\td_sid=24,d_sid=26,d_unsid=28'])
    const many = Array.from({ length: 30_000 }, (_, i) => String(100_000 + i))
    const lines = inboundLines('u1', many, [], 102_400)
    expect(lines.length).toBeGreaterThan(1)
    for (const l of lines) expect(Buffer.byteLength(l)).toBeLessThanOrEqual(102_400)
    const back = lines.flatMap((l) => {
      const p = parseInboundLine(l, false)
      return p.ok ? p.added : []
    })
    expect(back).toEqual(many)
  })
})

describe('outbound lines', () => {
  // Published example: audience-manager user guide, "Outbound Data File Contents: Syntax and
  // Parameters" (.../batch-outbound-transfers/outbound-file-name-contents), printed there with
  // two spaces between the fields.
  it('reads the published example', () => {
    expect(parseOutboundLine(`${AAM_UUID}  24,26,27  25,28`)).toMatchObject({
      ok: true,
      id: AAM_UUID,
      added: ['24', '26', '27'],
      removed: ['25', '28'],
    })
  })

  it('reads single spaces, a missing removed field and an empty segment field', () => {
    expect(parseOutboundLine(`${AAM_UUID} 24,26,27 25,28`)).toMatchObject({
      added: ['24', '26', '27'],
      removed: ['25', '28'],
    })
    expect(parseOutboundLine(`${AAM_UUID} 24`)).toMatchObject({ added: ['24'], removed: [] })
    expect(parseOutboundLine(`${AAM_UUID}  25`)).toMatchObject({ added: [], removed: ['25'] })
  })

  it('prints lines it reads back', () => {
    for (const [a, r] of [
      [['24', '26'], ['28']],
      [['24'], []],
      [[], ['28', '29']],
    ] as const) {
      expect(parseOutboundLine(outboundLine('u-1', a, r))).toMatchObject({
        ok: true,
        id: 'u-1',
        added: a,
        removed: r,
      })
    }
  })

  it.each([
    [AAM_UUID, 'RAGGED_LINE'],
    [`${AAM_UUID} 24 25 26`, 'RAGGED_LINE'],
    [` 24 25`, 'EMPTY_USER_ID'],
    [`${AAM_UUID}\t24 25`, 'BAD_USER_ID'],
    [`${AAM_UUID} 24,,26 25`, 'BAD_TRAIT'],
    [`${AAM_UUID} 24;26`, 'BAD_TRAIT'],
  ])('rejects %j with %s', (line, code) => {
    expect(parseOutboundLine(line)).toMatchObject({ ok: false, code })
  })
})

describe('CSV lines', () => {
  it('splits quoted fields', () => {
    expect(splitCsvLine('a,"b,c","d""e",')).toEqual(['a', 'b,c', 'd"e', ''])
    expect(splitCsvLine('a,"b')).toBeNull()
    expect(splitCsvLine('a,"b"c')).toBeNull()
  })

  it('reads id, segments and removed', () => {
    expect(parseCsvLine('u1,"24,26",28', 3)).toMatchObject({
      ok: true,
      id: 'u1',
      added: ['24', '26'],
      removed: ['28'],
    })
    expect(parseCsvLine('u1', 1)).toMatchObject({ ok: true, id: 'u1', added: [], removed: [] })
    expect(parseCsvLine('u1,', 2)).toMatchObject({ ok: true, added: [] })
  })

  it('prints lines it reads back', () => {
    const line = csvLine('a "quoted", id', ['24', '26'], ['28'], 3)
    expect(parseCsvLine(line, 3)).toMatchObject({
      ok: true,
      id: 'a "quoted", id',
      added: ['24', '26'],
      removed: ['28'],
    })
  })

  it.each([
    ['u1,24,26', 2, 'RAGGED_LINE'],
    ['u1', 2, 'RAGGED_LINE'],
    [',24', 2, 'EMPTY_USER_ID'],
    ['u1,"24', 2, 'UNBALANCED_QUOTE'],
    ['u1,seg one', 2, 'BAD_TRAIT'],
  ] as const)('rejects %j with %s', (line, columns, code) => {
    expect(parseCsvLine(line, columns)).toMatchObject({ ok: false, code })
  })
})
