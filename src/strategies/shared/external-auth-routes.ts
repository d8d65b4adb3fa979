import { ExposureIntent, ExternalAuthIntent, RouteIntent } from '../../intent/model';

/*
 * The routes of an exposure that authenticate with an external auth service, and the identity of
 * each declaration: what the external auth checks examine and the CUSTOM AuthorizationPolicy renders.
 */

/** A route with `Auth.external`. */
export type ExternalAuthRoute = RouteIntent & { readonly auth: ExternalAuthIntent };

/** The routes with `Auth.external`, in declaration order. */
export function externalAuthRoutes(intent: ExposureIntent): ExternalAuthRoute[] {
  return intent.routes.filter((r): r is ExternalAuthRoute => r.auth?.kind === 'external');
}

/** The identity of a route's external auth: routes with equal declarations share it. */
export function externalAuthOf(route: RouteIntent): string | undefined {
  if (route.auth?.kind !== 'external') return undefined;
  const { service, ...settings } = route.auth;
  return JSON.stringify({ service: service.key, ...settings });
}

/** Whether every route has one and the same external auth: then one rule covers the hosts. */
export function oneExternalAuthForEveryRoute(intent: ExposureIntent): boolean {
  return intent.routes.every((r) => r.auth?.kind === 'external') && new Set(intent.routes.map(externalAuthOf)).size === 1;
}
