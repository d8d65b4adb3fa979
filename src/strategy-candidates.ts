/**
 * The strategies the advisor weighs by default: one per column of the capability matrix, with
 * neutral options (a class name, a gatewayClassName). Options that change what a strategy can
 * express (an existing Gateway, an API gateway's front, an engine's trustedProxies) are the app's
 * to give: `advise(app, { candidates })`.
 */
import { ExposureStrategy } from './exposure-strategy';
import { ApiGatewayEngine } from './strategies/api-gateway/api-gateway-engine';
import { GatewayImplementation } from './strategies/gateway-api/gateway-implementation';
import { IngressController } from './strategies/ingress/ingress-controller';

/** Every column of the capability matrix as a strategy, in the matrix's order; the API gateways behind their default front. */
export function defaultCandidates(): ExposureStrategy[] {
  const implementations = [
    undefined, GatewayImplementation.envoyGateway(), GatewayImplementation.traefik(), GatewayImplementation.nginxGatewayFabric(),
    GatewayImplementation.kong(), GatewayImplementation.istio(),
  ];
  return [
    ExposureStrategy.nodePort(),
    ExposureStrategy.loadBalancer(),
    ExposureStrategy.ingress({ className: 'ingress' }),
    ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
    ExposureStrategy.istio(),
    ...implementations.flatMap((implementation) => [false, true].map((experimental) =>
      ExposureStrategy.gatewayApi({ gatewayClassName: 'gateway', implementation, experimental }))),
    ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
    ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
  ];
}
