/** Quoting and escaping for nginx configuration text, and the writer that indents it. */
/**
 * The one encoder of declared text into nginx configuration. Declared text is always written in
 * double quotes (nothing in it can end the directive or start a comment), with `\\` and `"`
 * escaped. Where nginx expands variables in a string (header values, realms, redirect and
 * rewrite targets, map results), a declared `$` is written as `${dollar}`: the variable the
 * `geo` block of `DOLLAR_VARIABLE` defines, whose value is a single `$` (nginx has no escape for
 * it). Map keys and regexes are not expanded: they keep `$` as it is.
 */

/** A variable in an nginx string: written as `${name}`, so declared text after it cannot extend its name. */
export interface NginxVariable {
  readonly variable: string;
}

/** `$name` in a string built by `quote`. */
export function variable(name: string): NginxVariable {
  return { variable: name };
}

/** Defines `$dollar` (a literal "$"): `geo` values are plain strings, never expanded. */
export const DOLLAR_VARIABLE = 'geo $dollar {\n  default "$";\n}';

/**
 * A double-quoted string of declared text and variables, for a directive that expands variables:
 * the text reaches nginx literally, each `$` of it as `${dollar}`.
 */
export function quote(...parts: readonly (string | number | NginxVariable)[]): string {
  const text = parts.map((part) => typeof part === 'object' ? `\${${part.variable}}` : escapeQuoted(String(part)).replace(/\$/g, () => '${dollar}'));
  return `"${text.join('')}"`;
}

/** A double-quoted map key or regex: nginx reads it after unescaping, without expanding variables. */
export function quoteKey(text: string): string {
  return `"${escapeQuoted(text)}"`;
}

/**
 * A map key matching exactly the whole value against `regex` (a regex nginx runs with PCRE): `\z`,
 * not `$`, which would also match before a final newline (a `%0A` decoded into `$uri`).
 */
export function regexKey(regex: string): string {
  return quoteKey(`~^${regex}\\z`);
}

/** nginx unescapes `\\`, `\"`, `\'`, `\t`, `\r` and `\n` in quoted strings: a declared backslash is doubled. */
function escapeQuoted(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

/** A size in bytes as nginx reads it: `8m`, `512k`, or bytes. */
export { nginxSize as size } from '../../shared/nginx-size';

/** A regex for an nginx `~` match of exactly `literal`. */
export { escapeRegex as literalRegex } from '../../shared/regex';

/** The nginx variable of a request header: `$http_x_api_key`. */
export { headerVariable } from '../../shared/nginx-variable';

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
