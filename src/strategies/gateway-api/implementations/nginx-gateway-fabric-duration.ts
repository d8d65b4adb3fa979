/** The units of NGINX Gateway Fabric's `Duration` (`^[0-9]{1,4}(ms|s|m|h)?$`), largest first. */
const UNITS: readonly (readonly [string, number])[] = [['h', 3_600_000], ['m', 60_000], ['s', 1000], ['ms', 1]];

/**
 * A duration as NGINX Gateway Fabric's CRDs take it: a whole number of the largest unit it is
 * whole in, or undefined when that number has more than 4 digits.
 */
export function ngfDuration(ms: number): string | undefined {
  const [unit, per] = UNITS.find(([, p]) => ms % p === 0) ?? UNITS[UNITS.length - 1];
  const n = ms / per;
  return Number.isSafeInteger(n) && n >= 0 && n <= 9999 ? `${n}${unit}` : undefined;
}
