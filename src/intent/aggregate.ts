import { AggregatePathPiece } from './model';
import { headerNameProblem, urlPathProblem } from '../core/validators';

/** A part's name: its member in the JSON answer, and part of generated names. */
const PART_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,62}$/;
/** The member of the answer that reports failed parts. */
export const ERRORS_MEMBER = 'errors';
/** A query parameter name a placeholder may take: what a URL query carries unencoded. */
const QUERY_NAME = /^[A-Za-z0-9._~-]{1,128}$/;
const PLACEHOLDER = /\{([^{}]*)\}/g;
/** What a query carries as is (RFC 3986 `query`), and percent-escapes. */
const QUERY_TEXT = /^(?:[-A-Za-z0-9._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;

/** The problem with a part's name, or undefined. */
export function partNameProblem(name: string): string | undefined {
  if (name === ERRORS_MEMBER) return `"${ERRORS_MEMBER}" is the member that reports failed parts; name the part otherwise`;
  if (!PART_NAME.test(name)) return `${JSON.stringify(name)} is not a part name; use 1 to 63 letters, digits, "_" or "-", starting with a letter`;
  return undefined;
}

/**
 * A part's path template in pieces, or the problems with it: a URL path, then optionally `?` and
 * a query, with `{query.NAME}` and `{header.NAME}` placeholders (header names lowercased).
 */
export function aggregatePath(template: string): { pieces: AggregatePathPiece[]; problems: string[] } {
  const pieces: AggregatePathPiece[] = [];
  const problems: string[] = [];
  if (!template.startsWith('/')) return { pieces, problems: [`${JSON.stringify(template)} does not start with "/"; use "/${template}"`] };
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    if (m.index! > last) pieces.push({ kind: 'text', text: template.slice(last, m.index) });
    last = m.index! + m[0].length;
    const [source, ...rest] = m[1].split('.');
    const name = rest.join('.');
    if (source === 'query') {
      if (QUERY_NAME.test(name)) pieces.push({ kind: 'query', name });
      else problems.push(`${m[0]} does not name a query parameter; use 1 to 128 letters, digits, ".", "_", "~" or "-"`);
    } else if (source === 'header') {
      const problem = headerNameProblem(name);
      if (problem === undefined) pieces.push({ kind: 'header', name: name.toLowerCase() });
      else problems.push(`${m[0]}: ${problem}`);
    } else {
      problems.push(`${m[0]} is not a placeholder; use {query.NAME} or {header.NAME}`);
    }
  }
  if (last < template.length) pieces.push({ kind: 'text', text: template.slice(last) });
  // The text as the backend gets it with every value a plain "x": a URL path, then the query.
  const text = pieces.map((p) => (p.kind === 'text' ? p.text : 'x')).join('');
  if (/[{}]/.test(text)) {
    problems.push(`${JSON.stringify(template)} has a "{" or "}" outside a placeholder; placeholders are {query.NAME} and {header.NAME}`);
    return { pieces, problems };
  }
  const question = text.indexOf('?');
  const path = question < 0 ? text : text.slice(0, question);
  const query = question < 0 ? '' : text.slice(question + 1);
  const pathProblem = urlPathProblem(path);
  if (pathProblem !== undefined) problems.push(pathProblem);
  else if (!QUERY_TEXT.test(query)) problems.push(`the query ${JSON.stringify(query)} has characters a URL query carries percent-encoded (or a "#"); percent-encode them`);
  return { pieces: mergeText(pieces), problems };
}

/** Adjacent text pieces as one. */
function mergeText(pieces: AggregatePathPiece[]): AggregatePathPiece[] {
  const out: AggregatePathPiece[] = [];
  for (const p of pieces) {
    const previous = out[out.length - 1];
    if (p.kind === 'text' && previous?.kind === 'text') out[out.length - 1] = { kind: 'text', text: previous.text + p.text };
    else out.push(p);
  }
  return out;
}
