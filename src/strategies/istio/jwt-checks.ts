import { Problem } from '../../core/errors';
import { ExposureIntent } from '../../intent/model';
import { jwtRouteProblems } from '../shared/jwt-route-checks';
import { authField, jwtRoutes } from '../shared/jwt-routes';

/** What the JWT checks know of the strategy's options. */
export interface JwtCheckContext {
  /** The VirtualService is bound to the mesh too. */
  readonly bindToMesh: boolean;
  /** The labels of the gateway workload are known (always for a created Gateway). */
  readonly workloadKnown: boolean;
}

/**
 * What `Auth.jwt` on the gateway workload cannot express: the exposure-wide problems (under the
 * first JWT route's auth), then each JWT route's, in declaration order.
 */
export function jwtProblems(intent: ExposureIntent, ctx: JwtCheckContext): Problem[] {
  const routes = jwtRoutes(intent);
  if (routes.length === 0) return [];
  const field = authField(routes[0]);
  return [
    ...jwtWithoutHosts(intent, field),
    ...jwtWithMeshBinding(ctx.bindToMesh, field),
    ...jwtOnUnknownWorkload(ctx.workloadKnown, field),
    ...jwtRouteProblems(intent),
  ];
}

function jwtWithoutHosts(intent: ExposureIntent, field: string): Problem[] {
  return intent.hosts.length > 0 ? [] : [{
    field,
    message: 'JWT is enforced on the shared gateway workload by host: without hosts the policy would cover every host it serves; set hosts',
  }];
}

function jwtWithMeshBinding(bindToMesh: boolean, field: string): Problem[] {
  return !bindToMesh ? [] : [{
    field,
    message: 'JWT is enforced at the gateway only: callers in the mesh would bypass it; remove bindToMesh or secure the workloads with their own policies',
  }];
}

function jwtOnUnknownWorkload(workloadKnown: boolean, field: string): Problem[] {
  return workloadKnown ? [] : [{
    field,
    message: 'JWT is validated by the gateway workload, whose labels are unknown: pass IstioGateway.existing({ ..., selector })',
  }];
}
