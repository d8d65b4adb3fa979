/**
 * The one encoder of declared values into TypeScript text: string literals and comment text.
 * Every string the importer read reaches the generated program through here, so a value with
 * quotes, backslashes, line terminators, `${` or `*\/` is written as exactly that value.
 */

/**
 * A single-quoted string literal whose value is exactly `value`. Escapes the quote, backslashes,
 * every control character and line terminator (U+2028/U+2029 end a line in older parsers), and
 * lone surrogates (which no UTF-8 file can hold). `${` needs nothing: it is special only in
 * template literals, which the writer never emits.
 */
export function stringLiteral(value: string): string {
  let out = "'";
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    const ch = value[i];
    if (ch === "'") {out += "\\'";} else if (ch === '\\') {out += '\\\\';} else if (ch === '\n') {out += '\\n';} else if (ch === '\r') {out += '\\r';} else if (ch === '\t') {out += '\\t';} else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029) {out += unicodeEscape(c);} else if (c >= 0xd800 && c <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += ch + value[i + 1];
        i++;
      } else {
        out += unicodeEscape(c);
      }
    } else if (c >= 0xdc00 && c <= 0xdfff) {out += unicodeEscape(c);} else {out += ch;}
  }
  return out + "'";
}

/**
 * Text for a `//` or `/* *\/` comment, kept on one line and unable to end the comment: line
 * terminators and control characters are written as escapes, and `*\/` as `*\\/`.
 */
export function commentText(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (text[i] === '\n') out += '\\n';
    else if (text[i] === '\r') out += '\\r';
    else if (c < 0x20 || c === 0x7f || c === 0x2028 || c === 0x2029 || c === 0x85) out += unicodeEscape(c);
    else if (c >= 0xd800 && c <= 0xdfff) out += unicodeEscape(c);
    else out += text[i];
  }
  return out.replace(/\*\//g, '*\\/');
}

/**
 * An object key: bare when it is an identifier, else a string literal. `__proto__`, bare or quoted,
 * would set the object's prototype in a literal: computed, it is an own property like any other key.
 */
export function propertyKey(key: string): string {
  if (key === '__proto__') return `[${stringLiteral(key)}]`;
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(key) ? key : stringLiteral(key);
}

function unicodeEscape(code: number): string {
  return `\\u${code.toString(16).padStart(4, '0')}`;
}
