import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { ParentRef } from './gateway';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { resourceName } from '../../core/naming';
import { BackendIntent, ExposureIntent, StreamIntent } from '../../intent/model';

/** The routes of the exposure's streams. */
export interface StreamRoutes {
  readonly tlsRoutes?: gatewayApi.TlsRoute[];
  readonly tcpRoutes?: gatewayApi.TcpRoute[];
}

/**
 * A TLSRoute per passthrough (its hostname, to its backend; the backend terminates TLS) and a
 * TCPRoute per TCP port, each on the listener of its stream.
 */
export function renderStreamRoutes(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent,
  parents: ReadonlyMap<string, ParentRef>): StreamRoutes {
  const backendRefs = (b: BackendIntent) => [{ name: b.name, namespace: b.namespace !== intent.namespace ? b.namespace : undefined, port: b.port }];
  const parentOf = (s: StreamIntent) => [parents.get(s.field) ?? unexpected(`no listener for ${s.field}`)];
  const tlsRoutes: gatewayApi.TlsRoute[] = [];
  const tcpRoutes: gatewayApi.TcpRoute[] = [];
  intent.streams.forEach((s, i) => {
    if (s.kind === 'tls-passthrough') {
      tlsRoutes.push(new kinds.TlsRoute(scope, `TLSRoute-${i}`, {
        metadata: { name: resourceName(scope, `tls-${i}`) },
        spec: { parentRefs: parentOf(s), hostnames: [s.host], rules: [{ backendRefs: backendRefs(s.backend) }] },
      }));
    } else {
      tcpRoutes.push(new kinds.TcpRoute(scope, `TCPRoute-${s.port}`, {
        metadata: { name: resourceName(scope, `tcp-${s.port}`) },
        spec: { parentRefs: parentOf(s), rules: [{ backendRefs: backendRefs(s.backend) }] },
      }));
    }
  });
  return { tlsRoutes: tlsRoutes.length > 0 ? tlsRoutes : undefined, tcpRoutes: tcpRoutes.length > 0 ? tcpRoutes : undefined };
}
