import { Problem } from '../../core/errors';
import { ExposureIntent } from '../../intent/model';
import { externalAuthRouteProblems } from '../shared/external-auth-route-checks';
import { externalAuthRoutes } from '../shared/external-auth-routes';

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
  problems.push(...externalAuthRouteProblems(intent));
  return problems;
}
