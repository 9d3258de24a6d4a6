import { AppError } from '@ahub/core'
import { Liquid, type Template } from 'liquidjs'
import { z } from 'zod'

/** The parts of a message template; each is a Liquid template. */
export const MessageTemplate = z
  .object({
    subject: z.string().max(998).default(''),
    from: z.string().max(320).optional(),
    replyTo: z.string().max(320).optional(),
    html: z.string().max(1_000_000).optional(),
    text: z.string().max(1_000_000).optional(),
    /** Values used when a personalisation value is missing (null, undefined or empty text). */
    defaults: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
  })
  .strict()
export type MessageTemplate = z.input<typeof MessageTemplate>

const PARTS = ['subject', 'from', 'replyTo', 'html', 'text'] as const
type Part = (typeof PARTS)[number]

/** Rendered parts of one message. */
export type RenderedMessage = Partial<Record<Part, string>>

/**
 * A template compiled once and rendered per recipient. Validation happens at compile time: a
 * part that does not parse is CHANNEL_TEMPLATE_INVALID; a variable that is neither an allowed
 * field nor a declared default is CHANNEL_TEMPLATE_UNKNOWN_VARIABLE. Rendering fills missing values
 * from the declared defaults, so a message is never sent with a hole.
 */
export class CompiledTemplate {
  private constructor(
    private readonly engines: { plain: Liquid; html: Liquid },
    private readonly parts: [Part, Template[]][],
    private readonly defaults: Record<string, string | number | boolean>,
    /** Top-level variable names the template reads. */
    readonly variables: string[],
  ) {}

  static compile(input: MessageTemplate, allowedFields: Iterable<string>): CompiledTemplate {
    const t = MessageTemplate.parse(input)
    // Values placed in the HTML part are HTML-escaped; the other parts take them as they are.
    const engines = {
      plain: new Liquid({ strictFilters: true, cache: false }),
      html: new Liquid({ strictFilters: true, cache: false, outputEscape: 'escape' }),
    }
    const parts: [Part, Template[]][] = []
    const used = new Set<string>()
    for (const part of PARTS) {
      const source = t[part]
      if (source === undefined) continue
      let parsed: Template[]
      try {
        parsed = (part === 'html' ? engines.html : engines.plain).parse(source)
      } catch (cause) {
        const e = cause as { message?: string; token?: { getPosition?(): [number, number] } }
        const [line, column] = e.token?.getPosition?.() ?? [undefined, undefined]
        throw new AppError(
          'CHANNEL_TEMPLATE_INVALID',
          `The ${part} template does not parse: ${e.message ?? cause}`,
          {
            details: { part, line, column },
            cause,
          },
        )
      }
      for (const name of engines.plain.globalVariablesSync(parsed)) used.add(name)
      parts.push([part, parsed])
    }
    const allowed = new Set([...allowedFields, ...Object.keys(t.defaults)])
    const unknown = [...used].filter((v) => !allowed.has(v)).sort()
    if (unknown.length > 0) {
      throw new AppError(
        'CHANNEL_TEMPLATE_UNKNOWN_VARIABLE',
        `The template uses ${unknown.map((u) => `"${u}"`).join(', ')}, which no personalisation column or default provides`,
        { details: { variables: unknown, allowed: [...allowed].sort() } },
      )
    }
    return new CompiledTemplate(engines, parts, t.defaults, [...used].sort())
  }

  /** Renders every part for one recipient's fields; missing values take their declared default. */
  render(fields: Record<string, unknown>): RenderedMessage {
    const scope: Record<string, unknown> = {}
    for (const name of this.variables) {
      const v = fields[name]
      scope[name] = v === null || v === undefined || v === '' ? (this.defaults[name] ?? '') : v
    }
    const out: RenderedMessage = {}
    for (const [part, tpl] of this.parts) {
      const value = (part === 'html' ? this.engines.html : this.engines.plain).renderSync(
        tpl,
        scope,
      ) as string
      // A header part is one line: a value holding a line break cannot add headers.
      out[part] = part === 'html' || part === 'text' ? value : value.replace(/[\r\n]+/g, ' ')
    }
    return out
  }
}
