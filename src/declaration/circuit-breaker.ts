import { Duration } from 'cdk8s';
import { isDuration } from '../core/runtime-shape';
import { describeValue, isPlainObject } from '../core/runtime-types';

/** Options for `CircuitBreaker.of`: limits of the calls to a backend, and ejection of its failing endpoints. */
export interface CircuitBreakerOptions {
  /**
   * The most connections to the backend open at once; a request that would need another fails
   * fast (Istio: 503; the NGINX engine: 502) instead of piling up on the backend.
   * @default - no limit
   * @example CircuitBreaker.of({ maxConnections: 100 })
   */
  readonly maxConnections?: number;
  /**
   * The most requests waiting for a connection to the backend; more fail fast with 503 (Istio).
   * The NGINX engine has no queue (NGINX Plus's `queue`) and refuses it.
   * @default - no limit
   * @example CircuitBreaker.of({ maxConnections: 100, maxPendingRequests: 50 })
   */
  readonly maxPendingRequests?: number;
  /**
   * The most requests in flight to the backend at once; more fail fast.
   * @default - no limit
   * @example CircuitBreaker.of({ maxRequests: 1000 })
   */
  readonly maxRequests?: number;
  /**
   * How many 5xx answers (or failed connections) in a row take an endpoint (a pod) of the
   * backend out of the load balancing for `ejectionTime`. Needs a proxy that balances over the
   * pods themselves (Istio, Envoy Gateway).
   * @default - no ejection
   * @example CircuitBreaker.of({ consecutiveErrors: 5, ejectionTime: Duration.seconds(30) })
   */
  readonly consecutiveErrors?: number;
  /**
   * How often endpoints are scanned for ejection; needs `consecutiveErrors`.
   * @default - the proxy's own (Istio: 10 s)
   * @example CircuitBreaker.of({ consecutiveErrors: 5, interval: Duration.seconds(10) })
   */
  readonly interval?: Duration;
  /**
   * How long an ejected endpoint gets no requests the first time (Istio multiplies it by the
   * number of times the endpoint was ejected); needs `consecutiveErrors`.
   * @default - the proxy's own (Istio: 30 s)
   * @example CircuitBreaker.of({ consecutiveErrors: 5, ejectionTime: Duration.seconds(30) })
   */
  readonly ejectionTime?: Duration;
  /**
   * The largest share of the backend's endpoints ejected at once, in percent (1 to 100); needs
   * `consecutiveErrors`.
   * @default - the proxy's own (Istio: 10)
   * @example CircuitBreaker.of({ consecutiveErrors: 5, maxEjectedPercent: 50 })
   */
  readonly maxEjectedPercent?: number;
}

/** What a CircuitBreaker declares (internal); durations in milliseconds. */
export interface CircuitBreakerSpec {
  readonly maxConnections?: number;
  readonly maxPendingRequests?: number;
  readonly maxRequests?: number;
  readonly consecutiveErrors?: number;
  readonly intervalMs?: number;
  readonly ejectionTimeMs?: number;
  readonly maxEjectedPercent?: number;
}

/** The largest count: the targets' fields are 32-bit integers (Istio's DestinationRule). */
const MAX_COUNT = 2_147_483_647;
/** The longest duration: Istio's durations are written in whole milliseconds; a year is plenty. */
const MAX_DURATION_MS = 365 * 24 * 3_600_000;

/**
 * Circuit breaking for every backend Service of an exposure: limits of the connections and
 * requests to each backend (over a limit, requests fail fast instead of piling up), and ejection
 * of a backend's failing endpoints (outlier detection). A property of the backends' endpoints, so
 * it is declared once per exposure and applies to each backend Service on its own.
 */
export class CircuitBreaker {
  /**
   * Limits and ejection as declared; at least one field.
   * @example CircuitBreaker.of({ maxConnections: 100, consecutiveErrors: 5, ejectionTime: Duration.seconds(30) })
   */
  public static of(options: CircuitBreakerOptions): CircuitBreaker {
    return new CircuitBreaker(options);
  }

  /** @internal */
  public readonly _problems: readonly string[];
  /** What was declared, checked; read by the intent builder. @internal */
  public readonly _spec: CircuitBreakerSpec;

  private constructor(options: CircuitBreakerOptions) {
    if (!isPlainObject(options)) {
      this._problems = [`options is ${describeValue(options)}; use an object such as { maxConnections: 100 }`];
      this._spec = {};
      return;
    }
    const problems: string[] = [];
    const count = (field: keyof CircuitBreakerOptions, min: number, max: number): number | undefined => {
      const v = options[field];
      if (v === undefined) return undefined;
      if (typeof v !== 'number') problems.push(`${field} is ${describeValue(v)}; use a whole number from ${min} to ${max}`);
      else if (!Number.isInteger(v) || v < min || v > max) problems.push(`${field} ${v} is not a whole number from ${min} to ${max}`);
      else return v;
      return undefined;
    };
    const duration = (field: 'interval' | 'ejectionTime'): number | undefined => {
      const v = options[field];
      if (v === undefined) return undefined;
      if (!isDuration(v)) {
        problems.push(`${field} is ${describeValue(v)}; use a cdk8s Duration, e.g. Duration.seconds(10)`);
        return undefined;
      }
      const ms = (v as Duration).toMilliseconds({ integral: false });
      if (!Number.isInteger(ms) || ms < 1) problems.push(`${field} of ${ms}ms is not a positive whole number of milliseconds`);
      else if (ms > MAX_DURATION_MS) problems.push(`${field} of ${ms}ms is longer than 365 days`);
      else return ms;
      return undefined;
    };
    const spec: CircuitBreakerSpec = {
      maxConnections: count('maxConnections', 1, MAX_COUNT),
      maxPendingRequests: count('maxPendingRequests', 1, MAX_COUNT),
      maxRequests: count('maxRequests', 1, MAX_COUNT),
      consecutiveErrors: count('consecutiveErrors', 1, MAX_COUNT),
      intervalMs: duration('interval'),
      ejectionTimeMs: duration('ejectionTime'),
      maxEjectedPercent: count('maxEjectedPercent', 1, 100),
    };
    const known = ['maxConnections', 'maxPendingRequests', 'maxRequests', 'consecutiveErrors', 'interval', 'ejectionTime', 'maxEjectedPercent'];
    for (const key of Object.keys(options)) {
      if (!known.includes(key)) problems.push(`${key} is not an option of CircuitBreaker.of; use ${known.join(', ')}`);
    }
    if (known.every((k) => (options as Record<string, unknown>)[k] === undefined)) {
      problems.push(`declares nothing; set at least one of ${known.join(', ')}`);
    }
    // Without a count of errors nothing is ejected, so the other ejection fields would change nothing.
    if (options.consecutiveErrors === undefined) {
      for (const field of ['interval', 'ejectionTime', 'maxEjectedPercent'] as const) {
        if (options[field] !== undefined) problems.push(`${field} needs consecutiveErrors: without it no endpoint is ejected; set consecutiveErrors`);
      }
    }
    this._problems = problems;
    this._spec = Object.fromEntries(Object.entries(spec).filter(([, v]) => v !== undefined));
  }
}
