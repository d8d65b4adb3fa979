import { checkLetThrough } from './checks';
import { IstioNaming, weightedDestinations } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { ExposureIntent } from '../../intent/model';

/**
 * The VirtualService `tls` routes of a PASSTHROUGH gateway: it forwards the TLS stream by SNI to
 * the one route's backends; the backend terminates TLS.
 */
export function passthroughRoutes(intent: ExposureIntent, naming: IstioNaming): istioNetworking.VirtualServiceSpecTls[] {
  const route = intent.routes[0];
  if (intent.routes.length !== 1 || route.action.kind !== 'forward') throw checkLetThrough('PASSTHROUGH routes other than one forward');
  return [{
    match: [{ port: 443, sniHosts: [...intent.hosts] }],
    route: weightedDestinations(route.action, naming),
  }];
}
