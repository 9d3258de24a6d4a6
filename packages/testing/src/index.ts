export * from './generator'
