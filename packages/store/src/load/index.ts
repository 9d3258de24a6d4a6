export * from './bulk-load'
export * from './ddl'
