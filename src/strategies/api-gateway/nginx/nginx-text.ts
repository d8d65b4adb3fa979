/** Quoting and escaping for nginx configuration text, and the writer that indents it. */
import { checkLetThrough } from '../engine';

/**
 * A double-quoted nginx string. nginx expands `$name` in strings and has no escape for a literal
 * `$`, so a value containing one cannot be written: the caller reports it.
 */
export function quote(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** True when nginx would read part of `value` as a variable. */
export function hasVariable(value: string): boolean {
  // $name, ${name}, and $1..$9: the captures of the last regex nginx matched.
  return /\$[A-Za-z0-9_{]/.test(value);
}

/**
 * A declared value (a header value, a redirect or rewrite target) as a double-quoted nginx string
 * that reaches the proxy literally: the engine's check refused every value nginx would expand.
 */
export function literal(value: string): string {
  if (hasVariable(value)) checkLetThrough('nginx', `the value "${value}", which nginx would expand`);
  return quote(value);
}

/** A regex for an nginx `~` match of exactly `literal`. */
export { escapeRegex as literalRegex } from '../../shared/regex';

/** The nginx variable of a request header: `$http_x_api_key`. */
export function headerVariable(name: string): string {
  return `$http_${name.toLowerCase().replace(/-/g, '_')}`;
}

/**
 * Lines of nginx configuration, indented as they are added: a block's writer adds at its depth
 * (two spaces a level) into the text it shares with its parents, so no line is re-indented for
 * each enclosing block.
 */
export class ConfigLines {
  constructor(
    /** The lines of the whole text, shared by nested writers. */
    public readonly lines: string[] = [],
    private readonly prefix = '',
  ) {}

  /** Adds lines at this depth ('' stays an empty line). */
  public add(...lines: readonly string[]): this {
    for (const line of lines) this.lines.push(line === '' ? '' : this.prefix + line);
    return this;
  }

  /** A writer one level deeper, adding to the same text. */
  public nested(): ConfigLines {
    return new ConfigLines(this.lines, `${this.prefix}  `);
  }

  /** A writer at this depth with lines of its own, for text placed later with `append`. */
  public detached(): ConfigLines {
    return new ConfigLines([], this.prefix);
  }

  /** Adds lines already indented for this depth (by a detached writer at this depth). */
  public append(lines: readonly string[]): this {
    for (const line of lines) this.lines.push(line);
    return this;
  }

  /** `open {`, the body one level deeper, `}`. */
  public block(open: string, body: (inner: ConfigLines) => void): this {
    this.add(`${open} {`);
    body(this.nested());
    return this.add('}');
  }
}
