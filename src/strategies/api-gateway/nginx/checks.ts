import { isArgumentName, isMapRegex, matchConditions } from './nginx-route-selection';
import { hasVariable } from './nginx-text';
import { Problem } from '../../../core/errors';
import { ExposureIntent, RouteIntent } from '../../../intent/model';
import { retryOnProblems } from '../../shared/nginx-retries';

/**
 * What the NGINX engine cannot express in an intent that its capability row accepts: every
 * problem, routes in declaration order, each route's fields in the order its location is written.
 */
export function nginxProblems(intent: ExposureIntent): Problem[] {
  return intent.routes.flatMap((route) => [
    ...headerNameProblems(route),
    ...queryParamNameProblems(route),
    ...matchProblems(route),
    ...authProblems(route),
    ...responseHeaderProblems(route),
    ...redirectProblems(route),
    // A redirect route forwards nothing: the request edits, retries and rewrite it inherits are not written.
    ...(route.action.kind === 'forward' ? [...requestHeaderProblems(route), ...retryProblems(route), ...rewriteProblems(route)] : []),
  ]);
}

/**
 * nginx reads a request header through the variable `$http_<name>` (lowercased, "-" as "_") and
 * writes names unquoted: only letters, digits and "-" arrive as declared. A "_" collides with "-"
 * (and nginx drops such headers by default), a "." or "$" names another variable, and a "#" or a
 * quote ends the directive. The HTTP token grammar allows them; this engine refuses them.
 */
function headerNameProblems(route: RouteIntent): Problem[] {
  const named: [string | undefined, readonly string[]][] = [
    [`${route.field}.match.headers`, route.match.headers.map((h) => h.name)],
    [route.sources.requestHeaders, editedNames(route.requestHeaders)],
    [route.sources.responseHeaders, editedNames(route.responseHeaders)],
    [route.sources.auth, route.auth?.kind === 'api-key' ? [route.auth.header] : []],
    [route.sources.cors, route.cors ? [...route.cors.allowHeaders, ...route.cors.exposeHeaders] : []],
  ];
  return named.flatMap(([field, names]) => names.filter((n) => !NGINX_HEADER_NAME.test(n)).map((name) => ({
    field: field!,
    message: `nginx carries header "${name}" only if its name is letters, digits and "-" ("_" reads as "-", "." and "$" as other variables); rename it, or use the Kong engine`,
  })));
}

const NGINX_HEADER_NAME = /^[A-Za-z0-9-]+$/;

function editedNames(edits: RouteIntent['requestHeaders']): string[] {
  return edits === undefined ? [] : [...edits.set.map((h) => h.name), ...edits.add.map((h) => h.name), ...edits.remove];
}

/** Query parameters are read as variables (`$arg_<name>`). */
function queryParamNameProblems(route: RouteIntent): Problem[] {
  return route.match.queryParams.filter((q) => !isArgumentName(q.name)).map((q) => ({
    field: `${route.field}.match.queryParams`,
    message: `nginx reads query parameters as variables; "${q.name}" must be letters, digits and "_"`,
  }));
}

/** Each condition of the match is a regex in a double-quoted map entry. */
function matchProblems(route: RouteIntent): Problem[] {
  return matchConditions(route).filter((c) => !isMapRegex(c.regex)).map((c) => ({
    field: `${route.field}.match`,
    message: `nginx cannot match ${JSON.stringify(c.regex)}: it contains "$" followed by a name, or a double quote`,
  }));
}

/**
 * The capability row refuses JWTs already (`auth-jwt`); the engine says why, should the row
 * change. A basic-auth realm is a string nginx expands.
 */
function authProblems(route: RouteIntent): Problem[] {
  if (route.auth?.kind === 'basic') return expandedValueProblems([route.auth.realm], route.sources.auth!);
  return route.auth?.kind === 'jwt' ? [{ field: route.sources.auth!, message: 'nginx OSS cannot validate JWTs' }] : [];
}

/** nginx writes Server and Date itself, after every module; the values are written literally. */
function responseHeaderProblems(route: RouteIntent): Problem[] {
  const edits = route.responseHeaders;
  if (edits === undefined) return [];
  const field = route.sources.responseHeaders!;
  const own = [...edits.set.map((h) => h.name), ...edits.remove].filter((n) => n === 'server' || n === 'date').map((name) => ({
    field,
    message: `nginx always sends its own "${name}" header (server_tokens off hides the version); it cannot be set or removed`,
  }));
  return [...own, ...expandedValueProblems([...edits.set, ...edits.add].map((h) => h.value), field)];
}

/** The declared host and path of a redirect are written literally. */
function redirectProblems(route: RouteIntent): Problem[] {
  const r = route.action;
  if (r.kind !== 'redirect') return [];
  return expandedValueProblems([r.host, r.path].filter((v): v is string => v !== undefined), route.sources.redirect!);
}

function requestHeaderProblems(route: RouteIntent): Problem[] {
  const edits = route.requestHeaders;
  return edits === undefined ? [] : expandedValueProblems([...edits.set, ...edits.add].map((h) => h.value), route.sources.requestHeaders!);
}

/** Retries on conditions proxy_next_upstream has (attempts 0 turns retries off: no condition is written). */
function retryProblems(route: RouteIntent): Problem[] {
  const retries = route.retries;
  return retries === undefined || retries.attempts === 0 ? [] : retryOnProblems(retries, route.sources.retries!, 'nginx');
}

function rewriteProblems(route: RouteIntent): Problem[] {
  const path = route.rewrite?.path;
  return path === undefined ? [] : expandedValueProblems([path], route.sources.rewrite!);
}

/** Values nginx would expand as variables: it has no escape for a literal `$`. */
function expandedValueProblems(values: readonly string[], field: string): Problem[] {
  return values.filter(hasVariable).map((value) => ({
    field,
    message: `nginx would expand "${value}" as a variable; header values cannot contain "$" followed by a name or a digit`,
  }));
}
