import { ConfigLines, regexKey } from './nginx-text';

/**
 * A regex matching exactly the decimal integers (no sign, no leading zero) at least `n`: those
 * with more digits than `n`, `n` itself, and for each digit of `n` below 9, the numbers that
 * agree with `n` before it and are greater there (any digits after). nginx has no numeric
 * comparison; a regex over the clock's digits compares at each request.
 */
export function atLeastRegex(n: number): string {
  if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${n} is not a whole number of at least 0`);
  const digits = String(n);
  const alternatives = [digits];
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[i]);
    if (d === 9) continue;
    const rest = digits.length - i - 1;
    alternatives.push(`${digits.slice(0, i)}${d + 1 === 9 ? '9' : `[${d + 1}-9]`}${rest === 0 ? '' : rest === 1 ? '[0-9]' : `[0-9]{${rest}}`}`);
  }
  alternatives.push(`[1-9][0-9]{${digits.length},}`);
  return `(?:${alternatives.join('|')})`;
}

/**
 * The `map` of nginx's clock (`$msec`: seconds since 1970, a dot, milliseconds) to 1 from the
 * second `epochSeconds` on, else 0: evaluated at each request, so the answer changes when the
 * date passes without a reload.
 */
export function renderAtOrAfter(variableName: string, epochSeconds: number, http: ConfigLines): void {
  http.block(`map $msec ${variableName}`, (map) => map.add('default 0;', `${regexKey(`${atLeastRegex(epochSeconds)}\\.[0-9]{3}`)} 1;`)).add('');
}
