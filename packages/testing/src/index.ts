export * from './conformance'
export * from './generator'
