import { describeValue } from '../core/runtime-types';

/** Who a rate limit counts requests for. */
export type RateLimitKey = 'client-ip' | 'api-key';

/** Options for `RateLimit.perSecond` and `RateLimit.perMinute`. */
export interface RateLimitOptions {
  /**
   * Requests accepted above the rate in a burst before requests are rejected with 429 (the NGINX
   * engine's `limit_req burst`, served without delay). ingress-nginx takes a whole multiple of the
   * rate, at least 1 (`limit-burst-multiplier`); the Kong engine counts fixed windows and takes
   * none (0); Envoy Gateway's local limit admits the whole rate at once and takes the rate.
   * @default 0 - no request above the rate is accepted
   * @example RateLimit.perSecond(10, { burst: 20 })
   */
  readonly burst?: number;

  /**
   * What requests are counted per: the client address, or the consumer of the API key (needs
   * `Auth.apiKey`; the API gateway engines and Envoy Gateway only).
   * @default 'client-ip'
   * @example RateLimit.perMinute(600, { key: 'api-key' })
   */
  readonly key?: RateLimitKey;
}


/**
 * How many requests a client may make; requests above it get 429. Rendered as `limit_req` by the
 * NGINX engine, Kong's `rate-limiting` plugin (policy `local`), and ingress-nginx's `limit-rps` or
 * `limit-rpm` annotations. Counts are kept per gateway pod (per controller replica for
 * ingress-nginx), so the cluster-wide limit is the rate times the number of pods.
 */
export class RateLimit {
  /** At most `requests` per second (a whole number from 1 to 1,000,000,000) per client or key. */
  public static perSecond(requests: number, options: RateLimitOptions = {}): RateLimit {
    return new RateLimit(requests, 'second', options);
  }

  /** At most `requests` per minute (a whole number from 1 to 1,000,000,000) per client or key. */
  public static perMinute(requests: number, options: RateLimitOptions = {}): RateLimit {
    return new RateLimit(requests, 'minute', options);
  }

  /** @internal */
  public readonly _problems: readonly string[];
  /** What was declared, with the defaults filled in; read by the intent builder. @internal */
  public readonly _spec: { readonly requests: number; readonly per: 'second' | 'minute'; readonly burst: number; readonly key: RateLimitKey };

  private constructor(requests: number, per: 'second' | 'minute', options: RateLimitOptions) {
    if (typeof options !== 'object' || options === null || Array.isArray(options)) {
      this._problems = [`options is ${describeValue(options)}; use an object`];
      this._spec = { requests: 0, per, burst: 0, key: 'client-ip' };
      return;
    }
    const burst = options.burst ?? 0;
    const key = options.key ?? 'client-ip';
    const problems: string[] = [];
    if (typeof requests !== 'number') problems.push(`requests is ${describeValue(requests)}; use a whole number of at least 1`);
    else if (!Number.isInteger(requests) || requests < 1) problems.push(`${requests} requests per ${per} is not a rate; use a whole number of at least 1`);
    // At most a billion: every target writes the numbers as integers, never in exponent notation.
    else if (requests > 1e9) problems.push(`${requests} requests per ${per} is more than 1000000000; no target writes larger rates`);
    if (typeof burst !== 'number') problems.push(`burst is ${describeValue(burst)}; use a whole number of at least 0`);
    else if (!Number.isInteger(burst) || burst < 0) problems.push(`burst ${burst} is not a request count; use a whole number of at least 0`);
    else if (burst > 1e9) problems.push(`burst ${burst} is more than 1000000000; no target writes larger bursts`);
    if (typeof key !== 'string') problems.push(`key is ${describeValue(key)}; use "client-ip" or "api-key"`);
    else if (key !== 'client-ip' && key !== 'api-key') problems.push(`key "${key}" is not a rate limit key; use "client-ip" or "api-key"`);
    this._problems = problems;
    this._spec = { requests, per, burst, key };
  }
}
