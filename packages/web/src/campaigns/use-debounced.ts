import { useEffect, useState } from 'react'

/** `value` once it has stayed the same for `delayMs` (the editors check what the user stopped typing). */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [settled, setSettled] = useState(value)
  useEffect(() => {
    const t = setTimeout(() => setSettled(value), delayMs)
    return () => clearTimeout(t)
  }, [value, delayMs])
  return settled
}
