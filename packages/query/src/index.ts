export * from './compile'
export * from './context'
export * from './expr/ast'
export { type ExprType, FUNCTION_NAMES } from './expr/check'
export { parseExpression } from './expr/parser'
export * from './rule/ast'
export { resolveRelativeDate } from './rule/relative-date'
export {
  checkJsonDepth,
  MAX_RULE_DEPTH,
  MAX_RULE_NODES,
  validateRule,
} from './rule/validate'
