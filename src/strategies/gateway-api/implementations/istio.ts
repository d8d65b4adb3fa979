import type { Construct } from 'constructs';
import { GatewayApiImplementation, GatewayImplementationResources, PolicyTargetGateway, PolicyTargetRoute } from './implementation';
import { GATEWAY_API_ISTIO_EXPERIMENTAL_ROW, GATEWAY_API_ISTIO_ROW } from './istio-capabilities';
import { istioProblems } from './istio-checks';
import { loadIstioSecurityKinds } from './istio-kinds';
import { renderIstioPolicies } from './istio-policies';
import { ExposureIntent } from '../../../intent/model';

/**
 * Istio (`security.istio.io/v1`): RequestAuthentication and AuthorizationPolicies targeting the
 * Gateway for JWT, client IP lists and external authentication (through the mesh's extension
 * provider `provider`).
 */
export function istioImplementation(provider: string | undefined): GatewayApiImplementation {
  return {
    name: 'istio',
    row: (experimental) => experimental ? GATEWAY_API_ISTIO_EXPERIMENTAL_ROW : GATEWAY_API_ISTIO_ROW,
    retriesByPolicy: false,
    externalAuthByPolicy: true,
    check: (intent: ExposureIntent, _experimental: boolean, gateway: PolicyTargetGateway) => istioProblems(intent, gateway, provider),
    render(scope: Construct, intent: ExposureIntent, _targets: readonly PolicyTargetRoute[], _experimental: boolean,
      gateway: PolicyTargetGateway): GatewayImplementationResources {
      const policies = intent.routes.some((r) => r.access !== undefined || r.auth?.kind === 'jwt' || r.auth?.kind === 'external');
      // Loaded only when a policy is rendered.
      return policies ? renderIstioPolicies(scope, loadIstioSecurityKinds(), intent, gateway, provider) : {};
    },
  };
}
