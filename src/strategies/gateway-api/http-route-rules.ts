import { HttpRouteFilter, HttpRouteRuleWithRetry } from './channel';
import { enumValue } from './enum-value';
import { BackendRefOf, ByImplementation, extensionRefFilters, ExtensionRefsOf, headerAndMirrorFilters, HeaderMatchTypes, headerMatches, HeaderOrMirrorFilterTypes, weightedBackendRefs } from './rule-parts';
import { unexpected } from './unexpected';
import type * as experimental from '../../../imports/gateway-api-experimental-gateway.networking.k8s.io';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { HTTP_METHODS } from '../../core/validators';
import {
  AffinityIntent, CorsIntent, ExternalAuthIntent, MatchIntent, PathMatchIntent, RedirectIntent, RetryCondition, RetryIntent, RewriteIntent,
  RouteIntent, routeName,
} from '../../intent/model';

/** The retry of an HTTPRoute rule (experimental channel). */
type HttpRouteRetry = NonNullable<HttpRouteRuleWithRetry['retry']>;
/** The session persistence of an HTTPRoute rule (experimental channel). */
type HttpRouteSessionPersistence = NonNullable<HttpRouteRuleWithRetry['sessionPersistence']>;

const FILTER_TYPES: HeaderOrMirrorFilterTypes<gatewayApi.HttpRouteSpecRulesFiltersType> = {
  requestHeaderModifier: enumValue('RequestHeaderModifier'),
  responseHeaderModifier: enumValue('ResponseHeaderModifier'),
  requestMirror: enumValue('RequestMirror'),
};
const HEADER_MATCH_TYPES: HeaderMatchTypes<gatewayApi.HttpRouteSpecRulesMatchesHeadersType> = {
  exact: enumValue('Exact'),
  regex: enumValue('RegularExpression'),
};
const PATH_MATCH_TYPES: Readonly<Record<PathMatchIntent['kind'], gatewayApi.HttpRouteSpecRulesMatchesPathType>> = {
  prefix: enumValue('PathPrefix'),
  exact: enumValue('Exact'),
  regex: enumValue('RegularExpression'),
};

// Status codes Gateway API retries on for each intent condition. Implementations retry connection
// errors whenever a retry is configured, so connect-failure and reset need no code.
const RETRY_CODES: Record<RetryCondition, number[]> = {
  '5xx': [500, 502, 503, 504],
  'gateway-error': [502, 503, 504],
  'retriable-4xx': [409],
  'connect-failure': [],
  'reset': [],
};

/**
 * The HTTPRoute rules of the routes, in declaration order (Gateway API orders matches by its own
 * precedence: exact path, longest prefix, method, headers, query parameters). A rule carries
 * `retry` only on the experimental channel (`experimental`), whose HTTPRoute class keeps it;
 * with `retriesByPolicy` (standard channel) an implementation's policy carries the retries;
 * `extensionRefs` are the implementation's filter objects of each rule; `byImplementation` says
 * what the implementation carries instead of the rule: CORS (no CORS filter) or external
 * authentication (Istio's CUSTOM AuthorizationPolicy, no ExternalAuth filter).
 */
export function renderHttpRouteRules(
  routes: readonly RouteIntent[], backendRef: BackendRefOf, experimental: boolean, retriesByPolicy = false,
  extensionRefs: ExtensionRefsOf = () => [], byImplementation: ByImplementation = {}): HttpRouteRuleWithRetry[] {
  return routes.map((route) => ({
    name: routeName(route),
    matches: [matchOf(route.match)],
    backendRefs: route.action.kind === 'redirect' ? undefined : weightedBackendRefs(route, backendRef),
    filters: nonEmpty(filtersOf(route, backendRef, experimental, extensionRefs, byImplementation)),
    timeouts: timeoutsOf(route),
    // Retries by an implementation's policy (standard channel) are not the rule's.
    retry: route.retries === undefined || retriesByPolicy ? undefined : retryOf(route.retries, experimental),
    // A cookie on the experimental channel only: other affinities, and any on the standard channel, are an
    // implementation's policy (Envoy Gateway's on the route, NGINX Gateway Fabric's on the Service).
    sessionPersistence: route.affinity?.kind === 'cookie' && experimental ? sessionPersistenceOf(route.affinity, experimental) : undefined,
  }));
}

function matchOf(m: MatchIntent): gatewayApi.HttpRouteSpecRulesMatches {
  return {
    path: { type: PATH_MATCH_TYPES[m.path.kind], value: m.path.value },
    headers: headerMatches(m, HEADER_MATCH_TYPES),
    queryParams: m.queryParams.length === 0 ? undefined
      : m.queryParams.map((q) => ({ name: q.name, type: q.kind === 'exact' ? enumValue('Exact') : enumValue('RegularExpression'), value: q.value })),
    method: m.method === undefined ? undefined : enumValue(knownMethod(m.method)),
  };
}

/**
 * The rule's filters, in this order: the implementation's (client IP lists, authentication, rate
 * limits) and external auth (the experimental channel's filter; on the standard channel an
 * implementation's policy carries it), before anything is done with the request; redirect,
 * rewrite, header edits, mirror, CORS.
 */
function filtersOf(
  route: RouteIntent, backendRef: BackendRefOf, experimental: boolean, extensionRefs: ExtensionRefsOf,
  byImplementation: ByImplementation): HttpRouteFilter[] {
  const filters: HttpRouteFilter[] = extensionRefFilters(route, extensionRefs, enumValue<gatewayApi.HttpRouteSpecRulesFiltersType>('ExtensionRef'));
  if (route.auth?.kind === 'external' && experimental && !byImplementation.externalAuthByPolicy) {
    filters.push(externalAuthFilter(route.auth, backendRef, experimental));
  }
  if (route.action.kind === 'redirect') filters.push({ type: enumValue('RequestRedirect'), requestRedirect: requestRedirect(route.action) });
  if (route.rewrite !== undefined) filters.push({ type: enumValue('URLRewrite'), urlRewrite: urlRewrite(route.rewrite, route.match.path.kind) });
  filters.push(...headerAndMirrorFilters(route, backendRef, FILTER_TYPES));
  if (route.cors && !byImplementation.corsByImplementation) filters.push({ type: enumValue('CORS'), cors: cors(route.cors) });
  return filters;
}

/**
 * The experimental `ExternalAuth` filter, over HTTP: the auth service gets Host, method, path,
 * Content-Length and Authorization always, `allowedHeaders` besides; `allowedResponseHeaders` are
 * copied to the backend (the checks require them: an empty list would copy every header).
 */
function externalAuthFilter(auth: ExternalAuthIntent, backendRef: BackendRefOf, experimental: boolean): experimental.HttpRouteSpecRulesFilters {
  if (!experimental) unexpected('external authentication on the standard channel');
  if (auth.signinUrl !== undefined || auth.responseHeaders.length === 0) unexpected('an ExternalAuth filter with a sign-in URL or no response headers');
  const allowedHeaders = auth.forwardHeaders.filter((h) => h !== 'authorization');
  return {
    type: enumValue('ExternalAuth'),
    externalAuth: {
      protocol: enumValue('HTTP'),
      backendRef: backendRef(auth.service),
      http: {
        path: auth.pathPrefix,
        allowedHeaders: allowedHeaders.length === 0 ? undefined : allowedHeaders,
        allowedResponseHeaders: [...auth.responseHeaders],
      },
    },
  };
}

function requestRedirect(r: RedirectIntent): gatewayApi.HttpRouteSpecRulesFiltersRequestRedirect {
  return {
    scheme: r.scheme === undefined ? undefined : enumValue(r.scheme),
    hostname: r.host,
    port: r.port,
    path: r.path === undefined ? undefined : { type: enumValue('ReplaceFullPath'), replaceFullPath: r.path },
    statusCode: r.statusCode,
  };
}

/** A prefix match rewrites the matched prefix; an exact or regex match the whole path. */
function urlRewrite(rewrite: RewriteIntent, matchKind: PathMatchIntent['kind']): gatewayApi.HttpRouteSpecRulesFiltersUrlRewrite {
  const path = rewrite.path;
  return {
    hostname: rewrite.host,
    path: path === undefined ? undefined : matchKind === 'prefix'
      ? { type: enumValue('ReplacePrefixMatch'), replacePrefixMatch: path }
      : { type: enumValue('ReplaceFullPath'), replaceFullPath: path },
  };
}

function cors(c: CorsIntent): gatewayApi.HttpRouteSpecRulesFiltersCors {
  return {
    allowOrigins: [...c.allowOrigins],
    allowMethods: c.allowMethods.map((m) => enumValue(knownMethod(m))),
    allowHeaders: c.allowHeaders.length === 0 ? undefined : [...c.allowHeaders],
    exposeHeaders: c.exposeHeaders.length === 0 ? undefined : [...c.exposeHeaders],
    allowCredentials: c.allowCredentials,
    maxAge: c.maxAgeSeconds,
  };
}

/** The request timeout, and with retries the per-try timeout (backendRequest, at most the request timeout). */
function timeoutsOf(route: RouteIntent): gatewayApi.HttpRouteSpecRulesTimeouts | undefined {
  const perTry = route.retries?.perTryTimeoutMs;
  if (perTry !== undefined && route.timeoutMs !== undefined && perTry > route.timeoutMs) unexpected(`${route.field}: a per-try timeout above the timeout`);
  const request = route.timeoutMs === undefined ? undefined : duration(route.timeoutMs);
  const backendRequest = perTry === undefined ? undefined : duration(perTry);
  return request === undefined && backendRequest === undefined ? undefined : { request, backendRequest };
}

/**
 * Cookie session persistence: the gateway sets the cookie (sessionName) on the first response.
 * With a ttl, a Permanent cookie that lifetime (absoluteTimeout); without, a Session cookie.
 */
function sessionPersistenceOf(a: AffinityIntent, experimental: boolean): HttpRouteSessionPersistence {
  if (!experimental) unexpected('session persistence on the standard channel');
  if (a.kind !== 'cookie' || a.path !== undefined) unexpected(`${a.kind} affinity${a.kind === 'cookie' ? ' with a path' : ''}`);
  return {
    sessionName: a.name,
    type: enumValue('Cookie'),
    absoluteTimeout: a.ttlSeconds === undefined ? undefined : duration(a.ttlSeconds * 1000),
    cookieConfig: { lifetimeType: enumValue(a.ttlSeconds === undefined ? 'Session' : 'Permanent') },
  };
}

function retryOf(r: RetryIntent, experimental: boolean): HttpRouteRetry {
  if (!experimental) unexpected('retries on the standard channel');
  if (r.attempts === 0) unexpected('retries of 0 attempts');
  const codes = [...new Set(r.retryOn.flatMap((on) => RETRY_CODES[on]))].sort((a, b) => a - b);
  return { attempts: r.attempts, codes: codes.length === 0 ? undefined : codes };
}

/** A method of the intent: the input checks admit only these. */
function knownMethod(method: string): (typeof HTTP_METHODS)[number] {
  return HTTP_METHODS.find((m) => m === method) ?? unexpected(`method "${method}"`);
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length === 0 ? undefined : list;
}

/** Gateway API durations (GEP-2257): up to four `<n>h|m|s|ms` parts, e.g. "1m30s", "1500ms" -> "1s500ms". */
export function duration(ms: number): string {
  const parts: [number, string][] = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'], [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
}
