import { percentEncoding } from '../../../core/percent-encoding';
import { escapeRegex } from '../../shared/regex';

/*
 * Regexes matching exactly a declared literal in what nginx's variables hold. `$uri` is the path
 * percent-decoded (and normalized); `$args` is the query string as the client sent it, where any
 * byte may be percent-encoded and a space may be "+". Header variables hold the bytes sent.
 */

/**
 * The declared path (RFC 3986 characters and percent-encodings, checked at the intent) as `$uri`
 * holds it: each `%XX` is the byte `\xXX`, the rest literal.
 */
export function decodedPathRegex(path: string): string {
  return path.split(/(%[0-9A-Fa-f]{2})/).map((part, i) => i % 2 === 1 ? `\\x${part.slice(1).toUpperCase()}` : escapeRegex(part)).join('');
}

/**
 * The query string (`$args`) whose first parameter named `name` (in any encoding; names compare
 * exactly, where nginx's `$arg_<name>` ignores case) has a value matching `value`, a regex over the
 * value as sent (`encodedQueryValueRegex`).
 */
export function queryParameterRegex(name: string, value: string): string {
  const n = encodedQueryValueRegex(name);
  return `(?:(?!${n}=)[^&]*&)*${n}=${value}(?:&[\\s\\S]*)?`;
}

/** The declared (decoded) query value in any encoding a client may send: each byte literal or as `%XX`, a space also as "+". */
export function encodedQueryValueRegex(value: string): string {
  return [...Buffer.from(value, 'utf8')].map(queryByte).join('');
}

function queryByte(byte: number): string {
  const hex = percentEncoding(byte).slice(1);
  const encoded = `%${[...hex].map((d) => /[A-F]/.test(d) ? `[${d}${d.toLowerCase()}]` : d).join('')}`;
  const raw = byte === 0x20 ? '\\+'
    // "&" ends the value, "%" starts an encoding, "+" is a space, "#" ends the query: these come encoded only.
    : byte > 0x20 && byte < 0x7f && !'&%+#'.includes(String.fromCharCode(byte)) ? escapeRegex(String.fromCharCode(byte))
      : byte >= 0x80 ? `\\x${hex}` : undefined;
  return raw === undefined ? encoded : `(?:${raw}|${encoded})`;
}
