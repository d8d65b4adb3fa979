import type { Problem } from '../../core/errors';
import { RetryCondition, RetryIntent } from '../../intent/model';

// What nginx's proxy_next_upstream retries for each intent condition (ingress-nginx and the NGINX
// engine alike). nginx cannot retry on 409 (retriable-4xx).
const NEXT_UPSTREAM: Record<RetryCondition, string[] | undefined> = {
  '5xx': ['error', 'timeout', 'http_500', 'http_502', 'http_503', 'http_504'],
  'gateway-error': ['error', 'timeout', 'http_502', 'http_503', 'http_504'],
  'connect-failure': ['error', 'timeout'],
  'reset': ['error'],
  'retriable-4xx': undefined,
};
const NEXT_UPSTREAM_ORDER = ['error', 'timeout', 'http_500', 'http_502', 'http_503', 'http_504'];

/**
 * The retry conditions nginx cannot retry on, one problem each, naming `<field>.retryOn` and
 * `product` (`ingress-nginx`, `nginx`).
 */
export function retryOnProblems(retries: RetryIntent, field: string, product: string): Problem[] {
  const supported = Object.keys(NEXT_UPSTREAM).filter((k) => NEXT_UPSTREAM[k as RetryCondition]).join(', ');
  return retries.retryOn.filter((on) => NEXT_UPSTREAM[on] === undefined)
    .map((on) => ({ field: `${field}.retryOn`, message: `${product} cannot retry on "${on}"; use ${supported}` }));
}

/**
 * The proxy_next_upstream conditions of a retry policy, in nginx's order. Its conditions have
 * passed `retryOnProblems`: one nginx cannot retry on is an internal error.
 */
export function proxyNextUpstream(retries: RetryIntent): string {
  const conditions = new Set<string>();
  for (const on of retries.retryOn) {
    const mapped = NEXT_UPSTREAM[on];
    if (mapped === undefined) throw new Error(`nginx retries: the check let through retries on "${on}", which nginx cannot retry on`);
    mapped.forEach((c) => conditions.add(c));
  }
  return NEXT_UPSTREAM_ORDER.filter((c) => conditions.has(c)).join(' ');
}
