import type { DefinitionJson } from './canvas-model'

/**
 * Campaigns the canvas tests open and save: the issue's campaign (profiles who purchased in the
 * last 30 days, deduplicated by e-mail, split 70 % / the rest, the first subset saved with two
 * attributes) and one using every activity type with the options the engine's tests use.
 */
export const ISSUE_CAMPAIGN: DefinitionJson = {
  label: 'Recent buyers 70 %',
  activities: [
    {
      id: 'buyers',
      type: 'build_audience',
      options: {
        rule: {
          kind: 'link',
          link: 'purchases',
          where: {
            kind: 'condition',
            field: 'purchased_at',
            op: '=',
            date: { preset: 'last', n: 30, unit: 'days' },
          },
          aggregate: { fn: 'exists' },
        },
      },
    },
    { id: 'dedup', type: 'deduplication', options: { fields: ['email'] } },
    {
      id: 'split',
      type: 'split',
      options: {
        subsets: [{ code: 'first', limit: { percent: 70, order: { kind: 'random' } } }],
        complement: true,
      },
    },
    {
      id: 'save',
      type: 'save_audience',
      options: { label: 'Recent buyers', attributes: ['email', 'country'] },
    },
    { id: 'end', type: 'end' },
  ],
  transitions: [
    { id: 't1', from: 'buyers', to: 'dedup' },
    { id: 't2', from: 'dedup', to: 'split' },
    { id: 't3', from: 'split', to: 'save', output: 'first' },
    { id: 't4', from: 'save', to: 'end' },
    { id: 't5', from: 'split', to: 'end', output: 'complement' },
  ],
  settings: { dimension: 'profiles' },
}

export const EVERY_ACTIVITY: DefinitionJson = {
  label: 'Every activity',
  description: 'One of each',
  activities: [
    {
      id: 'go',
      type: 'signal',
      options: { parameters: [{ name: 'country', type: 'string', default: 'FR' }] },
    },
    {
      id: 'fr',
      type: 'build_audience',
      label: 'French profiles',
      options: { rule: { kind: 'condition', field: 'country', op: '=', value: { param: 'country' } } },
    },
    { id: 'vip', type: 'read_audience', options: { audience: 'aud_vip', attributes: ['tier'] } },
    { id: 'both', type: 'combine', options: { operation: 'union', complement: false } },
    {
      id: 'dedup',
      type: 'deduplication',
      options: {
        fields: ['email'],
        keep: 1,
        method: { kind: 'non_empty', fields: ['country'] },
        complement: true,
      },
      onError: 'ignore',
    },
    {
      id: 'enrich',
      type: 'enrichment',
      options: {
        aggregates: [
          { name: 'spend', fn: 'sum', link: 'purchases', field: 'amount', filter: "category = 'books'" },
        ],
        expressions: [{ name: 'big', expression: 'score > 10' }],
      },
    },
    {
      id: 'split',
      type: 'split',
      options: {
        subsets: [
          {
            code: 'gold',
            filter: 'spend > 100',
            limit: { count: 500, order: { kind: 'column', column: 'spend' } },
          },
          { code: 'others' },
        ],
        complement: true,
      },
    },
    {
      id: 'reco',
      type: 'reconciliation',
      options: {
        dimension: 'purchases',
        rules: [{ column: 'email', field: 'category' }],
        keepUnreconciled: true,
      },
    },
    { id: 'back', type: 'change_dimension', options: { dimension: 'profiles' } },
    { id: 'file', type: 'export_file', options: { format: 'ndjson', name: 'gold' } },
    { id: 'mail', type: 'channel', options: { channel: 'email', purpose: 'newsletter', address: 'email' } },
    { id: 'fork', type: 'fork', options: {} },
    { id: 'wait', type: 'wait', options: { duration: { days: 1 } } },
    { id: 'join', type: 'and_join', options: { primary: 'j1' } },
    {
      id: 'save',
      type: 'save_audience',
      options: {
        label: 'Gold',
        mode: 'create_or_update',
        share: { dataSource: 'ds_x', target: { newName: 'Gold', sharedWith: ['partner'] }, mode: 'add' },
      },
    },
    { id: 'end', type: 'end', options: {} },
  ],
  transitions: [
    { id: 't1', from: 'go', to: 'fr' },
    { id: 't2', from: 'fr', to: 'both' },
    { id: 't3', from: 'vip', to: 'both' },
    { id: 't4', from: 'both', to: 'dedup' },
    { id: 't5', from: 'dedup', to: 'enrich' },
    { id: 't6', from: 'enrich', to: 'split' },
    { id: 'gold', from: 'split', to: 'fork', output: 'gold', label: 'Gold members' },
    { id: 'others', from: 'split', to: 'reco', output: 'others' },
    { id: 'raw', from: 'reco', to: 'end', output: 'unreconciled' },
    { id: 't7', from: 'reco', to: 'back' },
    { id: 't8', from: 'back', to: 'end' },
    { id: 'j1', from: 'fork', to: 'file' },
    { id: 'j2', from: 'fork', to: 'wait' },
    { id: 't9', from: 'file', to: 'join' },
    { id: 't10', from: 'wait', to: 'join' },
    { id: 't11', from: 'join', to: 'save' },
    { id: 't12', from: 'save', to: 'mail', output: 'exported' },
    { id: 't13', from: 'mail', to: 'end' },
    { id: 't14', from: 'split', to: 'end', output: 'complement' },
    { id: 't15', from: 'dedup', to: 'end', output: 'complement' },
  ],
  settings: {
    dimension: 'profiles',
    errorManagement: 'suspend',
    keepInterimResults: false,
    timeZone: 'Europe/Paris',
  },
}
