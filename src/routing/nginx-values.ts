/**
 * Values as nginx computes them: strings with variables (`$name`, `${name}`, `$1`..`$9`) and
 * PCRE regexes, run here as JavaScript regexes of the same meaning.
 */

/**
 * A value the manifests do not determine: the client's address, a credential map rendered at pod
 * start from a Secret, a response of an auth service. `why` says which.
 */
export class Unknown {
  constructor(public readonly why: string) {}
}

export type Value = string | Unknown;

/** An error of the model: what it meets that it does not model, or a configuration nginx would refuse. */
export class NginxModelError extends Error {}

/** Looks a variable up by name (`uri`, `http_host`, `1` for a capture). */
export type Lookup = (name: string) => Value;

/** The parts of a string with variables: literal text and variable names. */
export function valueParts(text: string): ({ literal: string } | { variable: string })[] {
  const parts: ({ literal: string } | { variable: string })[] = [];
  let literal = '';
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$') {
      literal += text[i];
      continue;
    }
    let name: string;
    if (text[i + 1] === '{') {
      const end = text.indexOf('}', i);
      if (end < 0) throw new NginxModelError(`the variable in ${JSON.stringify(text)} has no "}"`);
      name = text.slice(i + 2, end);
      i = end;
    } else if (/[0-9]/.test(text[i + 1] ?? '')) {
      name = text[i + 1];
      i += 1;
    } else {
      name = /^[A-Za-z0-9_]*/.exec(text.slice(i + 1))![0];
      i += name.length;
    }
    if (!/^[A-Za-z0-9_]+$/.test(name)) throw new NginxModelError(`invalid variable name in ${JSON.stringify(text)}`);
    if (literal !== '') parts.push({ literal });
    literal = '';
    parts.push({ variable: name });
  }
  if (literal !== '') parts.push({ literal });
  return parts;
}

/** Whether the text has variables (nginx then computes it per request). */
export function hasVariables(text: string): boolean {
  return valueParts(text).some((p) => 'variable' in p);
}

/** The text with its variables' values; Unknown when one of them is. */
export function expand(text: string, lookup: Lookup): Value {
  let out = '';
  for (const part of valueParts(text)) {
    if ('literal' in part) {
      out += part.literal;
      continue;
    }
    const value = lookup(part.variable);
    if (value instanceof Unknown) return value;
    out += value;
  }
  return out;
}

/**
 * A PCRE regex (as nginx compiles it: no multi-line, `$` also before a final newline) as a
 * JavaScript one. What has no equivalent here (atomic groups, possessive quantifiers, inline
 * flags other than `(?i)` over every letter, `\Q...\E`) is refused.
 */
export function pcre(source: string, caseInsensitive = false): RegExp {
  let flags = caseInsensitive ? 'i' : '';
  const s = source;
  let out = '';
  let inClass = false;
  // `(?i)` turns case-insensitivity on up to the end of its group: as the whole regex's flag when
  // no letter stands outside that scope (which would have to stay case-sensitive).
  let depth = 0;
  let scope: number | undefined;
  let lettersOutside = false;
  const letter = (c: string) => {
    if (/[A-Za-z]/.test(c) && scope === undefined) lettersOutside = true;
  };
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '\\') {
      const n = s[i + 1];
      if (n === undefined) throw new NginxModelError(`the regex ${JSON.stringify(source)} ends with "\\"`);
      i++;
      if (inClass) { out += `\\${n}`; continue; }
      if (n === 'z') out += '$(?![\\s\\S])';
      else if (n === 'Z') out += '(?=\\n?$(?![\\s\\S]))';
      else if (n === 'A') out += '^';
      else if (n === 'Q' || n === 'E' || n === 'G' || n === 'K') throw new NginxModelError(`the regex ${JSON.stringify(source)}: "\\${n}" is not modelled`);
      else out += `\\${n}`;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      letter(c);
      out += c;
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      // A "]" first in a class (or after "^") is literal in PCRE.
      if (s[i + 1] === '^') { out += '^'; i++; }
      if (s[i + 1] === ']') { out += '\\]'; i++; }
      continue;
    }
    if (c === '$') { out += '(?=\\n?$(?![\\s\\S]))'; continue; }
    if (c === ')') {
      depth--;
      if (scope !== undefined && depth < scope) scope = undefined;
      out += c;
      continue;
    }
    if (c === '(' && s[i + 1] === '?') {
      const rest = s.slice(i + 2);
      if (rest.startsWith('i)')) {
        scope = Math.min(scope ?? depth, depth);
        flags = 'i';
        i += 3;
        continue;
      }
      depth++;
      if (rest.startsWith('P<')) { out += '(?<'; i += 3; continue; }
      if (/^(:|=|!|<=|<!)/.test(rest)) { out += c; continue; }
      if (/^<[A-Za-z_]/.test(rest)) { out += '(?<'; i += 2; continue; }
      throw new NginxModelError(`the regex ${JSON.stringify(source)}: the group "(?${rest.slice(0, 2)}" is not modelled`);
    }
    if (c === '(') depth++;
    if ((c === '+' || c === '*' || c === '?' || c === '}') && s[i + 1] === '+') {
      throw new NginxModelError(`the regex ${JSON.stringify(source)}: possessive quantifiers are not modelled`);
    }
    letter(c);
    out += c;
  }
  if (flags === 'i' && !caseInsensitive && lettersOutside) {
    throw new NginxModelError(`the regex ${JSON.stringify(source)}: "(?i)" in part of it is not modelled`);
  }
  try {
    return new RegExp(out, flags);
  } catch (e) {
    throw new NginxModelError(`the regex ${JSON.stringify(source)} does not compile: ${(e as Error).message}`);
  }
}
