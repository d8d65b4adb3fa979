import { Construct } from 'constructs';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { resourceName } from '../../naming';

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

  const everyRoute = routes.length === intent.routes.length;
  const rules = (everyRoute ? [undefined] : routes).map((r) => ({
    from: [{ source: { notRequestPrincipals: ['*'] } }],
    to: [{ operation: { hosts: [...intent.hosts], ...(r ? operationOf(r, ctx) : {}) } }],
  }));
  const AuthorizationPolicy = (ctx.v1 ? security.AuthorizationPolicy : security.AuthorizationPolicyV1Beta1) as typeof security.AuthorizationPolicy;
  const authorizationPolicy = new AuthorizationPolicy(scope, 'AuthorizationPolicy', {
    metadata: { name: resourceName(scope, 'require-jwt'), namespace: ctx.namespace },
    spec: { selector, action: security.AuthorizationPolicySpecAction.DENY, rules },
  });
  return { requestAuthentication, authorizationPolicy };
}

/** The paths and method of a route, as an AuthorizationPolicy operation (exact, prefix `/*`). */
function operationOf(route: RouteIntent, ctx: JwtRenderContext): object {
  const { path, method } = route.match;
  if (path.kind === 'regex') {
    ctx.fail(route.sources.auth!, 'AuthorizationPolicy paths are exact or prefix (/*): a JWT route cannot have a regex path; use the service-level auth or a prefix');
  }
  if (route.match.headers.length > 0 || route.match.queryParams.length > 0) {
    ctx.fail(route.sources.auth!, 'AuthorizationPolicy cannot scope JWT to header or query matches; move auth to the service level or drop those matches');
  }
  const paths = path.kind === 'exact' ? [path.value] : path.value === '/' ? undefined : [path.value, `${path.value}/*`];
  return { paths, methods: method === undefined ? undefined : [method] };
}
