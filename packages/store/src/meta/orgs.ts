import { AppError, assertIdentifier } from '@ahub/core'
import { z } from 'zod'
import { type Engine, ident } from '../engine'

/** Guardrails on identity links, per organisation. */
export const IdentitySettings = z.object({
  maxIdentitiesPerProfile: z.number().int().positive().default(50),
  maxPerNamespace: z
    .record(z.string(), z.number().int().positive())
    .default({ ecid: 20, email: 5, phone: 5, crm: 1 }),
  maxProfilesPerIdentity: z.number().int().positive().default(10),
})
export type IdentitySettings = z.infer<typeof IdentitySettings>

export const OrgSettings = z.object({ identity: IdentitySettings.default(IdentitySettings.parse({})) })
export type OrgSettings = z.infer<typeof OrgSettings>

export interface Org {
  id: string
  name: string
  settings: OrgSettings
  createdAt: string
}

/** The schema (namespace) in the engine that holds an org's datasets. */
export function orgSchema(org: string): string {
  return ident(orgSchemaName(org))
}

/** The name of an org's engine schema, unquoted (as the engine's catalog lists it). */
export function orgSchemaName(org: string): string {
  return `org_${assertIdentifier(org, 'organisation id')}`
}

export class OrgRepository {
  constructor(private readonly engine: Engine) {}

  async create(id: string, name: string): Promise<Org> {
    assertIdentifier(id, 'organisation id')
    if (await this.find(id)) throw new AppError('CONFLICT', `Organisation "${id}" already exists`)
    const settings = OrgSettings.parse({})
    await this.engine.transaction(async (s) => {
      await s.run('INSERT INTO meta.orgs (id, name, settings) VALUES ($1, $2, $3)', [
        id,
        name,
        JSON.stringify(settings),
      ])
      await s.run(`CREATE SCHEMA IF NOT EXISTS ${orgSchema(id)}`)
    })
    return (await this.find(id))!
  }

  async find(id: string): Promise<Org | undefined> {
    const rows = await this.engine.query<{ id: string; name: string; settings: string; created_at: string }>(
      'SELECT id, name, settings, created_at FROM meta.orgs WHERE id = $1',
      [id],
    )
    const r = rows[0]
    return (
      r && {
        id: r.id,
        name: r.name,
        settings: OrgSettings.parse(JSON.parse(r.settings)),
        createdAt: r.created_at,
      }
    )
  }

  async get(id: string): Promise<Org> {
    const org = await this.find(id)
    if (!org) throw new AppError('ORG_NOT_FOUND', `No organisation "${id}"`, { details: { org: id } })
    return org
  }

  /** Replaces an organisation's settings (validated; defaults fill what is missing). */
  async updateSettings(id: string, settings: unknown): Promise<Org> {
    await this.get(id)
    const parsed = OrgSettings.safeParse(settings)
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'Invalid organisation settings', {
        details: { issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })) },
      })
    }
    await this.engine.run('UPDATE meta.orgs SET settings = $2 WHERE id = $1', [
      id,
      JSON.stringify(parsed.data),
    ])
    return this.get(id)
  }

  async list(): Promise<Org[]> {
    const rows = await this.engine.query<{ id: string }>('SELECT id FROM meta.orgs ORDER BY id')
    return Promise.all(rows.map((r) => this.get(r.id)))
  }
}
