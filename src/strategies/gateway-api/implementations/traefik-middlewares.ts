import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { TraefikKinds } from './traefik-kinds';
import type * as traefik from '../../../../imports/traefik-traefik.io';
import { dnsName } from '../../../core/naming';
import { AccessIntent, ExposureIntent, RateLimitIntent, RetryCondition, RetryIntent, RouteIntent, routeName } from '../../../intent/model';
import type { ExtensionRef } from '../rule-parts';
import { unexpected } from '../unexpected';

/** The group and kind an `ExtensionRef` filter names to reach a Traefik Middleware. */
export const MIDDLEWARE_REF = { group: 'traefik.io', kind: 'Middleware' } as const;

/**
 * The source Traefik counts and admits by: the connection's address (`depth` 0 takes no
 * X-Forwarded-For entry, and no `excludedIPs` scan it), the address Traefik sees.
 */
const CLIENT_ADDRESS = { depth: 0 } as const;

/** The status codes each retry condition retries on (as Gateway API's rule retry does); the others are network errors. */
const RETRY_STATUS: Record<RetryCondition, number[]> = {
  '5xx': [500, 502, 503, 504],
  'gateway-error': [502, 503, 504],
  'retriable-4xx': [409],
  'connect-failure': [],
  'reset': [],
};

/** A Middleware spec as plain data (comparable as JSON): one middleware type, the rate limit's period a duration string. */
type PlainSpec =
  | { readonly ipAllowList: traefik.MiddlewareSpecIpAllowList }
  | { readonly basicAuth: traefik.MiddlewareSpecBasicAuth }
  | { readonly rateLimit: Omit<traefik.MiddlewareSpecRateLimit, 'period'> & { readonly period: '1s' | '1m' } }
  | { readonly buffering: traefik.MiddlewareSpecBuffering }
  | { readonly retry: traefik.MiddlewareSpecRetry };

/** One feature's Middleware: its name suffix and its spec for a route, if the route has it. */
interface MiddlewareFeature {
  readonly suffix: string;
  readonly specOf: (route: RouteIntent) => PlainSpec | undefined;
}

/**
 * The features in the order the rule's filters reference them: who may pass (client address,
 * credentials), then how often, then what is forwarded and retried.
 */
const FEATURES: readonly MiddlewareFeature[] = [
  { suffix: 'ip-allow-list', specOf: (r) => r.access === undefined ? undefined : { ipAllowList: ipAllowListOf(r.access) } },
  { suffix: 'basic-auth', specOf: (r) => r.auth?.kind !== 'basic' ? undefined : { basicAuth: { secret: r.auth.secretName, realm: r.auth.realm } } },
  { suffix: 'rate-limit', specOf: (r) => r.rateLimit === undefined ? undefined : { rateLimit: rateLimitOf(r.rateLimit) } },
  { suffix: 'body-size', specOf: (r) => r.maxRequestBodyBytes === undefined ? undefined : { buffering: { maxRequestBodyBytes: r.maxRequestBodyBytes } } },
  { suffix: 'retry', specOf: (r) => retryOf(r.retries) },
];

/** A Middleware to create, and the rules whose filters reference it. */
export interface PlannedMiddleware {
  readonly name: string;
  readonly id: string;
  readonly spec: PlainSpec;
  readonly routes: readonly RouteIntent[];
}

const plans = new WeakMap<ExposureIntent, readonly PlannedMiddleware[]>();

/**
 * The exposure's Middlewares: per route object (the HTTPRoute, the GRPCRoute, both named after the
 * exposure) and feature, one for the whole route object when all its rules carry the same
 * settings, else one per rule that carries any. Named from the route object and the rule, so the
 * references (`extensionRefs`) and the objects (`render`) agree.
 */
export function planMiddlewares(intent: ExposureIntent): readonly PlannedMiddleware[] {
  const cached = plans.get(intent);
  if (cached !== undefined) return cached;
  const objects = [
    { suffix: '', routes: intent.routes.filter((r) => r.protocol === 'http') },
    { suffix: '-grpc', routes: intent.routes.filter((r) => r.protocol === 'grpc') },
  ];
  const plan = objects.flatMap((object) => FEATURES.flatMap((feature) => planFeature(intent.name, object.suffix, object.routes, feature)));
  plans.set(intent, plan);
  return plan;
}

function planFeature(routeObject: string, kindSuffix: string, routes: readonly RouteIntent[], feature: MiddlewareFeature): PlannedMiddleware[] {
  const specs = routes.map((r) => feature.specOf(r));
  const first = specs[0];
  if (first !== undefined && specs.every((s) => s !== undefined && JSON.stringify(s) === JSON.stringify(first))) {
    return [planned(`${kindSuffix}-${feature.suffix}`, first, routes)];
  }
  return routes.flatMap((route, i) => {
    const spec = specs[i];
    return spec === undefined ? [] : [planned(`${kindSuffix}-${routeName(route)}-${feature.suffix}`, spec, [route])];
  });

  function planned(suffix: string, spec: PlainSpec, of: readonly RouteIntent[]): PlannedMiddleware {
    return { name: dnsName(`${routeObject}${suffix}`, 253), id: `Middleware${suffix}`, spec, routes: of };
  }
}

/** The Middlewares a route's rule references, in the order of FEATURES. */
export function middlewareRefs(intent: ExposureIntent, route: RouteIntent): ExtensionRef[] {
  return planMiddlewares(intent).filter((m) => m.routes.includes(route)).map((m) => ({ ...MIDDLEWARE_REF, name: m.name }));
}

/** The planned Middlewares as objects. */
export function renderMiddlewares(scope: Construct, kinds: TraefikKinds, plan: readonly PlannedMiddleware[]): ApiObject[] {
  return plan.map((m) => new kinds.Middleware(scope, m.id, { metadata: { name: m.name }, spec: specOf(m.spec, kinds) }));
}

function specOf(spec: PlainSpec, kinds: TraefikKinds): traefik.MiddlewareSpec {
  if ('rateLimit' in spec) return { rateLimit: { ...spec.rateLimit, period: kinds.MiddlewareSpecRateLimitPeriod.fromString(spec.rateLimit.period) } };
  return spec;
}

/** The allowed ranges; Traefik has no deny list (the capability row refuses one). */
function ipAllowListOf(access: AccessIntent): traefik.MiddlewareSpecIpAllowList {
  if (access.allow === undefined || access.deny.length > 0) unexpected('a client IP deny list on Traefik');
  return { sourceRange: [...access.allow], ipStrategy: CLIENT_ADDRESS };
}

/**
 * A token bucket per client address: `average` requests per `period`, holding `burst` tokens. A
 * declared burst B admits B + 1 requests at once, as nginx's `burst` does, so the bucket holds B + 1.
 */
function rateLimitOf(r: RateLimitIntent): Omit<traefik.MiddlewareSpecRateLimit, 'period'> & { period: '1s' | '1m' } {
  if (r.key !== 'client-ip') unexpected(`a rate limit by ${r.key} on Traefik`);
  return { average: r.requests, period: r.per === 'second' ? '1s' : '1m', burst: r.burst + 1, sourceCriterion: { ipStrategy: CLIENT_ADDRESS } };
}

/**
 * Traefik's `attempts` counts every try (the intent's retries + 1). The conditions become status
 * codes (on every method: the library's other targets retry POST too), and the retry of network
 * errors (a connection that failed before the request was sent) stays on for `connect-failure`
 * and `5xx` (a 5xx answer or none). No retries (attempts 0) is Traefik's default: no Middleware.
 */
function retryOf(r: RetryIntent | undefined): PlainSpec | undefined {
  if (r === undefined || r.attempts === 0) return undefined;
  const codes = [...new Set(r.retryOn.flatMap((on) => RETRY_STATUS[on]))].sort((a, b) => a - b);
  const network = r.retryOn.includes('connect-failure') || r.retryOn.includes('5xx');
  if (codes.length === 0 && !network) unexpected(`retries on ${r.retryOn.join(', ')} on Traefik`);
  return {
    retry: {
      attempts: r.attempts + 1,
      status: codes.length === 0 ? undefined : codes.map(String),
      retryNonIdempotentMethod: codes.length === 0 ? undefined : true,
      disableRetryOnNetworkError: network ? undefined : true,
    },
  };
}
