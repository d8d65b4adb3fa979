/**
 * The capability matrix, assembled from the rows each strategy folder declares: for every
 * strategy (and flavour), how it expresses each feature of the intent. Plain data, so that
 * `.projenrc.ts` renders docs/capabilities.md from it. Adding a flavour adds its row here.
 */
import { capabilityTable, StrategyCapabilities } from './intent/capabilities';
import { API_GATEWAY_KONG_ROW, API_GATEWAY_NGINX_ROW } from './strategies/api-gateway/capabilities';
import { GATEWAY_API_EXPERIMENTAL_ROW, GATEWAY_API_ROW } from './strategies/gateway-api/capabilities';
import { INGRESS_GENERIC_ROW } from './strategies/ingress/generic';
import { INGRESS_NGINX_ROW } from './strategies/ingress/ingress-nginx';
import { ISTIO_ROW } from './strategies/istio/capabilities';
import { LOAD_BALANCER_ROW, NODE_PORT_ROW } from './strategies/service/capabilities';

export { FEATURES, Feature, Support, Capabilities, StrategyCapabilities } from './intent/capabilities';

/** Every strategy the library has, in the order of the docs' table. */
export const CAPABILITY_MATRIX = {
  nodePort: NODE_PORT_ROW,
  loadBalancer: LOAD_BALANCER_ROW,
  ingress: INGRESS_GENERIC_ROW,
  ingressNginx: INGRESS_NGINX_ROW,
  istio: ISTIO_ROW,
  gatewayApi: GATEWAY_API_ROW,
  gatewayApiExperimental: GATEWAY_API_EXPERIMENTAL_ROW,
  apiGatewayNginx: API_GATEWAY_NGINX_ROW,
  apiGatewayKong: API_GATEWAY_KONG_ROW,
} satisfies Record<string, StrategyCapabilities>;

/** The rows in the docs' order. */
export const CAPABILITY_ROWS: readonly StrategyCapabilities[] = Object.values(CAPABILITY_MATRIX);

/** The capability table of docs/capabilities.md, generated from the matrix above. */
export function renderCapabilityTable(): string {
  return capabilityTable(CAPABILITY_ROWS);
}
