import { Problem } from '../../../core/errors';
import { BackendIntent, CircuitBreakerIntent, ExposureIntent } from '../../../intent/model';

/*
 * The circuit breaker on the NGINX engine: `max_conns` on each upstream server line. Each server
 * line is a backend Service's one address (kube-proxy balances its pods behind it), and nginx
 * upstream connections carry one request at a time, so the limit of connections is the limit of
 * requests in flight to the Service: the smaller of maxConnections and maxRequests. A request over
 * it finds no server to take it and gets 502 at once (nginx's "no live upstreams").
 */

/** The `max_conns` of every server line, or `undefined` without a declared limit. */
export function maxConns(c: CircuitBreakerIntent | undefined): number | undefined {
  const limits = [c?.maxConnections, c?.maxRequests].filter((n): n is number => n !== undefined);
  return limits.length === 0 ? undefined : Math.min(...limits);
}

/** The servers of one upstream, as a key: routes whose upstreams have the same key share one (see `upstream`). */
export function serversKey(servers: readonly (readonly [BackendIntent, number])[]): string {
  return JSON.stringify(servers.map(([b, weight]) => [b.key, weight]));
}

/**
 * What the engine cannot limit as declared. nginx counts `max_conns` per server line of an
 * upstream, so the limit is the Service's only where the Service is on one line: routes to it
 * share one upstream when they list the same servers, but a Service in two different upstreams
 * (alone and in a weighted split, or mirrored) or listed once per retry would be let through
 * that many times the limit.
 */
export function connectionLimitProblems(intent: ExposureIntent): Problem[] {
  const c = intent.circuitBreaker;
  if (maxConns(c) === undefined && c?.maxPendingRequests === undefined) return [];
  const problems: Problem[] = [];
  if (c?.maxPendingRequests !== undefined) {
    problems.push({
      field: 'circuitBreaker',
      message: 'NGINX open source has no queue of requests waiting for a connection (queue is NGINX Plus\'s): over the limit a request gets 502 at once; '
        + 'remove maxPendingRequests, or use istio',
    });
  }
  if (maxConns(c) === undefined) return problems;
  const upstreamsOf = new Map<string, { backend: BackendIntent; fields: string[]; keys: Set<string> }>();
  const note = (backend: BackendIntent, field: string, key: string) => {
    const entry = upstreamsOf.get(backend.key) ?? { backend, fields: [], keys: new Set<string>() };
    if (!entry.keys.has(key)) entry.fields.push(field);
    entry.keys.add(key);
    upstreamsOf.set(backend.key, entry);
  };
  for (const route of intent.routes) {
    // Each part of an aggregate route is proxied to an upstream of its Service alone, never retried.
    if (route.action.kind === 'aggregate') route.action.parts.forEach((p) => note(p.backend, `${p.field}.backend`, serversKey([[p.backend, 1]])));
    if (route.action.kind !== 'forward') continue;
    const servers = route.action.backends.map((b) => [b.backend, b.weight] as const);
    for (const { backend } of route.action.backends) note(backend, route.field, serversKey(servers));
    if (route.mirror) note(route.mirror.backend, route.sources.mirror!, serversKey([[route.mirror.backend, 1]]));
    if (route.retries !== undefined && route.retries.attempts > 0) {
      problems.push({
        field: route.sources.retries!,
        message: 'the NGINX engine lists each backend Service once per try (nginx retries only on another server line) and max_conns counts per line, '
          + `so with ${route.retries.attempts} retries circuitBreaker's limit would let through ${route.retries.attempts + 1} times as many connections; `
          + 'remove the retries or the limit, or use istio',
      });
    }
  }
  for (const { backend, fields } of upstreamsOf.values()) {
    if (fields.length < 2) continue;
    problems.push({
      field: 'circuitBreaker',
      message: `nginx counts max_conns per upstream, and the Service "${backend.name}" is in ${fields.length} different ones (${fields.join(', ')}: `
        + 'alone, weighted, or mirrored), so each would get the whole limit; send it the same way from every route, or use istio',
    });
  }
  return problems;
}
