import { externalAuthOf, externalAuthRoutes, oneExternalAuthForEveryRoute } from './external-auth-routes';
import { matchesBeyondPathAndMethod, routesTakingFirst } from './jwt-routes';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/** What the Istio checks know of the strategy's options for external authentication. */
export interface ExternalAuthCheckContext {
  readonly bindToMesh: boolean;
  readonly workloadKnown: boolean;
  /** The mesh's extension provider that sends the requests to the auth service (`externalAuthProvider`). */
  readonly provider?: string;
}

/**
 * What a CUSTOM AuthorizationPolicy on the gateway workload cannot express of external
 * authentication: the exposure-wide problems (under the first declaration's field), then each
 * route's (a policy scoped to a route is scoped by host, path and method only).
 */
export function externalAuthProblems(intent: ExposureIntent, ctx: ExternalAuthCheckContext): Problem[] {
  const routes = externalAuthRoutes(intent);
  if (routes.length === 0) return [];
  const field = routes[0].sources.auth!;
  const problems: Problem[] = [];
  if (ctx.provider === undefined) {
    problems.push({
      field,
      message: 'Istio asks an auth service through an extension provider of the mesh (meshConfig.extensionProviders, envoyExtAuthzHttp); '
        + 'name it with ExposureStrategy.istio({ externalAuthProvider })',
    });
  }
  if (intent.hosts.length === 0) {
    problems.push({ field, message: 'external authentication is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts' });
  }
  if (ctx.bindToMesh) problems.push({ field, message: 'external authentication is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh' });
  if (!ctx.workloadKnown) {
    problems.push({ field, message: 'external authentication is enforced by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })' });
  }
  for (const route of routes) {
    if (externalAuthOf(route) !== externalAuthOf(routes[0])) {
      problems.push({
        field: route.sources.auth!,
        message: `declares another auth service or settings than ${field}; the exposure's one extension provider checks every request: declare the same Auth.external, `
          + 'or use ingress (ingressNginx), gatewayApi (experimental) or apiGateway',
      });
    }
    if (route.auth.signinUrl !== undefined) {
      problems.push({
        field: `${route.sources.auth!}.signinUrl`,
        message: 'Istio\'s ext_authz has no sign-in redirect: the auth service\'s own refusal (a 302 to sign in) reaches the client; remove signinUrl, or use ingress (ingressNginx) or apiGateway',
      });
    }
  }
  if (!oneExternalAuthForEveryRoute(intent)) {
    const ordered = orderBySpecificity(intent.routes);
    problems.push(...routes.flatMap((route) => routeProblems(route, ordered)));
  }
  return problems;
}

function routeProblems(route: RouteIntent, ordered: readonly RouteIntent[]): Problem[] {
  const field = route.sources.auth!;
  if (route.match.path.kind === 'regex') {
    return [{ field, message: 'AuthorizationPolicy paths are exact or prefix: a route with its own external authentication cannot have a regex path; declare it for the exposure, or use a prefix' }];
  }
  if (route.match.headers.length > 0 || route.match.queryParams.length > 0) {
    return [{ field, message: 'AuthorizationPolicy cannot scope external authentication to header or query matches; declare it for the exposure, or drop those matches' }];
  }
  return routesTakingFirst(route, ordered, externalAuthOf).filter(matchesBeyondPathAndMethod).map((other) => ({
    field,
    message: `${other.field} matches some of this route's requests first (by a regex, header or query match) without this external authentication; `
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same auth',
  }));
}
