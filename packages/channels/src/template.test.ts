import { describe, expect, it } from 'vitest'
import { CompiledTemplate } from './template'

describe('message templates', () => {
  it('personalises every part from profile fields and enrichment columns, with declared defaults for missing values', () => {
    const t = CompiledTemplate.compile(
      {
        subject: 'Hello {{ first_name }}, {{ offer_pct }}% off',
        from: 'Shop <shop@example.org>',
        replyTo: '{{ advisor_email }}',
        html: '<p>Hi {{ first_name }} from {{ city | upcase }}</p>',
        text: 'Hi {{ first_name }}',
        defaults: { first_name: 'there', advisor_email: 'help@example.org' },
      },
      ['first_name', 'city', 'offer_pct', 'advisor_email'],
    )
    expect(t.variables).toEqual(['advisor_email', 'city', 'first_name', 'offer_pct'])
    expect(
      t.render({ first_name: 'Ada', city: 'Paris', offer_pct: 15, advisor_email: 'bob@example.org' }),
    ).toEqual({
      subject: 'Hello Ada, 15% off',
      from: 'Shop <shop@example.org>',
      replyTo: 'bob@example.org',
      html: '<p>Hi Ada from PARIS</p>',
      text: 'Hi Ada',
    })
    const missing = t.render({ first_name: null, city: 'Lyon', offer_pct: 10 })
    expect(missing.subject).toBe('Hello there, 10% off')
    expect(missing.replyTo).toBe('help@example.org')
  })

  it('escapes values in HTML and keeps header parts on one line', () => {
    const t = CompiledTemplate.compile(
      { subject: 'Hi {{ name }}', html: '<p>{{ name }}</p>', text: '{{ name }}' },
      ['name'],
    )
    const r = t.render({ name: '<script>x</script>\r\nBcc: evil@example.com' })
    expect(r.html).toBe('<p>&lt;script&gt;x&lt;/script&gt;\r\nBcc: evil@example.com</p>')
    expect(r.subject).toBe('Hi <script>x</script> Bcc: evil@example.com')
    expect(r.text).toContain('<script>')
  })

  it('a template that does not parse is CHANNEL_TEMPLATE_INVALID with its part and position', () => {
    let err: unknown
    try {
      CompiledTemplate.compile({ subject: 'ok', html: '<p>\n{% if first_name %}no end</p>' }, ['first_name'])
    } catch (e) {
      err = e
    }
    expect(err).toMatchObject({ code: 'CHANNEL_TEMPLATE_INVALID', details: { part: 'html' } })
    expect(() => CompiledTemplate.compile({ subject: '{{ a | no_such_filter }}' }, ['a'])).toThrow(
      expect.objectContaining({ code: 'CHANNEL_TEMPLATE_INVALID' }),
    )
  })

  it('a variable no column or default provides is CHANNEL_TEMPLATE_UNKNOWN_VARIABLE, naming each', () => {
    expect(() =>
      CompiledTemplate.compile({ subject: '{{ first_name }} {{ loyalty.tier }}', text: '{{ zip }}' }, [
        'first_name',
      ]),
    ).toThrow(
      expect.objectContaining({
        code: 'CHANNEL_TEMPLATE_UNKNOWN_VARIABLE',
        details: expect.objectContaining({ variables: ['loyalty', 'zip'] }),
      }),
    )
    // A declared default makes a variable known.
    expect(
      CompiledTemplate.compile({ subject: '{{ zip }}', defaults: { zip: '00000' } }, []).render({}).subject,
    ).toBe('00000')
  })
})
