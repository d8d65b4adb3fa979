import { accessOf, accessRoutes, oneAccessForEveryRoute } from './access-routes';
import { matchesBeyondPathAndMethod, routesTakingFirst } from './jwt-routes';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { orderBySpecificity } from '../../intent/precedence';

/** What the Istio checks know of the strategy's options for client IP lists. */
export interface AccessCheckContext {
  readonly bindToMesh: boolean;
  readonly workloadKnown: boolean;
}

/**
 * What client IP lists on the gateway workload cannot express: the exposure-wide problems (under
 * the first list's field), then each route's (a policy scoped to a route is scoped by host, path
 * and method: exact paths and prefixes only).
 */
export function accessProblems(intent: ExposureIntent, ctx: AccessCheckContext): Problem[] {
  const routes = accessRoutes(intent);
  if (routes.length === 0) return [];
  const field = routes[0].sources.access!;
  const perRoute = !oneAccessForEveryRoute(intent);
  const ordered = orderBySpecificity(intent.routes);
  const problems: Problem[] = [
    ...(intent.hosts.length > 0 ? [] : [{
      field,
      message: 'client IP lists are enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts',
    }]),
    ...(!ctx.bindToMesh ? [] : [{
      field,
      message: 'client IP lists are enforced at the gateway only: callers in the mesh would bypass them; remove bindToMesh',
    }]),
    ...(ctx.workloadKnown ? [] : [{
      field,
      message: 'client IP lists are enforced by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })',
    }]),
    ...(perRoute ? routes.flatMap((route) => routeProblems(route, ordered)) : []),
  ];
  return problems;
}

function routeProblems(route: RouteIntent, ordered: readonly RouteIntent[]): Problem[] {
  const field = route.sources.access!;
  if (route.match.path.kind === 'regex') {
    return [{ field, message: 'AuthorizationPolicy paths are exact or prefix: a route with its own client IP list cannot have a regex path; declare the list for the exposure, or use a prefix' }];
  }
  if (route.match.headers.length > 0 || route.match.queryParams.length > 0) {
    return [{ field, message: 'AuthorizationPolicy cannot scope a client IP list to header or query matches; declare the list for the exposure, or drop those matches' }];
  }
  return routesTakingFirst(route, ordered, accessOf).filter(matchesBeyondPathAndMethod).map((other) => ({
    field,
    message: `${other.field} matches some of this route's requests first (by a regex, header or query match) with another client IP list; `
      + 'an AuthorizationPolicy cannot exempt them by those matches: give the routes disjoint paths, or the same list',
  }));
}
