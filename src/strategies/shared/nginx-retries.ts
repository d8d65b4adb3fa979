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
 * The proxy_next_upstream conditions of a retry policy, in nginx's order; fails (naming `field`)
 * on a condition nginx cannot retry on.
 */
export function nextUpstreamConditions(retries: RetryIntent, field: string, product: string,
  fail: (field: string, message: string) => never): string {
  const conditions = new Set<string>();
  for (const on of retries.retryOn) {
    const mapped = NEXT_UPSTREAM[on];
    if (mapped === undefined) {
      fail(`${field}.retryOn`, `${product} cannot retry on "${on}"; use ${Object.keys(NEXT_UPSTREAM).filter((k) => NEXT_UPSTREAM[k as RetryCondition]).join(', ')}`);
    }
    mapped.forEach((c) => conditions.add(c));
  }
  return NEXT_UPSTREAM_ORDER.filter((c) => conditions.has(c)).join(' ');
}
