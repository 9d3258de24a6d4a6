import { toApiError } from '../../api/client'
import type { paths } from '../../api/schema.gen'

export type BatchReport =
  paths['/v1/orgs/{org}/datasets/{table}/batches']['post']['responses'][200]['content']['application/json']

const CONTENT_TYPES: [RegExp, string][] = [
  [/\.csv$/i, 'text/csv'],
  [/\.(ndjson|jsonl)$/i, 'application/x-ndjson'],
  [/\.gz$/i, 'application/gzip'],
]

/**
 * Sends a file to a POST route whose body is the raw file, reporting upload progress (0 to 1).
 * XMLHttpRequest, not fetch, because only it reports upload progress; the route and its answer
 * are typed from the OpenAPI document like every other call.
 */
export function uploadRaw<T>(url: string, file: File, onProgress: (fraction: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', url)
    xhr.setRequestHeader(
      'content-type',
      CONTENT_TYPES.find(([re]) => re.test(file.name))?.[1] ?? 'application/octet-stream',
    )
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total)
    }
    xhr.onload = () => {
      let body: unknown = null
      try {
        body = JSON.parse(xhr.responseText)
      } catch {
        body = null
      }
      if (xhr.status >= 200 && xhr.status < 300) resolve(body as T)
      else reject(toApiError(xhr.status, body))
    }
    xhr.onerror = () => reject(toApiError(0, { error: { code: 'NETWORK_ERROR', message: 'The upload was interrupted' } }))
    xhr.send(file)
  })
}

/** Ingests a file into a dataset as one batch. */
export function uploadBatch(
  org: string,
  table: string,
  file: File,
  onProgress: (fraction: number) => void,
): Promise<BatchReport> {
  const url = `/v1/orgs/${encodeURIComponent(org)}/datasets/${encodeURIComponent(table)}/batches?${new URLSearchParams({ fileName: file.name })}`
  return uploadRaw<BatchReport>(url, file, onProgress)
}
