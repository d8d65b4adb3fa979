/**
 * nginx configuration text to a tree of directives, as nginx reads it (ngx_conf_file.c): words
 * separated by whitespace, `;` ends a directive, `{ ... }` its block, `#` a comment to the end of
 * the line; a word in single or double quotes keeps its spaces, and inside quotes `\"`, `\'`,
 * `\\`, `\t`, `\r`, `\n` are escapes (any other backslash stays). `include` is replaced by the
 * directives of the files it names (a glob's files in name order), read through `readFile`.
 */

/** One directive: its name, its arguments (unquoted, escapes resolved), its block when it has one. */
export interface NginxDirective {
  readonly name: string;
  readonly args: readonly string[];
  readonly block?: readonly NginxDirective[];
  /** `file:line`, for errors. */
  readonly at: string;
}

/** What `include` reads: the files of a path (a glob may name several), or undefined when there is none to read. */
export type NginxFileReader = (path: string) => { readonly path: string; readonly text: string }[] | undefined;

/** An `include` of a file the reader does not have: its directives are unknown (kept as a marker in the tree). */
export const UNREADABLE_INCLUDE = '#unreadable-include';

export class NginxParseError extends Error {}

interface Token {
  readonly word: string;
  /** `;`, `{`, `}` as syntax (not quoted). */
  readonly syntax: boolean;
  readonly line: number;
}

/** The words and syntax characters of the text. */
export function tokenize(text: string, file = 'nginx.conf'): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') line++;
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';' || c === '{' || c === '}') {
      tokens.push({ word: c, syntax: true, line });
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const start = line;
      let word = '';
      i++;
      while (i < text.length && text[i] !== c) {
        if (text[i] === '\\' && i + 1 < text.length) {
          word += escaped(text[i + 1]);
          i += 2;
          continue;
        }
        if (text[i] === '\n') line++;
        word += text[i++];
      }
      if (i >= text.length) throw new NginxParseError(`${file}:${start}: unterminated quoted string`);
      i++;
      tokens.push({ word, syntax: false, line: start });
      continue;
    }
    let word = '';
    while (i < text.length && !/[\s;{}]/.test(text[i])) {
      // Unquoted too, a backslash escapes the next character (the same escapes); `${` keeps a `{` in the word.
      if (text[i] === '\\' && i + 1 < text.length) {
        word += escaped(text[i + 1]);
        i += 2;
        continue;
      }
      if (text[i] === '$' && text[i + 1] === '{') {
        const end = text.indexOf('}', i);
        if (end < 0) throw new NginxParseError(`${file}:${line}: unterminated variable`);
        word += text.slice(i, end + 1);
        i = end + 1;
        continue;
      }
      word += text[i++];
    }
    tokens.push({ word, syntax: false, line });
  }
  return tokens;
}

/** The character a backslash and `n` stand for. */
function escaped(n: string): string {
  return n === '"' || n === "'" || n === '\\' ? n : n === 't' ? '\t' : n === 'r' ? '\r' : n === 'n' ? '\n' : `\\${n}`;
}

/** The directives of a file, `include`s resolved. */
export function parseNginxConfig(text: string, file: string, readFile: NginxFileReader = () => undefined, depth = 0): NginxDirective[] {
  if (depth > 16) throw new NginxParseError(`${file}: include nested too deep`);
  const tokens = tokenize(text, file);
  let i = 0;
  const block = (nested: boolean): NginxDirective[] => {
    const out: NginxDirective[] = [];
    let words: Token[] = [];
    while (i < tokens.length) {
      const t = tokens[i++];
      if (t.syntax && t.word === '}') {
        if (!nested) throw new NginxParseError(`${file}:${t.line}: unexpected "}"`);
        if (words.length > 0) throw new NginxParseError(`${file}:${t.line}: directive "${words[0].word}" is not terminated by ";"`);
        return out;
      }
      if (t.syntax && t.word === ';') {
        if (words.length === 0) continue;
        const [name, ...args] = words.map((w) => w.word);
        const at = `${file}:${words[0].line}`;
        if (name === 'include') out.push(...include(args, at));
        else out.push({ name, args, at });
        words = [];
        continue;
      }
      if (t.syntax && t.word === '{') {
        if (words.length === 0) throw new NginxParseError(`${file}:${t.line}: unexpected "{"`);
        const [name, ...args] = words.map((w) => w.word);
        const at = `${file}:${words[0].line}`;
        out.push({ name, args, at, block: block(true) });
        words = [];
        continue;
      }
      words.push(t);
    }
    if (nested) throw new NginxParseError(`${file}: unexpected end of file, expecting "}"`);
    if (words.length > 0) throw new NginxParseError(`${file}:${words[0].line}: unexpected end of file, expecting ";" or "}"`);
    return out;
  };
  const include = (args: string[], at: string): NginxDirective[] => {
    if (args.length !== 1) throw new NginxParseError(`${at}: include takes one file`);
    const files = readFile(args[0]);
    if (files === undefined) return [{ name: UNREADABLE_INCLUDE, args, at }];
    return files.flatMap((f) => parseNginxConfig(f.text, f.path, readFile, depth + 1));
  };
  return block(false);
}
