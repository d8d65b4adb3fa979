import { Construct } from 'constructs';
import type { IstioNetworkingKinds } from './istio-kinds';
import { IstioTrafficPolicy } from './istio-options';
import { duration, IstioNaming } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { resourceName } from '../../core/naming';
import { BackendIntent, CircuitBreakerIntent, ExposureIntent } from '../../intent/model';

/**
 * One DestinationRule per backend Service (by host, in host order) that has subsets, or for every
 * backend Service with a traffic policy (the Istio options' or the exposure's circuit breaker).
 */
export function renderDestinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming, DestinationRule: IstioNetworkingKinds['DestinationRule'],
  policy: IstioTrafficPolicy | undefined): istioNetworking.DestinationRule[] {
  const byHost = new Map<string, BackendIntent[]>();
  for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
  const trafficPolicy = trafficPolicyOf(policy, intent.circuitBreaker);
  const rules: istioNetworking.DestinationRule[] = [];
  for (const [host, backends] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const subsets = subsetsOf(backends);
    if (subsets.length === 0 && trafficPolicy === undefined) continue;
    const suffix = `${backends[0].name}${backends[0].namespace && backends[0].namespace !== intent.namespace ? `-${backends[0].namespace}` : ''}`;
    rules.push(new DestinationRule(scope, `DestinationRule-${suffix}`, {
      metadata: { name: resourceName(scope, suffix) },
      spec: { host, subsets: subsets.length > 0 ? subsets : undefined, trafficPolicy },
    }));
  }
  return rules;
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
