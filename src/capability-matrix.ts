/**
 * The capability matrix, assembled from the rows each strategy folder declares: for every
 * strategy (and flavour), how it expresses each feature of the intent. Plain data, so that
 * `.projenrc.ts` renders docs/capabilities.md from it. Adding a flavour adds its row here.
 */
import { capabilityTable, StrategyCapabilities } from './intent/capabilities';
import { API_GATEWAY_KONG_ROW, API_GATEWAY_NGINX_ROW } from './strategies/api-gateway/capabilities';
import { GATEWAY_API_EXPERIMENTAL_ROW, GATEWAY_API_ROW } from './strategies/gateway-api/capabilities';
import { GATEWAY_API_ENVOY_GATEWAY_EXPERIMENTAL_ROW, GATEWAY_API_ENVOY_GATEWAY_ROW } from './strategies/gateway-api/implementations/envoy-gateway-capabilities';
import { GATEWAY_API_ISTIO_EXPERIMENTAL_ROW, GATEWAY_API_ISTIO_ROW } from './strategies/gateway-api/implementations/istio-capabilities';
import { GATEWAY_API_KONG_EXPERIMENTAL_ROW, GATEWAY_API_KONG_ROW } from './strategies/gateway-api/implementations/kong-capabilities';
import {
  GATEWAY_API_NGINX_GATEWAY_FABRIC_EXPERIMENTAL_ROW, GATEWAY_API_NGINX_GATEWAY_FABRIC_ROW,
} from './strategies/gateway-api/implementations/nginx-gateway-fabric-capabilities';
import { GATEWAY_API_TRAEFIK_EXPERIMENTAL_ROW, GATEWAY_API_TRAEFIK_ROW } from './strategies/gateway-api/implementations/traefik-capabilities';
import { INGRESS_GENERIC_ROW } from './strategies/ingress/generic';
import { INGRESS_NGINX_ROW } from './strategies/ingress/ingress-nginx';
import { ISTIO_ROW } from './strategies/istio/capabilities';
import { LOAD_BALANCER_ROW, NODE_PORT_ROW } from './strategies/service/capabilities';

export { FEATURES, Feature, Support, Capabilities, StrategyCapabilities } from './intent/capabilities';

/**
 * Every strategy the library has (and each flavour of one), in the order of the docs' table: what
 * each expresses of each feature. The errors for unsupported features are read from these rows.
 */
export const CAPABILITY_MATRIX = {
  /** `ExposureStrategy.nodePort()`: a NodePort Service (L4). */
  nodePort: NODE_PORT_ROW,
  /** `ExposureStrategy.loadBalancer()`: a LoadBalancer Service (L4). */
  loadBalancer: LOAD_BALANCER_ROW,
  /** `ExposureStrategy.ingress({ className })` for any controller: the Ingress v1 spec only. */
  ingress: INGRESS_GENERIC_ROW,
  /** `ExposureStrategy.ingress({ className, controller: IngressController.ingressNginx() })`: the spec plus ingress-nginx annotations. */
  ingressNginx: INGRESS_NGINX_ROW,
  /** `ExposureStrategy.istio()`: Gateway and VirtualService (with DestinationRules and JWT policies). */
  istio: ISTIO_ROW,
  /** `ExposureStrategy.gatewayApi(...)` on the standard channel. */
  gatewayApi: GATEWAY_API_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., experimental: true })`: the standard channel plus retries. */
  gatewayApiExperimental: GATEWAY_API_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., implementation: GatewayImplementation.envoyGateway() })`: plus Envoy Gateway's policies. */
  gatewayApiEnvoyGateway: GATEWAY_API_ENVOY_GATEWAY_ROW,
  /** Envoy Gateway on the experimental channel: both. */
  gatewayApiEnvoyGatewayExperimental: GATEWAY_API_ENVOY_GATEWAY_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., implementation: GatewayImplementation.traefik() })`: plus Traefik's Middlewares. */
  gatewayApiTraefik: GATEWAY_API_TRAEFIK_ROW,
  /** Traefik on the experimental channel: both, as far as Traefik implements the channel. */
  gatewayApiTraefikExperimental: GATEWAY_API_TRAEFIK_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., implementation: GatewayImplementation.nginxGatewayFabric() })`: plus NGINX Gateway Fabric's policies and filters. */
  gatewayApiNginxGatewayFabric: GATEWAY_API_NGINX_GATEWAY_FABRIC_ROW,
  /** NGINX Gateway Fabric on the experimental channel. */
  gatewayApiNginxGatewayFabricExperimental: GATEWAY_API_NGINX_GATEWAY_FABRIC_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., implementation: GatewayImplementation.kong() })`: plus KongPlugins and KongConsumers of the Kong Ingress Controller. */
  gatewayApiKong: GATEWAY_API_KONG_ROW,
  /** Kong on the experimental channel. */
  gatewayApiKongExperimental: GATEWAY_API_KONG_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.gatewayApi({ ..., implementation: GatewayImplementation.istio() })`: plus Istio's security policies on the Gateway. */
  gatewayApiIstio: GATEWAY_API_ISTIO_ROW,
  /** Istio on the experimental channel: both. */
  gatewayApiIstioExperimental: GATEWAY_API_ISTIO_EXPERIMENTAL_ROW,
  /** `ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() })`. */
  apiGatewayNginx: API_GATEWAY_NGINX_ROW,
  /** `ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() })`. */
  apiGatewayKong: API_GATEWAY_KONG_ROW,
} satisfies Record<string, StrategyCapabilities>;

/** The rows in the docs' order. */
export const CAPABILITY_ROWS: readonly StrategyCapabilities[] = Object.values(CAPABILITY_MATRIX);

/** The capability table of docs/capabilities.md (markdown), generated from the matrix above. */
export function renderCapabilityTable(): string {
  return capabilityTable(CAPABILITY_ROWS);
}
