import { RouteIntent } from '../../../intent/model';

/**
 * True when Envoy Gateway's BackendTrafficPolicy carries the route's affinity (`loadBalancer`
 * consistent hash): always on the standard channel and on gRPC routes; on the experimental
 * channel a cookie on an HTTPRoute stays the rule's own `sessionPersistence`.
 */
export function affinityByPolicy(route: RouteIntent, standardChannel: boolean): boolean {
  return route.affinity !== undefined && (standardChannel || route.affinity.kind !== 'cookie' || route.protocol === 'grpc');
}
