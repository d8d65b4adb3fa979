import { Problem } from '../../core/errors';
import { ExposureIntent } from '../../intent/model';
import { accessRouteProblems } from '../shared/access-route-checks';
import { accessRoutes } from '../shared/access-routes';

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
    ...accessRouteProblems(intent),
  ];
  return problems;
}
