import { Construct } from 'constructs';
import { checkLetThrough } from './check-let-through';
import type { IstioNetworkingKinds } from './istio-kinds';
import { IstioTrafficPolicy } from './istio-options';
import { duration, IstioNaming } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { resourceName } from '../../core/naming';
import { AffinityIntent, BackendIntent, BackendTlsIntent, CircuitBreakerIntent, describeAffinity, ExposureIntent } from '../../intent/model';

/**
 * One DestinationRule per backend Service (by host, in host order) that has subsets, session
 * affinity or a port with TLS to the backend or h2c, or for every backend Service with a traffic
 * policy (the Istio options' or the exposure's circuit breaker).
 */
export function renderDestinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming, DestinationRule: IstioNetworkingKinds['DestinationRule'],
  policy: IstioTrafficPolicy | undefined): istioNetworking.DestinationRule[] {
  const byHost = new Map<string, BackendIntent[]>();
  for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
  const common = trafficPolicyOf(policy, intent.circuitBreaker);
  const affinities = affinityOfHost(intent).byHost;
  const rules: istioNetworking.DestinationRule[] = [];
  for (const [host, backends] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const subsets = subsetsOf(backends);
    const affinity = affinities.get(serviceOf(backends[0], intent));
    // The checks refuse the strategy's loadBalancer with an affinity: consistentHash is the whole loadBalancer.
    const trafficPolicy = affinity === undefined ? common
      : { ...common, loadBalancer: { consistentHash: consistentHash(affinity) } };
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

/** A Service as the DestinationRule's host names it: namespace and name. */
function serviceOf(b: BackendIntent, intent: ExposureIntent): string {
  return `${b.namespace ?? intent.namespace ?? ''}/${b.name}`;
}

/** A Service as errors name it: `namespace/name`, or `name` when neither the backend nor the exposure has a namespace. */
const shown = (host: string): string => host.replace(/^\//, '');

/** Where two routes give one Service two affinities (through another port or subset). */
export interface HostAffinityConflict {
  readonly host: string;
  readonly field: string;
  readonly affinity?: AffinityIntent;
  readonly otherField: string;
  readonly otherAffinity?: AffinityIntent;
}

/**
 * The affinity of each Service the routes forward to (`namespace/name`), from the first route
 * reaching it, and the routes that reach it with another one. The intent already gives every
 * route to one backend (port, subset) the same affinity; a DestinationRule is per Service.
 */
export function affinityOfHost(intent: ExposureIntent): { byHost: Map<string, AffinityIntent>; conflicts: HostAffinityConflict[] } {
  const first = new Map<string, { field: string; backend: string; affinity?: AffinityIntent }>();
  const conflicts: HostAffinityConflict[] = [];
  for (const route of intent.routes) {
    if (route.action.kind !== 'forward') continue;
    const field = route.sources.affinity ?? route.field;
    for (const { backend } of route.action.backends) {
      const host = serviceOf(backend, intent);
      const seen = first.get(host);
      if (seen === undefined) {
        first.set(host, { field, backend: backend.key, affinity: route.affinity });
        continue;
      }
      // Routes to the same port and subset disagreeing are the intent's problem already.
      if (seen.backend !== backend.key && describeAffinity(seen.affinity) !== describeAffinity(route.affinity)
        && !conflicts.some((c) => c.field === field && c.host === shown(host))) {
        conflicts.push({ host: shown(host), field, affinity: route.affinity, otherField: seen.field, otherAffinity: seen.affinity });
      }
    }
  }
  const byHost = new Map<string, AffinityIntent>();
  for (const [host, { affinity }] of first) if (affinity !== undefined) byHost.set(host, affinity);
  return { byHost, conflicts };
}

/**
 * Envoy's consistent hash. A cookie with a ttl is set by the gateway when the request has none
 * (ttl 0s: a session cookie); without a ttl Envoy would only hash a cookie the client already has.
 */
function consistentHash(a: AffinityIntent): istioNetworking.DestinationRuleSpecTrafficPolicyLoadBalancerConsistentHash {
  switch (a.kind) {
    case 'cookie': return { httpCookie: { name: a.name, path: a.path, ttl: `${a.ttlSeconds ?? 0}s` } };
    case 'header': return { httpHeaderName: a.name };
    case 'client-ip': return { useSourceIp: true };
  }
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

/**
 * The DestinationRule's traffic policy: the exposure's circuit breaker (connection limits and
 * outlier detection) with the Istio-only options; `undefined` when neither declares anything.
 */
function trafficPolicyOf(p: IstioTrafficPolicy | undefined,
  cb: CircuitBreakerIntent | undefined): istioNetworking.DestinationRuleSpecTrafficPolicy | undefined {
  if (p === undefined && cb === undefined) return undefined;
  const perConnection = p?.connectionPool?.maxRequestsPerConnection;
  const http = cb?.maxPendingRequests === undefined && cb?.maxRequests === undefined && perConnection === undefined ? undefined : {
    http1MaxPendingRequests: cb?.maxPendingRequests,
    http2MaxRequests: cb?.maxRequests,
    maxRequestsPerConnection: perConnection,
  };
  const tcp = cb?.maxConnections === undefined ? undefined : { maxConnections: cb.maxConnections };
  return {
    loadBalancer: p?.loadBalancer && { simple: p.loadBalancer as istioNetworking.DestinationRuleSpecTrafficPolicyLoadBalancerSimple },
    connectionPool: tcp === undefined && http === undefined ? undefined : { tcp, http },
    // Envoy counts 5xx answers and failed connections (reported as 503) alike: "consecutive errors".
    outlierDetection: cb?.consecutiveErrors === undefined ? undefined : {
      consecutive5XxErrors: cb.consecutiveErrors,
      interval: cb.intervalMs === undefined ? undefined : duration(cb.intervalMs),
      baseEjectionTime: cb.ejectionTimeMs === undefined ? undefined : duration(cb.ejectionTimeMs),
      maxEjectionPercent: cb.maxEjectedPercent,
    },
  };
}
