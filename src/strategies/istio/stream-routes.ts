import { IstioNaming, destination } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { ExposureIntent, passthroughStreams, tcpStreams } from '../../intent/model';

/** The VirtualService `tls` and `tcp` routes of the exposure's streams (none when it declares none). */
export interface IstioStreamRoutes {
  readonly tls?: istioNetworking.VirtualServiceSpecTls[];
  readonly tcp?: istioNetworking.VirtualServiceSpecTcp[];
}

/**
 * A `tls` route per passthrough (its port and SNI hostname to its backend; the backend
 * terminates TLS) and a `tcp` route per TCP port, in declaration order.
 */
export function streamRoutes(intent: ExposureIntent, naming: IstioNaming): IstioStreamRoutes {
  const passthrough = passthroughStreams(intent);
  const tcp = tcpStreams(intent);
  return {
    tls: passthrough.length === 0 ? undefined : passthrough.map((s) => ({
      match: [{ port: s.port, sniHosts: [s.host] }],
      route: [{ destination: destination(s.backend, naming) }],
    })),
    tcp: tcp.length === 0 ? undefined : tcp.map((s) => ({
      match: [{ port: s.port }],
      route: [{ destination: destination(s.backend, naming) }],
    })),
  };
}

/**
 * The VirtualService's hosts: those of the HTTP routes (`*` for every host) and the SNI hostnames
 * passed through. TCP routes match by port on a server of hosts `*`, which binds any host of the
 * VirtualService: `*` only when it has no other.
 */
export function virtualServiceHosts(intent: ExposureIntent): string[] {
  const http = intent.routes.length === 0 ? [] : intent.hosts.length > 0 ? intent.hosts : ['*'];
  const hosts = [...new Set([...http, ...passthroughStreams(intent).map((s) => s.host)])];
  return hosts.includes('*') || hosts.length === 0 ? ['*'] : hosts;
}
