/** File name of the demo schema inside the output folder. */
export const DEMO_SCHEMA_FILE = 'schema.yaml'

/** The schema of the demo data set, in the schema file format of docs/schema-format.md. */
export const DEMO_SCHEMA_YAML = `# Audience Hub demo schema, written by \`ahub demo generate\`.
tables:
  profiles:
    label: Profiles
    description: One row per known customer.
    primaryKey: [profile_id]
    versionField: updated_at
    fields:
      profile_id: { type: string, nullable: false, label: Profile ID }
      email:
        type: string
        label: E-mail
        identity: { namespace: email, primary: true }
        labels: [pii]
      phone:
        type: string
        label: Mobile phone
        identity: { namespace: phone, countryField: country }
        labels: [pii]
      crm_id: { type: string, label: CRM ID, identity: { namespace: crm } }
      first_name: { type: string, label: First name, labels: [pii] }
      last_name: { type: string, label: Last name, labels: [pii] }
      country: { type: enum, label: Country, values: [FR, DE, GB, US, ES, IT, NL, BE] }
      city: { type: string, label: City }
      birth_date: { type: date, label: Birth date, labels: [pii] }
      gender: { type: enum, label: Gender, values: [f, m, x], nullable: true }
      loyalty_tier: { type: enum, label: Loyalty tier, values: [bronze, silver, gold, platinum] }
      marketing_consent:
        type: boolean
        label: Marketing consent
        description: The customer agreed to receive marketing messages.
        labels: [consent]
      created_at: { type: timestamp, label: Created at }
      updated_at: { type: timestamp, nullable: false, label: Updated at }
    relationships:
      purchases: { target: purchases, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
      visitor_links: { target: visitor_links, cardinality: 1-N, on: { profile_id: profile_id }, inverse: profile }
  purchases:
    label: Purchases
    description: One row per purchase, online or in store, over the last two years.
    primaryKey: [purchase_id]
    fields:
      purchase_id: { type: string, nullable: false, label: Purchase ID }
      profile_id: { type: string, nullable: false, label: Profile ID }
      amount:
        type: number
        label: Amount
        description: In the purchase currency, with 2 decimals.
      currency: { type: enum, label: Currency, values: [EUR, GBP, USD] }
      category:
        type: enum
        label: Category
        values: [electronics, books, fashion, home, sports, beauty, toys, grocery]
      channel: { type: enum, label: Channel, values: [web, store, app] }
      purchased_at: { type: timestamp, label: Purchased at }
  visitor_links:
    label: Visitor links
    description: Visitor (cookie) IDs seen together with a known profile, e.g. after a click in an e-mail.
    primaryKey: [visitor_id, profile_id]
    versionField: seen_at
    linksTo: { table: profiles, field: profile_id }
    fields:
      visitor_id:
        type: string
        nullable: false
        label: Visitor ID
        identity: { namespace: ecid, primary: true }
      profile_id: { type: string, nullable: false, label: Profile ID }
      seen_at: { type: timestamp, nullable: false, label: Last seen at }
`
