import { Problem } from '../../../core/errors';
import { ExposureIntent, policyField, RouteIntent } from '../../../intent/model';

/**
 * What Traefik's Middlewares cannot express of an intent its row admits: every problem, in the
 * order of the routes and their fields.
 */
export function traefikProblems(intent: ExposureIntent): Problem[] {
  // A rate limit per API key needs Auth.apiKey on the route, which the capability row refuses
  // (Traefik authenticates no API keys): every limit that reaches here counts per client address.
  return intent.routes.flatMap((route) => [...bodySizeProblems(route), ...retryProblems(route)]);
}

/** The buffering middleware reads the whole request before forwarding it, which stalls a gRPC stream. */
function bodySizeProblems(route: RouteIntent): Problem[] {
  return route.protocol === 'grpc' && route.maxRequestBodyBytes !== undefined
    ? [{ field: policyField(route, 'maxRequestBody'), message: 'Traefik limits the body by buffering the whole request, which stalls gRPC streams; remove it from the gRPC route' }]
    : [];
}

/**
 * Traefik's retry bounds all tries with one timeout, and retries a network error only before the
 * request was sent: a connection reset afterwards reaches it as the 502 it answers, which only a
 * status condition of 502 retries.
 */
function retryProblems(route: RouteIntent): Problem[] {
  const r = route.retries;
  if (r === undefined || r.attempts === 0) return [];
  const field = policyField(route, 'retries');
  const problems: Problem[] = [];
  if (r.perTryTimeoutMs !== undefined) {
    problems.push({ field: `${field}.perTryTimeout`, message: 'Traefik\'s retry has no timeout per try (its timeout bounds all tries); remove perTryTimeout, or use istio' });
  }
  if (r.retryOn.includes('reset') && !r.retryOn.includes('5xx') && !r.retryOn.includes('gateway-error')) {
    problems.push({
      field: `${field}.retryOn`,
      message: 'Traefik retries a connection reset after the request was sent only as the 502 it answers; add gateway-error or 5xx, or remove reset',
    });
  }
  return problems;
}

