import { Construct } from 'constructs';
import { checkLetThrough } from './checks';
import type { IstioNetworkingKinds } from './istio-kinds';
import { IstioTrafficPolicy } from './istio-options';
import { duration, IstioNaming } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { resourceName } from '../../core/naming';
import { BackendIntent, BackendTlsIntent, ExposureIntent } from '../../intent/model';

/**
 * One DestinationRule per backend Service (by host, in host order) that has subsets or a port
 * with TLS to the backend or h2c, or for every backend Service with a traffic policy.
 */
export function renderDestinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming, DestinationRule: IstioNetworkingKinds['DestinationRule'],
  policy: IstioTrafficPolicy | undefined): istioNetworking.DestinationRule[] {
  const byHost = new Map<string, BackendIntent[]>();
  for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
  const trafficPolicy = trafficPolicyOf(policy);
  const rules: istioNetworking.DestinationRule[] = [];
  for (const [host, backends] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const subsets = subsetsOf(backends);
    const ports = portsOf(backends);
    if (subsets.length === 0 && trafficPolicy === undefined && ports.length === 0) continue;
    const suffix = `${backends[0].name}${backends[0].namespace && backends[0].namespace !== intent.namespace ? `-${backends[0].namespace}` : ''}`;
    rules.push(new DestinationRule(scope, `DestinationRule-${suffix}`, {
      metadata: { name: resourceName(scope, suffix) },
      spec: { host, subsets: subsets.length > 0 ? subsets : undefined, trafficPolicy: withPortSettings(trafficPolicy, ports) },
    }));
  }
  return rules;
}

/** A port of one host that needs a port-level setting: TLS to it, or HTTP/2 without TLS (never both). */
interface PortSetting {
  readonly port: number;
  readonly tls?: BackendTlsIntent;
  readonly h2c: boolean;
}

/** The ports of one host's backends with TLS or h2c, by port number (the checks made each port's setting one). */
function portsOf(backends: readonly BackendIntent[]): PortSetting[] {
  return [...new Map(backends.flatMap((b) => (b.tls !== undefined || b.protocol === 'h2c'
    ? [[b.port, { port: b.port, tls: b.tls, h2c: b.protocol === 'h2c' }] as const] : []))).values()]
    .sort((a, b) => a.port - b.port);
}

/**
 * The traffic policy with one port-level setting per TLS or h2c port. Port-level settings replace
 * the destination-level ones for their port (Istio does not merge them), so each repeats them.
 */
function withPortSettings(policy: istioNetworking.DestinationRuleSpecTrafficPolicy | undefined,
  ports: readonly PortSetting[]): istioNetworking.DestinationRuleSpecTrafficPolicy | undefined {
  if (ports.length === 0) return policy;
  return {
    ...policy,
    // The same fields, under port-level type names (trafficPolicyOf sets no enum of connectionPool).
    portLevelSettings: ports.map(({ port, tls, h2c }) => ({
      port: { number: port },
      loadBalancer: policy?.loadBalancer,
      connectionPool: h2c ? withH2Upgrade(policy?.connectionPool) : policy?.connectionPool,
      outlierDetection: policy?.outlierDetection,
      tls: tls && clientTls(tls),
    }) as istioNetworking.DestinationRuleSpecTrafficPolicyPortLevelSettings),
  };
}

/**
 * HTTP/2 by prior knowledge to an h2c port: `h2UpgradePolicy: UPGRADE` gives the proxy's cluster
 * HTTP/2 options whatever the port's declared protocol, and whatever the client spoke.
 * (`useClientProtocol` would send HTTP/1.1 requests as HTTP/1.1, which an h2c backend refuses.)
 */
function withH2Upgrade(pool: istioNetworking.DestinationRuleSpecTrafficPolicyConnectionPool | undefined):
istioNetworking.DestinationRuleSpecTrafficPolicyConnectionPool {
  return {
    ...pool,
    http: {
      ...pool?.http,
      h2UpgradePolicy: 'UPGRADE' as istioNetworking.DestinationRuleSpecTrafficPolicyConnectionPoolHttpH2UpgradePolicy,
    },
  };
}

/**
 * TLS to the backend (SIMPLE: the proxy is the TLS client). The CA Secret is read by the proxy,
 * from its own namespace; with the system CAs Istio verifies against the proxy's OS trust store
 * (VERIFY_CERTIFICATE_AT_CLIENT, on by default). Unverified: insecureSkipVerify.
 */
function clientTls(tls: BackendTlsIntent): istioNetworking.DestinationRuleSpecTrafficPolicyPortLevelSettingsTls {
  const ca = tls.ca;
  if (ca?.kind === 'config-map') throw checkLetThrough('a CA in a ConfigMap');
  return {
    mode: 'SIMPLE' as istioNetworking.DestinationRuleSpecTrafficPolicyPortLevelSettingsTlsMode,
    credentialName: ca?.kind === 'secret' ? ca.name : undefined,
    sni: tls.serverName,
    subjectAltNames: ca !== undefined && tls.serverName !== undefined ? [tls.serverName] : undefined,
    insecureSkipVerify: ca === undefined ? true : undefined,
  };
}

/** The distinct subsets of one host's backends, by name. */
function subsetsOf(backends: readonly BackendIntent[]): istioNetworking.DestinationRuleSpecSubsets[] {
  return [...new Map(backends.flatMap((b) => (b.subset ? [[b.subset.name, b.subset] as const] : []))).values()]
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((s) => ({ name: s.name, labels: { ...s.labels } }));
}

function trafficPolicyOf(p: IstioTrafficPolicy | undefined): istioNetworking.DestinationRuleSpecTrafficPolicy | undefined {
  if (p === undefined) return undefined;
  const o = p.outlierDetection;
  const c = p.connectionPool;
  return {
    loadBalancer: p.loadBalancer && { simple: p.loadBalancer as istioNetworking.DestinationRuleSpecTrafficPolicyLoadBalancerSimple },
    connectionPool: c && {
      tcp: c.maxConnections === undefined ? undefined : { maxConnections: c.maxConnections },
      http: c.http1MaxPendingRequests === undefined && c.http2MaxRequests === undefined && c.maxRequestsPerConnection === undefined ? undefined : {
        http1MaxPendingRequests: c.http1MaxPendingRequests,
        http2MaxRequests: c.http2MaxRequests,
        maxRequestsPerConnection: c.maxRequestsPerConnection,
      },
    },
    outlierDetection: o && {
      consecutive5XxErrors: o.consecutive5xxErrors,
      interval: o.interval && duration(o.interval.toMilliseconds()),
      baseEjectionTime: o.baseEjectionTime && duration(o.baseEjectionTime.toMilliseconds()),
      maxEjectionPercent: o.maxEjectionPercent,
    },
  };
}
