import { Construct } from 'constructs';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

export interface JwtRenderContext {
  /** Namespace of the gateway workload's policies. */
  readonly namespace?: string;
  /** Labels of the gateway workload; undefined for an existing Gateway declared without them. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly v1: boolean;
  readonly bindToMesh: boolean;
  readonly fail: (field: string, message: string) => never;
}

/** What JWT rendering adds to the exposure's resources. */
export interface JwtResources {
  readonly requestAuthentication?: istioSecurity.RequestAuthentication;
  readonly authorizationPolicy?: istioSecurity.AuthorizationPolicy;
}

/**
 * `Auth.jwt` on Istio: a RequestAuthentication on the gateway workload validates tokens of the
 * issuer, and an AuthorizationPolicy (DENY without a request principal) requires one on the
 * exposure's hosts and the routes that declare JWT. Both live in the gateway's namespace.
 */
export function renderJwt(scope: Construct, intent: ExposureIntent, ctx: JwtRenderContext): JwtResources {
  const routes = intent.routes.filter((r) => r.auth?.kind === 'jwt');
  if (routes.length === 0) return {};
  const field = routes[0].sources.auth!;
  if (intent.hosts.length === 0) {
    ctx.fail(field, 'JWT is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts');
  }
  if (ctx.bindToMesh) {
    ctx.fail(field, 'JWT is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh or secure the workloads with their own policies');
  }
  if (ctx.selector === undefined) {
    ctx.fail(field, 'JWT is validated by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })');
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const security: typeof istioSecurity = require('../../../imports/istio-security.istio.io');
  // The CRD lists both the proto name `jwks_uri` and `jwksUri`; the generated L1 maps its one
  // property to `jwks_uri`, which Istio accepts like `jwksUri` (and its CEL rule counts both).
  const issuers = new Map<string, { issuer: string; jwksUri: string; audiences?: string[] }>();
  for (const r of routes) {
    const a = r.auth as Extract<RouteIntent['auth'], { kind: 'jwt' }>;
    const rule = { issuer: a.issuer, jwksUri: a.jwksUri, audiences: a.audiences.length > 0 ? [...a.audiences] : undefined };
    const earlier = issuers.get(a.issuer);
    if (earlier !== undefined && JSON.stringify(earlier) !== JSON.stringify(rule)) {
      ctx.fail(r.sources.auth!, `issuer ${a.issuer} is declared with another jwksUri or audiences elsewhere; a gateway has one rule per issuer`);
    }
    issuers.set(a.issuer, rule);
  }

  const selector = { matchLabels: { ...ctx.selector } };
  // v1 and v1beta1 have the same schema; the generated classes differ only in apiVersion.
  const RequestAuthentication = (ctx.v1 ? security.RequestAuthentication : security.RequestAuthenticationV1Beta1) as
    typeof security.RequestAuthentication;
  const requestAuthentication = new RequestAuthentication(scope, 'RequestAuthentication', {
    metadata: { name: intent.name, namespace: ctx.namespace },
    spec: { selector, jwtRules: [...issuers.values()] },
  });

  // DENY a route's requests that carry no token of its issuer (a token of another issuer on the
  // shared gateway is a request principal too). One rule for the hosts when every route requires
  // the same issuer; otherwise one per JWT route, scoped to the requests the VirtualService gives
  // it (none for a route that the routes before it shadow: an empty `to` matches every request).
  const principalOf = (r: RouteIntent) => `${issuerOf(r)}/*`;
  const oneIssuer = routes.length === intent.routes.length && issuers.size === 1;
  const ordered = orderBySpecificity(intent.routes);
  const rules = oneIssuer
    ? [{ from: [{ source: { notRequestPrincipals: [principalOf(routes[0])] } }], to: [{ operation: { hosts: [...intent.hosts] } }] }]
    : routes.map((r) => ({
      from: [{ source: { notRequestPrincipals: [principalOf(r)] } }],
      to: operationsOf(r, ordered, intent.hosts, ctx),
    })).filter((rule) => rule.to.length > 0);
  const AuthorizationPolicy = (ctx.v1 ? security.AuthorizationPolicy : security.AuthorizationPolicyV1Beta1) as typeof security.AuthorizationPolicy;
  const authorizationPolicy = new AuthorizationPolicy(scope, 'AuthorizationPolicy', {
    metadata: { name: resourceName(scope, 'require-jwt'), namespace: ctx.namespace },
    spec: { selector, action: security.AuthorizationPolicySpecAction.DENY, rules },
  });
  return { requestAuthentication, authorizationPolicy };
}

/**
 * The requests the VirtualService gives a JWT route, as AuthorizationPolicy operations: its
 * paths (as the VirtualService matches them) and method, minus the requests of the routes before
 * it (more specific) that do not require its issuer: those take their requests first, so the
 * route's rule must not cover them. Per method that such a route names, the paths left are the
 * route's minus the paths of the routes before it for that method or for every method; for the
 * other methods, minus those for every method. Empty when the routes before it take everything.
 */
function operationsOf(route: RouteIntent, ordered: readonly RouteIntent[], hosts: readonly string[], ctx: JwtRenderContext): object[] {
  const { path, method } = route.match;
  const field = route.sources.auth!;
  if (path.kind === 'regex') {
    ctx.fail(field, 'AuthorizationPolicy paths are exact or prefix: a JWT route cannot have a regex path; use the service-level auth or a prefix');
  }
  if (route.match.headers.length > 0 || route.match.queryParams.length > 0) {
    ctx.fail(field, 'AuthorizationPolicy cannot scope JWT to header or query matches; move auth to the service level or drop those matches');
  }
  const issuer = issuerOf(route);
  const before: { paths: string[]; method?: string }[] = [];
  for (const other of ordered.slice(0, ordered.indexOf(route))) {
    if (issuerOf(other) === issuer || !overlaps(other, route)) continue;
    if (other.match.path.kind === 'regex' || other.match.headers.length > 0 || other.match.queryParams.length > 0) {
      ctx.fail(field, `${other.field} matches some of this route's requests first (by a regex, header or query match) without requiring its JWT; `
        + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth');
    }
    // `*`: every path (a route on `/`).
    before.push({ paths: policyPaths(other) ?? ['*'], method: other.match.method });
  }
  const takenFor = (m: string | undefined) => [...new Set(before.filter((b) => b.method === undefined || b.method === m).flatMap((b) => b.paths))];
  const operation = (methods: string[] | undefined, notMethods: string[] | undefined, notPaths: string[]) => (notPaths.includes('*') ? [] : [{
    operation: { hosts: [...hosts], paths: policyPaths(route), notPaths: notPaths.length > 0 ? notPaths : undefined, methods, notMethods },
  }]);
  if (method !== undefined) return operation([method], undefined, takenFor(method));
  const named = [...new Set(before.flatMap((b) => (b.method === undefined ? [] : [b.method])))].sort();
  return [
    ...named.flatMap((m) => operation([m], undefined, takenFor(m))),
    ...operation(undefined, named.length > 0 ? named : undefined, takenFor(undefined)),
  ];
}

function issuerOf(route: RouteIntent): string | undefined {
  return route.auth?.kind === 'jwt' ? route.auth.issuer : undefined;
}

/**
 * A route's paths as an AuthorizationPolicy matches them, the way the VirtualService routes them:
 * exact; a prefix as a string prefix (`/api*`: `/apis` too), or element-wise (`/api`, `/api/*`)
 * when a rewrite split it; undefined for `/` (every path). Not for regexes.
 */
function policyPaths(route: RouteIntent): string[] | undefined {
  const { kind, value } = route.match.path;
  if (kind === 'exact') return [value];
  if (value === '/') return undefined;
  return route.rewrite?.path !== undefined ? [value, `${value}/*`] : [`${value}*`];
}

/** Whether two routes can match one request: their paths overlap and their methods agree. */
function overlaps(a: RouteIntent, b: RouteIntent): boolean {
  const ma = a.match.method;
  const mb = b.match.method;
  return (ma === undefined || mb === undefined || ma === mb) && pathsOverlap(a, b);
}

/** Whether two routes' paths can match one path (conservatively for regexes: by their literal start). */
function pathsOverlap(a: RouteIntent, b: RouteIntent): boolean {
  const scope = (r: RouteIntent) => {
    const { kind, value } = r.match.path;
    if (kind === 'regex') {
      // A regex matches only paths that start with its literal start (the text before any syntax;
      // without its last character when a quantifier may repeat that zero times; none with `|`).
      const body = value.replace(/^\^/, '');
      const literal = body.includes('|') ? '' : /^[^\\.^$|?*+()[\]{}]*/.exec(body)![0];
      return { exact: undefined, prefix: /^[?*{]/.test(body.slice(literal.length)) ? literal.slice(0, -1) : literal };
    }
    return kind === 'exact' ? { exact: value, prefix: undefined } : { exact: undefined, prefix: value };
  };
  const sa = scope(a);
  const sb = scope(b);
  if (sa.exact !== undefined && sb.exact !== undefined) return sa.exact === sb.exact;
  if (sa.exact !== undefined) return sa.exact.startsWith(sb.prefix!);
  if (sb.exact !== undefined) return sb.exact.startsWith(sa.prefix!);
  return sa.prefix!.startsWith(sb.prefix!) || sb.prefix!.startsWith(sa.prefix!);
}
