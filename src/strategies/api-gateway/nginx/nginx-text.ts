/** Quoting and escaping for nginx configuration text. */

/**
 * A double-quoted nginx string. nginx expands `$name` in strings and has no escape for a literal
 * `$`, so a value containing one cannot be written: the caller reports it.
 */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** True when nginx would read part of `value` as a variable. */
export function hasVariable(value: string): boolean {
  return /\$[A-Za-z_{]/.test(value);
}

/** A regex for an nginx `~` match of exactly `literal`. */
export { escapeRegex as literalRegex } from '../../text';

/** The nginx variable of a request header: `$http_x_api_key`. */
export function headerVariable(name: string): string {
  return `$http_${name.toLowerCase().replace(/-/g, '_')}`;
}

/** Indents the lines of a block by `depth` levels of two spaces. */
export function indent(lines: readonly string[], depth: number): string[] {
  return lines.map((l) => (l === '' ? '' : `${'  '.repeat(depth)}${l}`));
}
