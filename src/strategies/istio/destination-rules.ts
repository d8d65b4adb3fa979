import { Construct } from 'constructs';
import type { IstioNetworkingKinds } from './istio-kinds';
import { IstioTrafficPolicy } from './istio-options';
import { duration, IstioNaming } from './istio-values';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { resourceName } from '../../core/naming';
import { BackendIntent, ExposureIntent } from '../../intent/model';

/**
 * One DestinationRule per backend Service (by host, in host order) that has subsets, or for every
 * backend Service with a traffic policy.
 */
export function renderDestinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming, DestinationRule: IstioNetworkingKinds['DestinationRule'],
  policy: IstioTrafficPolicy | undefined): istioNetworking.DestinationRule[] {
  const byHost = new Map<string, BackendIntent[]>();
  for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
  const trafficPolicy = trafficPolicyOf(policy);
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
