export * from './file-names'
export {
  CSV_HEADERS,
  type CsvColumns,
  csvLine,
  inboundLines,
  outboundLine,
  type ParsedLine,
  parseCsvLine,
  parseInboundLine,
  parseOutboundLine,
} from './line-formats'
export { type BatchFileReader, openBatchFile, ReadOptions, summariseBatchFile } from './reader'
export * from './types'
export { UserTracker } from './user-tracker'
export { WriteOptions, writeBatchFiles } from './writer'
