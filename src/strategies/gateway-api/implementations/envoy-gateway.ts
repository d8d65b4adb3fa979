import type { Construct } from 'constructs';
import { affinityByPolicy } from './envoy-gateway-affinity';
import { GATEWAY_API_ENVOY_GATEWAY_EXPERIMENTAL_ROW, GATEWAY_API_ENVOY_GATEWAY_ROW } from './envoy-gateway-capabilities';
import { envoyGatewayProblems } from './envoy-gateway-checks';
import { loadEnvoyGatewayKinds } from './envoy-gateway-kinds';
import { renderEnvoyGatewayPolicies } from './envoy-gateway-policies';
import { GatewayApiImplementation, GatewayImplementationResources, PolicyTargetRoute } from './implementation';
import { ExposureIntent } from '../../../intent/model';

/**
 * Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`): BackendTrafficPolicy and SecurityPolicy
 * attached to the exposure's routes for what standard Gateway API has no field for.
 */
export const ENVOY_GATEWAY: GatewayApiImplementation = {
  name: 'envoyGateway',
  row: (experimental) => experimental ? GATEWAY_API_ENVOY_GATEWAY_EXPERIMENTAL_ROW : GATEWAY_API_ENVOY_GATEWAY_ROW,
  retriesByPolicy: true,
  check: (intent: ExposureIntent, experimental: boolean) => envoyGatewayProblems(intent, experimental),
  render(scope: Construct, intent: ExposureIntent, targets: readonly PolicyTargetRoute[], experimental: boolean): GatewayImplementationResources {
    const policies = intent.circuitBreaker !== undefined || targets.some((t) => t.routes.some((r) => hasPolicy(r, experimental)));
    // Loaded only when a policy is rendered: the Envoy Gateway L1 module is large.
    return policies ? renderEnvoyGatewayPolicies(scope, loadEnvoyGatewayKinds(), intent, targets, !experimental) : {};
  },
};

/** True when the route carries what a policy of Envoy Gateway renders (retries and external authentication only on the standard channel). */
function hasPolicy(route: PolicyTargetRoute['routes'][number], experimental: boolean): boolean {
  return route.rateLimit !== undefined || route.maxRequestBodyBytes !== undefined || route.access !== undefined
    || route.auth?.kind === 'api-key' || route.auth?.kind === 'basic' || route.auth?.kind === 'jwt' || (!experimental && (route.retries !== undefined || route.auth?.kind === 'external')) || affinityByPolicy(route, !experimental);
}
