import { Duration } from 'cdk8s';
import { describeValue, isPlainObject } from '../core/runtime-types';

/** Options for `SessionAffinity.cookie`. */
export interface CookieAffinityOptions {
  /**
   * The cookie's name: 1 to 128 letters, digits, `-`, `_` or `.` (a cookie name every target
   * writes literally).
   * @example SessionAffinity.cookie({ name: 'route' })
   */
  readonly name: string;
  /**
   * How long the cookie lives (`Max-Age`), whole seconds from 1 second to 3650 days.
   * @default - a session cookie: the browser drops it when it closes
   * @example SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(8) })
   */
  readonly ttl?: Duration;
  /**
   * The cookie's `Path`: `/` followed by letters, digits, `-`, `.`, `_`, `~` or `/`.
   * @default - the strategy's own (ingress-nginx: the Ingress path; Istio: none, so the request's directory; Kong: `/`)
   * @example SessionAffinity.cookie({ name: 'route', path: '/' })
   */
  readonly path?: string;
}

/** What a SessionAffinity declares (internal). */
export type AffinitySpec =
  | { readonly kind: 'cookie'; readonly name: string; readonly ttlSeconds?: number; readonly path?: string }
  | { readonly kind: 'header'; readonly name: string }
  | { readonly kind: 'client-ip' };

/** The longest cookie lifetime: ten years, below every target's limit (Gateway API's: 99999 hours). */
const MAX_TTL_SECONDS = 3650 * 86_400;
const COOKIE_NAME = /^[A-Za-z0-9._-]{1,128}$/;
const COOKIE_PATH = /^\/[A-Za-z0-9._~/-]*$/;
/** Header names that every target turns into its own form (nginx variables `$http_x_user`): letters, digits, `-`. */
const HEADER_NAME = /^[A-Za-z0-9-]{1,256}$/;

/**
 * Session affinity: the requests of one client keep reaching the same endpoint (pod) of a
 * backend, as long as that endpoint is there. By a cookie the gateway sets on the first response
 * (`cookie`), by the value of a request header (`header`), or by the client's address
 * (`clientIp`). Declared on the exposure or on a route; every route reaching one backend must
 * declare the same affinity, since it is a property of how that backend's endpoints share its
 * requests. The README states what each strategy renders and what happens when endpoints change.
 */
export class SessionAffinity {
  /**
   * Sticky by a cookie: a request without it is balanced as usual and its response sets the cookie;
   * requests carrying it reach the same endpoint.
   * @example SessionAffinity.cookie({ name: 'route', ttl: Duration.hours(8), path: '/' })
   */
  public static cookie(options: CookieAffinityOptions): SessionAffinity {
    if (!isPlainObject(options)) return new SessionAffinity({ kind: 'client-ip' }, [`options is ${describeValue(options)}; use an object such as { name: 'route' }`]);
    const { name, ttl, path } = options;
    const ttlSeconds = ttl === undefined ? undefined : lifetimeSeconds(ttl);
    const problems = [cookieNameProblem(name), typeof ttlSeconds === 'string' ? ttlSeconds : undefined, cookiePathProblem(path)]
      .filter((p): p is string => p !== undefined);
    return new SessionAffinity({ kind: 'cookie', name: String(name), ttlSeconds: typeof ttlSeconds === 'number' ? ttlSeconds : undefined, path }, problems);
  }

  /**
   * Requests with the same value of header `name` reach the same endpoint (a consistent hash of
   * the value); requests without it are hashed alike, on an empty value.
   * @example SessionAffinity.header('x-user-id')
   */
  public static header(name: string): SessionAffinity {
    if (typeof name !== 'string') return new SessionAffinity({ kind: 'client-ip' }, [`header name is ${describeValue(name)}; use a string such as "x-user-id"`]);
    if (!HEADER_NAME.test(name)) {
      return new SessionAffinity({ kind: 'header', name }, [name.length === 0 ? 'header name is empty; use a header name such as "x-user-id"'
        : `header name ${JSON.stringify(name)} is not one every strategy reads; use 1 to 256 letters, digits or "-"`]);
    }
    // HTTP header names are case-insensitive: lowercased, as every target compares them.
    return new SessionAffinity({ kind: 'header', name: name.toLowerCase() }, []);
  }

  /**
   * Requests from the same client address reach the same endpoint. The address is the one that
   * reaches the proxy (see the README: behind a load balancer that does not preserve it, every
   * client shares the load balancer's).
   * @example SessionAffinity.clientIp()
   */
  public static clientIp(): SessionAffinity {
    return new SessionAffinity({ kind: 'client-ip' }, []);
  }

  /** @internal */
  public readonly _problems: readonly string[];
  /** What was declared; read by the intent builder. @internal */
  public readonly _spec: AffinitySpec;

  private constructor(spec: AffinitySpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}

function cookieNameProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return `name is ${describeValue(name)}; use a cookie name such as "route"`;
  if (name.length === 0) return 'name is empty; use a cookie name such as "route"';
  if (!COOKIE_NAME.test(name)) return `name ${JSON.stringify(name)} is not a cookie name every strategy writes; use 1 to 128 letters, digits, "-", "_" or "."`;
  return undefined;
}

/** The lifetime in whole seconds, or the problem. */
function lifetimeSeconds(ttl: unknown): number | string {
  if (!(ttl instanceof Duration)) return `ttl is ${describeValue(ttl)}; use a Duration such as Duration.hours(8)`;
  const ms = ttl.toMilliseconds({ integral: false });
  if (!Number.isFinite(ms) || ms < 1000 || ms % 1000 !== 0 || ms / 1000 > MAX_TTL_SECONDS) {
    return `ttl ${ms}ms is not a cookie lifetime; use whole seconds from 1 second to 3650 days (leave it unset for a session cookie)`;
  }
  return ms / 1000;
}

function cookiePathProblem(path: unknown): string | undefined {
  if (path === undefined) return undefined;
  if (typeof path !== 'string') return `path is ${describeValue(path)}; use a path such as "/"`;
  if (!COOKIE_PATH.test(path) || path.length > 1024) {
    return `path ${JSON.stringify(path)} is not a cookie path every strategy writes; use "/" followed by letters, digits, "-", ".", "_", "~" or "/" (at most 1024 characters)`;
  }
  return undefined;
}
