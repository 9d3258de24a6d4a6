export * from './app'
export * from './demo'
export * from './start'
export * from './tokens'
