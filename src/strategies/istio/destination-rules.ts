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
 * with TLS to the backend, or for every backend Service with a traffic policy.
 */
export function renderDestinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming, DestinationRule: IstioNetworkingKinds['DestinationRule'],
  policy: IstioTrafficPolicy | undefined): istioNetworking.DestinationRule[] {
  const byHost = new Map<string, BackendIntent[]>();
  for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
  const trafficPolicy = trafficPolicyOf(policy);
  const rules: istioNetworking.DestinationRule[] = [];
  for (const [host, backends] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const subsets = subsetsOf(backends);
    const tlsPorts = tlsPortsOf(backends);
    if (subsets.length === 0 && trafficPolicy === undefined && tlsPorts.length === 0) continue;
    const suffix = `${backends[0].name}${backends[0].namespace && backends[0].namespace !== intent.namespace ? `-${backends[0].namespace}` : ''}`;
    rules.push(new DestinationRule(scope, `DestinationRule-${suffix}`, {
      metadata: { name: resourceName(scope, suffix) },
      spec: { host, subsets: subsets.length > 0 ? subsets : undefined, trafficPolicy: withTlsPorts(trafficPolicy, tlsPorts) },
    }));
  }
  return rules;
}

/** The ports of one host's backends with TLS, by port number (the checks made each port's TLS one). */
function tlsPortsOf(backends: readonly BackendIntent[]): { readonly port: number; readonly tls: BackendTlsIntent }[] {
  return [...new Map(backends.flatMap((b) => (b.tls ? [[b.port, b.tls] as const] : []))).entries()]
    .sort(([a], [b]) => a - b)
    .map(([port, tls]) => ({ port, tls }));
}

/**
 * The traffic policy with one port-level setting per TLS port. Port-level settings replace the
 * destination-level ones for their port (Istio does not merge them), so each repeats them.
 */
function withTlsPorts(policy: istioNetworking.DestinationRuleSpecTrafficPolicy | undefined,
  ports: readonly { readonly port: number; readonly tls: BackendTlsIntent }[]): istioNetworking.DestinationRuleSpecTrafficPolicy | undefined {
  if (ports.length === 0) return policy;
  return {
    ...policy,
    // The same fields, under port-level type names (trafficPolicyOf sets no enum of connectionPool).
    portLevelSettings: ports.map(({ port, tls }) => ({
      port: { number: port },
      loadBalancer: policy?.loadBalancer,
      connectionPool: policy?.connectionPool,
      outlierDetection: policy?.outlierDetection,
      tls: clientTls(tls),
    }) as istioNetworking.DestinationRuleSpecTrafficPolicyPortLevelSettings),
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
