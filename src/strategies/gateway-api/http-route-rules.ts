import { BackendIntent, CorsIntent, HeaderEditsIntent, RetryCondition, RetryIntent, RouteIntent, routeName } from '../../intent/model';
import { escapeRegex } from '../shared/regex';

/** Reports a route the strategy cannot express. */
export type Fail = (field: string, message: string) => never;

/**
 * One HTTPRoute rule, in the JSON shape of the L1 props. Kept as plain data: the standard and the
 * experimental channel L1s differ in types, not in field names, and the schema check in the tests
 * validates every rule against the channel's CRD.
 */
export type HttpRouteRule = Record<string, unknown>;

/** The parts of a backend reference: the Service namespace is set only across namespaces. */
export type BackendRefOf = (backend: BackendIntent) => { name: string; namespace?: string; port: number };

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
 * precedence: exact path, longest prefix, method, headers, query parameters).
 */
export function renderHttpRouteRules(routes: readonly RouteIntent[], backendRef: BackendRefOf, experimental: boolean, fail: Fail): HttpRouteRule[] {
  return routes.map((route) => renderRule(route, backendRef, experimental, fail));
}

function renderRule(route: RouteIntent, backendRef: BackendRefOf, experimental: boolean, fail: Fail): HttpRouteRule {
  const filters: Record<string, unknown>[] = [];
  const rule: HttpRouteRule = { name: routeName(route), matches: [matchOf(route)] };

  if (route.action.kind === 'redirect') {
    const r = route.action;
    filters.push({
      type: 'RequestRedirect',
      requestRedirect: {
        scheme: r.scheme,
        hostname: r.host,
        port: r.port,
        path: r.path === undefined ? undefined : { type: 'ReplaceFullPath', replaceFullPath: r.path },
        statusCode: r.statusCode,
      },
    });
  } else {
    rule.backendRefs = weightedBackendRefs(route, backendRef);
  }

  if (route.rewrite !== undefined) {
    const path = route.rewrite.path;
    filters.push({
      type: 'URLRewrite',
      urlRewrite: {
        hostname: route.rewrite.host,
        path: path === undefined ? undefined : route.match.path.kind === 'prefix'
          ? { type: 'ReplacePrefixMatch', replacePrefixMatch: path }
          : { type: 'ReplaceFullPath', replaceFullPath: path },
      },
    });
  }
  filters.push(...headerAndMirrorFilters(route, backendRef, fail));
  if (route.cors) filters.push({ type: 'CORS', cors: cors(route.cors) });
  if (filters.length > 0) rule.filters = filters;

  const timeouts: Record<string, string> = {};
  if (route.timeoutMs !== undefined) timeouts.request = duration(route.timeoutMs);
  if (route.retries !== undefined) {
    // The capability check admits retries on the experimental channel only.
    if (!experimental) fail(route.sources.retries!, 'retries need the Gateway API experimental channel');
    rule.retry = retry(route.retries, route.sources.retries!, fail);
    if (route.retries.perTryTimeoutMs !== undefined) {
      if (route.timeoutMs !== undefined && route.retries.perTryTimeoutMs > route.timeoutMs) {
        fail(`${route.sources.retries!}.perTryTimeout`, 'Gateway API requires the per-try timeout (backendRequest) to be at most the request timeout');
      }
      timeouts.backendRequest = duration(route.retries.perTryTimeoutMs);
    }
  }
  if (Object.keys(timeouts).length > 0) rule.timeouts = timeouts;
  return rule;
}

function matchOf(route: RouteIntent): Record<string, unknown> {
  const m = route.match;
  const type = { prefix: 'PathPrefix', exact: 'Exact', regex: 'RegularExpression' }[m.path.kind];
  return {
    path: { type, value: m.path.value },
    headers: headerMatches(route),
    queryParams: m.queryParams.length === 0 ? undefined
      : m.queryParams.map((q) => ({ name: q.name, type: q.kind === 'exact' ? 'Exact' : 'RegularExpression', value: q.value })),
    method: m.method,
  };
}

/** The backendRefs of a forwarding route; weights are relative in Gateway API too, so a single backend needs none. */
export function weightedBackendRefs(route: RouteIntent, backendRef: BackendRefOf): Record<string, unknown>[] {
  const backends = route.action.kind === 'forward' ? route.action.backends : [];
  return backends.map((b) => ({ ...backendRef(b.backend), weight: backends.length > 1 ? b.weight : undefined }));
}

/** Header matches; Gateway API has no prefix match, so a prefix is the regex "<escaped prefix>.*". */
export function headerMatches(route: RouteIntent): Record<string, unknown>[] | undefined {
  const headers = route.match.headers;
  return headers.length === 0 ? undefined : headers.map((h) => ({
    name: h.name,
    type: h.kind === 'exact' ? 'Exact' : 'RegularExpression',
    value: h.kind === 'prefix' ? `${escapeRegex(h.value)}.*` : h.value,
  }));
}

/** The header modifier and mirror filters, which HTTPRoute and GRPCRoute share. */
export function headerAndMirrorFilters(route: RouteIntent, backendRef: BackendRefOf, fail: Fail): Record<string, unknown>[] {
  const filters: Record<string, unknown>[] = [];
  if (route.requestHeaders) filters.push({ type: 'RequestHeaderModifier', requestHeaderModifier: headerModifier(route.requestHeaders) });
  if (route.responseHeaders) filters.push({ type: 'ResponseHeaderModifier', responseHeaderModifier: headerModifier(route.responseHeaders) });
  if (route.mirror) {
    filters.push({
      type: 'RequestMirror',
      requestMirror: {
        backendRef: backendRef(route.mirror.backend),
        percent: route.mirror.percentage === 100 ? undefined : wholePercent(route, fail),
      },
    });
  }
  return filters;
}

function headerModifier(e: HeaderEditsIntent): Record<string, unknown> {
  return {
    set: e.set.length === 0 ? undefined : e.set.map((h) => ({ name: h.name, value: h.value })),
    add: e.add.length === 0 ? undefined : e.add.map((h) => ({ name: h.name, value: h.value })),
    remove: e.remove.length === 0 ? undefined : [...e.remove],
  };
}

function cors(c: CorsIntent): Record<string, unknown> {
  return {
    allowOrigins: [...c.allowOrigins],
    allowMethods: [...c.allowMethods],
    allowHeaders: c.allowHeaders.length === 0 ? undefined : [...c.allowHeaders],
    exposeHeaders: c.exposeHeaders.length === 0 ? undefined : [...c.exposeHeaders],
    allowCredentials: c.allowCredentials,
    maxAge: c.maxAgeSeconds,
  };
}

function retry(r: RetryIntent, field: string, fail: Fail): Record<string, unknown> {
  if (r.attempts === 0) fail(`${field}.attempts`, 'Gateway API cannot switch retries off (attempts is at least 1); leave retries unset');
  const codes = [...new Set(r.retryOn.flatMap((on) => RETRY_CODES[on]))].sort((a, b) => a - b);
  return { attempts: r.attempts, codes: codes.length === 0 ? undefined : codes };
}

function wholePercent(route: RouteIntent, fail: Fail): number {
  const p = route.mirror!.percentage;
  if (!Number.isInteger(p)) fail(`${route.sources.mirror!}.percentage`, `Gateway API mirrors a whole percentage; ${p} is not`);
  return p;
}

/** Gateway API durations (GEP-2257): up to four `<n>h|m|s|ms` parts, e.g. "1m30s", "1500ms" -> "1s500ms". */
export function duration(ms: number): string {
  const parts: [number, string][] = [[Math.floor(ms / 3_600_000), 'h'], [Math.floor(ms / 60_000) % 60, 'm'], [Math.floor(ms / 1000) % 60, 's'], [ms % 1000, 'ms']];
  return parts.filter(([n]) => n > 0).map(([n, unit]) => `${n}${unit}`).join('');
}
