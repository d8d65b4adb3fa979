import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { AuthIntent, ExposureIntent, RouteIntent } from '../../intent/model';

/*
 * The JWT routes of an exposure and the requests each one takes from the VirtualService: what
 * the JWT checks examine and the AuthorizationPolicy renders.
 */

/** A route that requires a JWT. */
export type JwtRoute = RouteIntent & { readonly auth: Extract<AuthIntent, { kind: 'jwt' }> };

/** The routes that require a JWT, in declaration order. */
export function jwtRoutes(intent: ExposureIntent): JwtRoute[] {
  return intent.routes.filter((r): r is JwtRoute => r.auth?.kind === 'jwt');
}

/** The field that declared the route's auth (`auth` or `routes[1].auth`). */
export function authField(route: RouteIntent): string {
  return route.sources.auth ?? route.field;
}

export function issuerOf(route: RouteIntent): string | undefined {
  return route.auth?.kind === 'jwt' ? route.auth.issuer : undefined;
}

/**
 * The RequestAuthentication rule of a route's issuer. The CRD lists both the proto name
 * `jwks_uri` and `jwksUri`; the generated L1 maps its one property to `jwks_uri`, which Istio
 * accepts like `jwksUri` (and its CEL rule counts both).
 */
export function jwtRuleOf(route: JwtRoute): istioSecurity.RequestAuthenticationSpecJwtRules {
  const a = route.auth;
  return { issuer: a.issuer, jwksUri: a.jwksUri, audiences: a.audiences.length > 0 ? [...a.audiences] : undefined };
}

/** Whether two rules of one issuer are the same rule (a gateway has one rule per issuer). */
export function sameJwtRule(a: istioSecurity.RequestAuthenticationSpecJwtRules, b: istioSecurity.RequestAuthenticationSpecJwtRules): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * Whether every route requires a token of one issuer: then one AuthorizationPolicy rule covers
 * the hosts, and no route's requests need to be told apart.
 */
export function oneIssuerForEveryRoute(intent: ExposureIntent, routes: readonly JwtRoute[]): boolean {
  return routes.length === intent.routes.length && new Set(routes.map((r) => r.auth.issuer)).size === 1;
}

/**
 * The routes before `route` in the VirtualService (`ordered`: most specific first) that take
 * some of its requests without its policy (by default, requiring its issuer; `policyOf` gives
 * another policy's identity): its AuthorizationPolicy rule must not cover those.
 */
export function routesTakingFirst(route: RouteIntent, ordered: readonly RouteIntent[],
  policyOf: (r: RouteIntent) => string | undefined = issuerOf): RouteIntent[] {
  const policy = policyOf(route);
  return ordered.slice(0, ordered.indexOf(route)).filter((other) => policyOf(other) !== policy && overlaps(other, route));
}

/** Whether a route matches requests by more than path and method (a regex, a header or a query match). */
export function matchesBeyondPathAndMethod(route: RouteIntent): boolean {
  return route.match.path.kind === 'regex' || route.match.headers.length > 0 || route.match.queryParams.length > 0;
}

/** A route's paths as an AuthorizationPolicy matches them (undefined: every path), the way the routes' data plane matches them. */
export type PolicyPathsOf = (route: RouteIntent) => string[] | undefined;

/**
 * A route's paths as an AuthorizationPolicy matches them, the way the VirtualService routes them:
 * exact; a prefix as a string prefix (`/api*`: `/apis` too), or element-wise (`/api`, `/api/*`)
 * when a rewrite split it; undefined for `/` (every path). Not for regexes.
 */
export const policyPaths: PolicyPathsOf = (route) => {
  const { kind, value } = route.match.path;
  if (kind === 'exact') return [value];
  if (value === '/') return undefined;
  return route.rewrite?.path !== undefined ? [value, `${value}/*`] : [`${value}*`];
};

/**
 * A route's paths as an AuthorizationPolicy matches them, the way an HTTPRoute matches them:
 * exact; a `PathPrefix` element-wise (`/api`, `/api/*`: not `/apis`); undefined for `/`.
 */
export const elementWisePolicyPaths: PolicyPathsOf = (route) => {
  const { kind, value } = route.match.path;
  if (kind === 'exact') return [value];
  return value === '/' ? undefined : [value, `${value}/*`];
};

/** The hosts of an AuthorizationPolicy operation: none (every host) for an exposure without hosts on a Gateway of its own. */
export function operationHosts(hosts: readonly string[]): string[] | undefined {
  return hosts.length > 0 ? [...hosts] : undefined;
}

/** Whether two routes can match one request: their paths overlap and their methods agree. */
function overlaps(a: RouteIntent, b: RouteIntent): boolean {
  const ma = a.match.method;
  const mb = b.match.method;
  return (ma === undefined || mb === undefined || ma === mb) && pathsOverlap(a, b);
}

/** Whether two routes' paths can match one path (conservatively for regexes: by their literal start). */
function pathsOverlap(a: RouteIntent, b: RouteIntent): boolean {
  const sa = pathScope(a);
  const sb = pathScope(b);
  if (sa.exact !== undefined && sb.exact !== undefined) return sa.exact === sb.exact;
  if (sa.exact !== undefined) return sa.exact.startsWith(sb.prefix!);
  if (sb.exact !== undefined) return sb.exact.startsWith(sa.prefix!);
  return sa.prefix!.startsWith(sb.prefix!) || sb.prefix!.startsWith(sa.prefix!);
}

/** The paths a route can match: one exact path, or every path with a prefix. */
function pathScope(r: RouteIntent): { exact?: string; prefix?: string } {
  const { kind, value } = r.match.path;
  if (kind === 'regex') {
    // A regex matches only paths that start with its literal start (the text before any syntax;
    // without its last character when a quantifier may repeat that zero times; none with `|`).
    const body = value.replace(/^\^/, '');
    const literal = body.includes('|') ? '' : /^[^\\.^$|?*+()[\]{}]*/.exec(body)![0];
    return { exact: undefined, prefix: /^[?*{]/.test(body.slice(literal.length)) ? literal.slice(0, -1) : literal };
  }
  return kind === 'exact' ? { exact: value, prefix: undefined } : { exact: undefined, prefix: value };
}

/** A `to` of an AuthorizationPolicy rule: one operation. */
export type RuleTo = istioSecurity.AuthorizationPolicySpecRulesTo;

/**
 * The requests the VirtualService gives a route with a policy (a JWT issuer, a client IP list:
 * `policyOf` tells its identity), as AuthorizationPolicy operations: its paths (as the
 * VirtualService matches them) and method, minus the requests of the routes before it (more
 * specific) that do not have its policy: those take their requests first, so the route's rule
 * must not cover them. Per method that such a route names, the paths left are the
 * route's minus the paths of the routes before it for that method or for every method; for the
 * other methods, minus those for every method. Empty when the routes before it take everything.
 */
export function operationsOf(route: RouteIntent, ordered: readonly RouteIntent[], hosts: readonly string[],
  policyOf: (r: RouteIntent) => string | undefined, pathsOf: PolicyPathsOf = policyPaths): RuleTo[] {
  if (matchesBeyondPathAndMethod(route)) throw new Error(`istio: the check let through a policy route (${route.field}) matched by a regex, header or query`);
  const before = routesTakingFirst(route, ordered, policyOf).map((other) => {
    if (matchesBeyondPathAndMethod(other)) throw new Error(`istio: the check let through ${other.field} shadowing a policy route by a regex, header or query`);
    // `*`: every path (a route on `/`).
    return { paths: pathsOf(other) ?? ['*'], method: other.match.method };
  });
  const takenFor = (m: string | undefined) => [...new Set(before.filter((b) => b.method === undefined || b.method === m).flatMap((b) => b.paths))];
  const operation = (methods: string[] | undefined, notMethods: string[] | undefined, notPaths: string[]): RuleTo[] => (notPaths.includes('*') ? [] : [{
    operation: { hosts: operationHosts(hosts), paths: pathsOf(route), notPaths: notPaths.length > 0 ? notPaths : undefined, methods, notMethods },
  }]);
  const method = route.match.method;
  if (method !== undefined) return operation([method], undefined, takenFor(method));
  const named = [...new Set(before.flatMap((b) => (b.method === undefined ? [] : [b.method])))].sort();
  return [
    ...named.flatMap((m) => operation([m], undefined, takenFor(m))),
    ...operation(undefined, named.length > 0 ? named : undefined, takenFor(undefined)),
  ];
}
