/** Digits needed for ids 1..count, at least `min`. */
export function idWidth(count: number, min: number): number {
  return Math.max(min, String(count).length)
}

/** Digits of profile ids (`p0000001`) in a demo of `profiles` profiles: 7, more beyond 9 999 999. */
export function profileIdWidth(profiles: number): number {
  return idWidth(profiles, 7)
}
