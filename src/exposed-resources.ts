import { ApiGatewayResources } from './strategies/api-gateway/api-gateway';
import { GatewayApiResources } from './strategies/gateway-api/gateway-api';
import { IngressResources } from './strategies/ingress/ingress';
import { IstioResources } from './strategies/istio/istio';
import { ServiceResources } from './strategies/service/service';

/**
 * The objects a strategy synthesized, as public escape hatches: a user can add what the library
 * does not model (`resources.ingress?.metadata.addAnnotation(...)`). Which fields are set
 * depends on the strategy; each strategy's folder declares its own fields.
 */
export interface ExposedResources extends ServiceResources, IngressResources, Omit<IstioResources, 'gateway'>,
  Omit<GatewayApiResources, 'gateway'>, ApiGatewayResources {
  /** istio or gatewayApi: the Gateway (unless bound to an existing one). */
  readonly gateway?: IstioResources['gateway'] | GatewayApiResources['gateway'];
}
