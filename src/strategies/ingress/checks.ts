import type { Problem } from '../../core/errors';
import type { ExposureIntent, RouteIntent } from '../../intent/model';

/*
 * What an Ingress cannot express whatever its controller (the dialects add their own checks), and
 * how the problems of an exposure's routes are gathered.
 */

/** An Ingress path always names a backend: a redirecting route names the exposure's. */
export function redirectHasABackend(route: RouteIntent, intent: ExposureIntent): Problem | undefined {
  if (route.action.kind !== 'redirect' || intent.defaultBackend !== undefined) return undefined;
  return {
    field: route.sources.redirect!,
    message: 'an Ingress path always names a backend, even when the controller redirects; set the ExposedService\'s backend',
  };
}

/** A route is split between two backends at most: a main and a canary Ingress. */
export function atMostTwoBackends(route: RouteIntent, strategy: string): Problem | undefined {
  if (route.action.kind !== 'forward' || route.action.backends.length <= 2) return undefined;
  return {
    field: `${route.field}.backends`,
    message: `${strategy} splits a route between two backends (a main and a canary Ingress); ${route.action.backends.length} are listed: use gatewayApi or istio for more`,
  };
}

/** The problems found, without the checks that passed. */
export function found(...problems: (Problem | undefined)[]): Problem[] {
  return problems.filter((p): p is Problem => p !== undefined);
}
