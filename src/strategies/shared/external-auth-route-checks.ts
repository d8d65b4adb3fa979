import { externalAuthOf, externalAuthRoutes, oneExternalAuthForEveryRoute } from './external-auth-routes';
import { matchesBeyondPathAndMethod, routesTakingFirst } from './jwt-routes';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/**
 * What a CUSTOM AuthorizationPolicy and the mesh's one extension provider cannot express of each
 * route's external authentication: another auth service or settings than the first route's, a
 * sign-in redirect; and where the routes need their requests told apart, a route it cannot scope
 * by host, path and method.
 */
export function externalAuthRouteProblems(intent: ExposureIntent): Problem[] {
  const routes = externalAuthRoutes(intent);
  if (routes.length === 0) return [];
  const field = routes[0].sources.auth!;
  const problems: Problem[] = [];
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
