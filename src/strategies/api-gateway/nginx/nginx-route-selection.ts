import { HeaderMatchIntent, PathMatchIntent, QueryParamMatchIntent, RouteIntent } from '../../../intent/model';
import { checkLetThrough } from '../engine';
import { ConfigLines, headerVariable, literalRegex, quoteKey, regexKey } from './nginx-text';
import { decodedPathRegex, encodedQueryValueRegex, queryParameterRegex } from './nginx-value-regex';

/** One condition of a route's match: a request variable, and the regex it must match whole. */
export interface MatchCondition {
  /** What is matched, for errors: `the path`, `header "x-a"`. */
  readonly subject: string;
  readonly variable: string;
  readonly regex: string;
}

/** The conditions of a route's match, one `map` each: path, method, headers, query parameters. */
export function matchConditions(route: RouteIntent): MatchCondition[] {
  const { path, method, headers, queryParams } = route.match;
  return [
    { subject: 'the path', variable: '$uri', regex: pathRegex(path) },
    ...(method ? [{ subject: 'the method', variable: '$request_method', regex: method }] : []),
    ...headers.map((h) => ({ subject: `header "${h.name}"`, variable: headerVariable(h.name), regex: headerValueRegex(h) })),
    ...queryParams.map((q) => ({ subject: `query parameter "${q.name}"`, variable: '$args', regex: queryParameterRegex(q.name, queryValueRegex(q)) })),
  ];
}

/**
 * nginx turns each named group of a map's regex into a variable set when it matches (a group
 * named `consumer` would overwrite the usage log's). RE2 has no backreferences: names only name.
 */
export function namedGroup(regex: string): string | undefined {
  return /(?<!\\)(?:\\\\)*\(\?P?<([A-Za-z_][A-Za-z0-9_]*)>/.exec(regex)?.[1];
}

/**
 * Route selection, injection-proof: each condition of each route is a `map` to 0 or 1 (never a
 * string built from request data), the conditions of a route combine into one flag, and
 * `$route_id` picks the first route whose flag is set, in the order of `routes` (most specific
 * first). Writes the maps to `http`; `location /` to `locations`, which jumps to the internal
 * location of the route picked (with `bodyLimit`, the largest body any route accepts).
 */
export function renderRouteSelection(routes: readonly RouteIntent[], http: ConfigLines, locations: ConfigLines, bodyLimit: string | undefined): void {
  routes.forEach((route, i) => conditionMaps(route, i, http));
  // The first route whose flag is 1, in specificity order.
  const flags = routes.map((_r, i) => `$route_${i}`).join('');
  http.block(`map "${flags}" $route_id`, (map) => {
    map.add('default "";');
    routes.forEach((_r, i) => map.add(`${quoteKey(`~^${'0'.repeat(i)}1`)} ${i};`));
  }).add('');

  locations.add(
    'location / {',
    '  # Keep the request path: the jump below replaces $uri.',
    '  set $original_uri $uri;',
    ...(bodyLimit === undefined ? [] : [`  client_max_body_size ${bodyLimit};`]),
    '  if ($route_id = "") {',
    '    return 404;',
    '  }',
    '  rewrite ^ /__route/$route_id last;',
    '}',
    '',
  );
}

/** One `map` per condition of a route (0 or 1), and the route's flag when all hold. */
function conditionMaps(route: RouteIntent, i: number, http: ConfigLines): void {
  const queryRegex = route.match.queryParams.find((q) => q.kind === 'regex');
  if (queryRegex) checkLetThrough('nginx', `the query regex ${JSON.stringify(queryRegex.value)}`);
  const conditions = matchConditions(route);
  conditions.forEach(({ variable, regex }, c) => {
    if (namedGroup(regex) !== undefined) checkLetThrough('nginx', `the named group of ${JSON.stringify(regex)}`);
    http.add(`map ${variable} $route_${i}_${c} {`, '  default 0;', `  ${regexKey(regex)} 1;`, '}');
  });
  const all = conditions.map((_c, c) => `$route_${i}_${c}`).join('');
  http.add(`map "${all}" $route_${i} {`, '  default 0;', `  "${'1'.repeat(conditions.length)}" 1;`, '}', '');
}

/** On `$uri`: the path percent-decoded, as nginx holds it. */
function pathRegex(path: PathMatchIntent): string {
  return path.kind === 'exact' ? decodedPathRegex(path.value)
    : path.kind === 'regex' ? `(?:${path.value})`
      // A decoded %0A is a newline, which "." does not match.
      : path.value === '/' ? '/[\\s\\S]*' : `${decodedPathRegex(path.value)}(?:/[\\s\\S]*)?`;
}

/** On the header's variable: the bytes sent. */
function headerValueRegex(m: HeaderMatchIntent): string {
  return m.kind === 'exact' ? literalRegex(m.value) : m.kind === 'prefix' ? `${literalRegex(m.value)}.*` : `(?:${m.value})`;
}

/** On the value as sent: an exact value in any encoding (the check refuses regexes, which would see it encoded). */
function queryValueRegex(m: QueryParamMatchIntent): string {
  return m.kind === 'exact' ? encodedQueryValueRegex(m.value) : `(?:${m.value})`;
}
