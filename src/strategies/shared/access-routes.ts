import { ExposureIntent, RouteIntent } from '../../intent/model';

/*
 * The routes of an exposure that carry a client IP list, and the identity of each list: what the
 * access checks examine and the AuthorizationPolicy renders.
 */

/** The routes with a client IP policy. */
export function accessRoutes(intent: ExposureIntent): RouteIntent[] {
  return intent.routes.filter((r) => r.access !== undefined);
}

/** The identity of a route's client IP policy: routes with equal lists share it. */
export function accessOf(route: RouteIntent): string | undefined {
  return route.access === undefined ? undefined : JSON.stringify(route.access);
}

/** Whether every route has one and the same client IP policy: then one rule covers the hosts. */
export function oneAccessForEveryRoute(intent: ExposureIntent): boolean {
  return intent.routes.every((r) => r.access !== undefined) && new Set(intent.routes.map(accessOf)).size === 1;
}
