/**
 * Words for values of the wrong runtime type, so that a JavaScript caller (or a cast) gets an
 * error that says what was passed instead of a TypeError.
 */

/** A value as an error names it: `a number (5)`, `undefined`, `an array`, `a string ("/api")`. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': return `a string (${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)})`;
    case 'number': return `a number (${value})`;
    case 'bigint': return `a bigint (${value})`;
    case 'boolean': return `a boolean (${value})`;
    case 'symbol': return 'a symbol';
    case 'function': return 'a function';
    default: {
      const name = (value as object).constructor?.name;
      return name && name !== 'Object' ? `a ${name}` : 'an object';
    }
  }
}

/** An object with named members: not null, not an array. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The problem when `value` is not a string, or undefined. */
export function notAString(value: unknown, what: string): string | undefined {
  return typeof value === 'string' ? undefined : `${what} is ${describeValue(value)}; use a string`;
}

/** The problem when `value` is not a finite number, or undefined. */
export function notANumber(value: unknown, what: string): string | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? undefined : `${what} is ${describeValue(value)}; use a finite number`;
}

/** The problem when `value` is neither undefined nor a plain object, or undefined. */
export function notAnOptionsObject(value: unknown, what: string): string | undefined {
  return value === undefined || isPlainObject(value)
    ? undefined : `${what} is ${describeValue(value)}; use an object`;
}

/** The known name closest to a misspelled one (at most two edits away), if any. */
export function didYouMean(name: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}
