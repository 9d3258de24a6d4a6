export * from './cases'
export * from './fixtures'
