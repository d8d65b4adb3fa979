import { aggregatePartsValue } from './nginx-aggregate';
import { appendedHeaderValue, prefixRewrites, proxyPassTarget } from './nginx-proxy';
import { matchConditions } from './nginx-route-selection';
import { redirectTarget } from './nginx-routes';
import { ConfigLines, headerVariable, literalRegex, quote, regexKey } from './nginx-text';
import { Problem } from '../../../core/errors';
import { RouteIntent } from '../../../intent/model';

/**
 * nginx reads each token of its configuration into a buffer of 4096 bytes (`NGX_CONF_BUFFER`): a
 * token of 4096 bytes or more, quotes included, stops it with "too long parameter" (measured on
 * nginx 1.22 to 1.29, wherever the token starts in the file).
 */
export const NGINX_MAX_TOKEN_BYTES = 4095;

/** A token of the configuration written from declared text, and where it was declared. */
interface DeclaredToken {
  readonly field: string;
  /** What the token carries, for the message: `the match on header "x-a"`. */
  readonly subject: string;
  readonly token: string;
}

/**
 * Declared text that would be written as a token nginx cannot read. The encoders make some text
 * longer than declared: an exact query value becomes a regex matching each byte in every encoding
 * (up to 18 bytes each), a `$` in an expanded string `${dollar}`. `i` is the route's place in the
 * order the routes are written (most specific first), which names its variables.
 */
export function tokenLengthProblems(route: RouteIntent, i: number): Problem[] {
  // The longest token of each declared text (a prefix rewrite is written twice).
  const longest = new Map<string, DeclaredToken & { bytes: number }>();
  for (const t of declaredTokens(route, i)) {
    const bytes = Buffer.byteLength(t.token, 'utf8');
    const key = `${t.field} ${t.subject}`;
    if (bytes > NGINX_MAX_TOKEN_BYTES && bytes > (longest.get(key)?.bytes ?? 0)) longest.set(key, { ...t, bytes });
  }
  return [...longest.values()].map((t) => ({
    field: t.field,
    message: `nginx reads at most ${NGINX_MAX_TOKEN_BYTES} bytes per configuration token, and ${t.subject} is written as one of ${t.bytes} bytes; `
      + 'shorten it, or use the Kong engine',
  }));
}

function declaredTokens(route: RouteIntent, i: number): DeclaredToken[] {
  const s = route.sources;
  const headerNames = (field: string | undefined, names: readonly string[]): DeclaredToken[] =>
    names.map((name) => ({ field: field!, subject: `the header name "${name}"`, token: headerVariable(name) }));
  const tokens: DeclaredToken[] = [
    ...headerNames(`${route.field}.match.headers`, route.match.headers.map((h) => h.name)),
    ...matchConditions(route).map((c) => ({ field: `${route.field}.match`, subject: `the match on ${c.subject}`, token: regexKey(c.regex) })),
  ];
  const edits = (field: string | undefined, e: RouteIntent['requestHeaders'], request: boolean): DeclaredToken[] => e === undefined ? [] : [
    ...headerNames(field, [...e.set.map((h) => h.name), ...e.add.map((h) => h.name), ...e.remove]),
    ...e.set.map((h) => ({ field: field!, subject: `the value of "${h.name}"`, token: quote(h.value) })),
    ...e.add.map((h) => ({ field: field!, subject: `the value of "${h.name}"`, token: request ? appendedHeaderValue(h.name, h.value) : quote(h.value) })),
  ];
  tokens.push(...edits(s.requestHeaders, route.requestHeaders, true), ...edits(s.responseHeaders, route.responseHeaders, false));
  const action = route.action;
  if (action.kind === 'redirect') tokens.push({ field: s.redirect!, subject: 'the redirect target', token: redirectTarget(action) });
  if (action.kind === 'forward') {
    tokens.push({ field: s.rewrite ?? route.field, subject: 'the upstream URI', token: proxyPassTarget(route, i, new ConfigLines()) });
    const r = route.rewrite;
    if (r?.host !== undefined) tokens.push({ field: s.rewrite!, subject: 'the rewritten host', token: quote(r.host) });
    if (r?.path !== undefined && route.match.path.kind === 'prefix') {
      tokens.push(...prefixRewrites(route.match.path.value, r.path, i).flat().map((token) => ({ field: s.rewrite!, subject: 'the path rewrite', token })));
    }
  }
  if (action.kind === 'aggregate') tokens.push({ field: `${route.field}.aggregate`, subject: 'the list of parts (names and paths)', token: aggregatePartsValue(action, i) });
  const auth = route.auth;
  if (auth?.kind === 'basic') tokens.push({ field: s.auth!, subject: 'the realm', token: quote(auth.realm) });
  if (auth?.kind === 'api-key') tokens.push(...headerNames(s.auth, [auth.header]));
  const cors = route.cors;
  if (cors !== undefined) {
    tokens.push(
      ...cors.allowOrigins.map((o) => ({ field: s.cors!, subject: `the origin "${o}"`, token: regexKey(literalRegex(o)) })),
      ...[cors.allowMethods, cors.allowHeaders, cors.exposeHeaders].map((list) => ({ field: s.cors!, subject: 'a header list', token: quote(list.join(', ')) })),
    );
  }
  return tokens;
}
