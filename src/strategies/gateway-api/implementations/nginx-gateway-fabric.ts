import type { Construct } from 'constructs';
import { GatewayApiImplementation, GatewayImplementationResources, PolicyTargetRoute } from './implementation';
import { GATEWAY_API_NGINX_GATEWAY_FABRIC_EXPERIMENTAL_ROW, GATEWAY_API_NGINX_GATEWAY_FABRIC_ROW } from './nginx-gateway-fabric-capabilities';
import { nginxGatewayFabricProblems } from './nginx-gateway-fabric-checks';
import { loadNginxGatewayFabricKinds } from './nginx-gateway-fabric-kinds';
import { authenticationFilterRefs, renderNginxGatewayFabricObjects, rendersAny } from './nginx-gateway-fabric-policies';
import { registerNginxGatewayFabricServices } from './nginx-gateway-fabric-services';
import { ExposureIntent, RouteIntent } from '../../../intent/model';

/**
 * NGINX Gateway Fabric (`gateway.nginx.org/v1alpha1`): RateLimitPolicy and ClientSettingsPolicy
 * on the route objects, an AuthenticationFilter per rule by ExtensionRef, UpstreamSettingsPolicy
 * on the backend Services. `nginxPlus`: the data plane is NGINX Plus (cookie session persistence).
 */
export function nginxGatewayFabric(nginxPlus: boolean): GatewayApiImplementation {
  return {
    name: 'nginxGatewayFabric',
    row: (experimental) => experimental ? GATEWAY_API_NGINX_GATEWAY_FABRIC_EXPERIMENTAL_ROW : GATEWAY_API_NGINX_GATEWAY_FABRIC_ROW,
    retriesByPolicy: false,
    check: (intent: ExposureIntent, experimental: boolean) => nginxGatewayFabricProblems(intent, { experimental, nginxPlus }),
    extensionRefs: (intent: ExposureIntent, route: RouteIntent) => authenticationFilterRefs(intent, route),
    share: (scope, intent) => registerNginxGatewayFabricServices(scope, intent),
    render(scope: Construct, intent: ExposureIntent, targets: readonly PolicyTargetRoute[]): GatewayImplementationResources {
      // Loaded only when an object is rendered: the L1 module is large.
      return rendersAny(intent) ? renderNginxGatewayFabricObjects(scope, loadNginxGatewayFabricKinds(), intent, targets) : {};
    },
  };
}
