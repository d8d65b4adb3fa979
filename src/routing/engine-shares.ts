/** Backends' shares of the traffic, as every engine's model reports them. */

/** Shares of each backend from weights (a backend listed twice adds up), rounded to 1e-6; weight 0 gets none and is left out. */
export function sharesOf(entries: readonly (readonly [string, number])[]): Record<string, number> {
  const sums = new Map<string, number>();
  for (const [b, w] of entries) sums.set(b, (sums.get(b) ?? 0) + w);
  const total = [...sums.values()].reduce((a, w) => a + w, 0);
  if (total === 0) throw new Error('no backend has a weight');
  return Object.fromEntries([...sums].filter(([, w]) => w > 0).map(([b, w]) => [b, Math.round((w / total) * 1e6) / 1e6]));
}

/** The backend with the largest share (the first of equals). */
export function largest(shares: Readonly<Record<string, number>>): string {
  let best = '';
  let share = -1;
  for (const [b, s] of Object.entries(shares)) {
    if (s > share) { best = b; share = s; }
  }
  return best;
}
