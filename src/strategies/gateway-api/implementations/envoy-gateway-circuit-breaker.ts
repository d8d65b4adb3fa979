import type * as envoyGateway from '../../../../imports/envoy-gateway-gateway.envoyproxy.io';
import { Problem } from '../../../core/errors';
import { BackendIntent, CircuitBreakerIntent, ExposureIntent } from '../../../intent/model';

/**
 * Envoy Gateway builds one Envoy cluster per route rule (its backendRefs together) and applies a
 * BackendTrafficPolicy's `circuitBreaker` and `healthCheck.passive` to it. The declaration limits
 * each backend Service on its own (Istio's DestinationRule per Service), so the two agree only when
 * every Service is the one Service of exactly one rule; anything else would count with another
 * budget, and is refused. Mirrors, streams and the external auth service have clusters of their
 * own that the policy does not configure.
 */
export function circuitBreakerProblems(intent: ExposureIntent): Problem[] {
  if (intent.circuitBreaker === undefined) return [];
  const service = (b: BackendIntent) => `${b.namespace ?? intent.namespace ?? ''}/${b.name}`.replace(/^\//, '');
  const rulesOf = new Map<string, string[]>();
  for (const route of intent.routes) {
    if (route.action.kind !== 'forward') continue;
    const services = [...new Set(route.action.backends.map((b) => service(b.backend)))];
    if (services.length > 1) {
      return [problem(`${route.field} splits between ${services.length} Services (${services.join(', ')}), which would share its limits; declare it on exposures of one backend each`)];
    }
    rulesOf.set(services[0], [...rulesOf.get(services[0]) ?? [], route.field]);
  }
  const shared = [...rulesOf].find(([, rules]) => rules.length > 1);
  if (shared !== undefined) {
    return [problem(`Service "${shared[0]}" is reached by ${shared[1].length} rules (${shared[1].join(', ')}), each of which would have limits of its own; route it from one rule`)];
  }
  const other = intent.routes.find((r) => r.mirror !== undefined) ? 'a mirror' : intent.streams.length > 0 ? 'a stream (passthrough, tcp)'
    : intent.routes.some((r) => r.auth?.kind === 'external') ? 'the external auth service' : undefined;
  return other === undefined ? [] : [problem(`the exposure calls ${other}, whose Envoy cluster the BackendTrafficPolicy does not configure; remove it, or use istio`)];
}

function problem(detail: string): Problem {
  return { field: 'circuitBreaker', message: `Envoy Gateway applies a circuit breaker to each route rule's backends together (one Envoy cluster per rule): ${detail}` };
}

type TrafficSpec = envoyGateway.BackendTrafficPolicySpec;

/**
 * The limits (`maxRequests` is Envoy's parallel requests) and the ejection of failing endpoints:
 * Envoy counts 5xx answers and failed connections alike (`splitExternalLocalOriginErrors` off), as
 * under Istio. Fields not declared keep Envoy Gateway's defaults (1024 connections, pending and
 * parallel requests; a scan each 3 s, 30 s ejection, 10 %).
 */
export function circuitBreakerSpec(cb: CircuitBreakerIntent | undefined): Pick<TrafficSpec, 'circuitBreaker' | 'healthCheck'> {
  if (cb === undefined) return {};
  const limits = cb.maxConnections !== undefined || cb.maxPendingRequests !== undefined || cb.maxRequests !== undefined;
  return {
    circuitBreaker: !limits ? undefined
      : { maxConnections: cb.maxConnections, maxPendingRequests: cb.maxPendingRequests, maxParallelRequests: cb.maxRequests },
    healthCheck: cb.consecutiveErrors === undefined ? undefined : {
      passive: {
        consecutive5XxErrors: cb.consecutiveErrors,
        interval: cb.intervalMs === undefined ? undefined : envoyGatewayDuration(cb.intervalMs),
        baseEjectionTime: cb.ejectionTimeMs === undefined ? undefined : envoyGatewayDuration(cb.ejectionTimeMs),
        maxEjectionPercent: cb.maxEjectedPercent,
      },
    },
  };
}

/**
 * Whole milliseconds as Envoy Gateway's duration (`^([0-9]{1,5}(h|m|s|ms)){1,4}$`): hours, minutes,
 * seconds and milliseconds, the zero ones left out (the intent's are at most a year: 8760h).
 */
export function envoyGatewayDuration(ms: number): string {
  const parts: [number, string][] = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'], [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
}
