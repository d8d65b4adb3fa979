/**
 * Gateway API (v1.2 spec, https://gateway-api.sigs.k8s.io/reference/spec/#httprouterule): the
 * listeners of the request's protocol, port and host (the most specific hostname); the HTTPRoutes
 * and GRPCRoutes attached to them whose hostnames cover the host; then, across their rules, the
 * precedence of the spec: hostname specificity, exact path, longest prefix, method, most header
 * matches, most query matches, the oldest route (creationTimestamp), then namespace/name in
 * alphabetical order, then rule and match order. Filters: header modifiers, RequestRedirect,
 * URLRewrite, RequestMirror; weighted backendRefs; timeouts.request. ExtensionRef filters
 * (an implementation's policies) and CORS are not evaluated. A route whose Gateway is not in the
 * manifests (an existing, shared Gateway) is taken as attached to every listener.
 */
import {
  backendKey, fullMatch, hostMatches, largest, lowerKeys, Manifest, portOf, prefixByElement, queryOf, shares, splitPath, unread,
} from './manifests';
import { Forwarded, HeaderEdits, RouteRequest, RouteResult } from './model';
import { urlOf } from './request';

const GROUP = 'gateway.networking.k8s.io/';
const POLICY_FILTERS = new Set(['ExtensionRef', 'CORS']);
/** Below every wildcard's rank (-1000 + its length, a hostname being at most 253 characters). */
const NO_HOSTNAMES_RANK = -2000;

/** One match of a rule, ranked by the spec's precedence. */
interface Candidate {
  readonly route: Manifest;
  readonly field: string;
  readonly rule: any;
  readonly ruleIndex: number;
  readonly matchIndex: number;
  readonly match: any;
  /** Characters of the route hostname that matched; negative for a wildcard, lower still without hostnames. */
  readonly hostnameRank: number;
  readonly grpc: boolean;
}

function attachedListeners(route: Manifest, gateways: readonly Manifest[]): { listeners: any[]; unknown: boolean } {
  const listeners: any[] = [];
  let unknown = false;
  for (const ref of (route.spec?.parentRefs ?? []) as any[]) {
    if ((ref.kind ?? 'Gateway') !== 'Gateway') continue;
    const ns = ref.namespace ?? route.metadata?.namespace;
    const g = gateways.find((x) => x.metadata?.name === ref.name
      && (ns === undefined || x.metadata?.namespace === undefined || x.metadata.namespace === ns));
    if (g === undefined) {
      unknown = true;
      continue;
    }
    listeners.push(...((g.spec?.listeners ?? []) as any[]).filter((l) => (ref.sectionName === undefined || l.name === ref.sectionName)
      && (ref.port === undefined || l.port === ref.port)).map((l) => ({ ...l, gateway: g })));
  }
  return { listeners, unknown };
}

/**
 * The most specific hostname of a route that covers the host, or undefined: an exact hostname ranks
 * by its length, a wildcard below every exact one (more characters first), and a route without
 * hostnames below every wildcard (the spec's HTTPRouteRule precedence: the most specific hostname
 * match wins; a route without hostnames matches every host, so it is the least specific).
 */
function hostnameRank(route: Manifest, host: string): number | undefined {
  const names: string[] = route.spec?.hostnames ?? [];
  if (names.length === 0) return NO_HOSTNAMES_RANK;
  const ranks = names.filter((h) => hostMatches(h, host, false)).map((h) => (h.startsWith('*') ? -1000 + h.length : h.length));
  return ranks.length === 0 ? undefined : Math.max(...ranks);
}

/** The Gateway API model. */
export function routeByGatewayApi(manifests: readonly Manifest[], req: RouteRequest): RouteResult {
  const gateways = manifests.filter((m) => m.kind === 'Gateway' && String(m.apiVersion).startsWith(GROUP));
  const protocol = req.scheme === 'https' ? 'HTTPS' : 'HTTP';
  const port = portOf(req);
  const fits = (l: any) => l.protocol === protocol && l.port === port && (l.hostname === undefined || hostMatches(l.hostname, req.host, false));
  const listenerRank = (l: any) => (l.hostname === undefined ? 0 : l.hostname.startsWith('*') ? 1 : 2);
  // The listener that takes the connection: the most specific hostname among those that fit.
  const all = gateways.flatMap((g) => ((g.spec?.listeners ?? []) as any[]).map((l) => ({ ...l, gateway: g }))).filter(fits);
  const top = Math.max(-1, ...all.map(listenerRank));
  const taking = all.filter((l) => listenerRank(l) === top);

  const routes = manifests.filter((m) => (m.kind === 'HTTPRoute' || m.kind === 'GRPCRoute') && String(m.apiVersion).startsWith(GROUP));
  const candidates: Candidate[] = [];
  for (const route of routes) {
    const { listeners, unknown } = attachedListeners(route, gateways);
    const attached = unknown || listeners.some((l) => taking.some((t) => t.gateway === l.gateway && t.name === l.name));
    if (!attached) continue;
    const rank = hostnameRank(route, req.host);
    if (rank === undefined) continue;
    const grpc = route.kind === 'GRPCRoute';
    for (const [i, rule] of ((route.spec?.rules ?? []) as any[]).entries()) {
      const matches: any[] = rule.matches ?? [{}];
      for (const [j, match] of matches.entries()) {
        const field = `spec.rules[${i}].matches[${j}]`;
        if (grpc ? grpcMatches(route, field, match, req) : httpMatches(route, field, match, req)) {
          candidates.push({ route, field, rule, ruleIndex: i, matchIndex: j, match, hostnameRank: rank, grpc });
        }
      }
    }
  }
  if (candidates.length === 0) {
    const listening = gateways.some((g) => ((g.spec?.listeners ?? []) as any[]).some((l) => l.protocol === protocol && l.port === port));
    if (gateways.length > 0 && !listening && !routes.some((r) => attachedListeners(r, gateways).unknown)) {
      return { kind: 'respond', dataPlane: 'gateway-api', status: 0, reason: `connection refused: no ${protocol} listener on port ${port}` };
    }
    return { kind: 'respond', dataPlane: 'gateway-api', status: 404, reason: 'no route' };
  }
  if (candidates.some((c) => c.grpc) && candidates.some((c) => !c.grpc)) {
    const names = [...new Set(candidates.map((c) => `${c.route.kind} ${c.route.metadata?.name}`))].join(', ');
    throw new Error(`route: ${names} both match ${req.host}${req.path}: which one takes it is implementation-specific: pass the manifests of one`);
  }
  const regexes = candidates.filter((c) => c.match.path?.type === 'RegularExpression');
  if (regexes.length > 0 && candidates.length > 1) {
    throw unread(regexes[0].route, `${regexes[0].field}.path`, 'a RegularExpression path and another match both match the request: '
      + 'their precedence is implementation-specific in the spec');
  }
  candidates.sort(candidates[0].grpc ? compareGrpc : compareHttp);
  const answered = answer(manifests, candidates[0], req);
  const name = candidates[0].rule.name;
  return name === undefined ? answered : { ...answered, rule: name };
}

function httpMatches(route: Manifest, field: string, m: any, req: RouteRequest): boolean {
  const [path] = splitPath(req.path);
  const p = m.path ?? { type: 'PathPrefix', value: '/' };
  const type = p.type ?? 'PathPrefix';
  const value = p.value ?? '/';
  if (type === 'Exact' && path !== value) return false;
  if (type === 'PathPrefix' && !prefixByElement(value, path)) return false;
  if (type === 'RegularExpression' && !fullMatch(route, `${field}.path.value`, value, path)) return false;
  if (!['Exact', 'PathPrefix', 'RegularExpression'].includes(type)) throw unread(route, `${field}.path.type`, `unknown path type ${type}`);
  if (m.method !== undefined && m.method !== req.method) return false;
  return headersMatch(route, field, m.headers, req) && paramsMatch(route, field, m.queryParams, req);
}

function headersMatch(route: Manifest, field: string, headers: any[] | undefined, req: RouteRequest): boolean {
  const h = lowerKeys(req.headers);
  return (headers ?? []).every((x, k) => valueMatches(route, `${field}.headers[${k}]`, x, h[String(x.name).toLowerCase()]));
}

function paramsMatch(route: Manifest, field: string, params: any[] | undefined, req: RouteRequest): boolean {
  const q = queryOf(req.path);
  return (params ?? []).every((x, k) => valueMatches(route, `${field}.queryParams[${k}]`, x, q[x.name]));
}

function valueMatches(route: Manifest, field: string, x: any, value: string | undefined): boolean {
  if (value === undefined) return false;
  if ((x.type ?? 'Exact') === 'Exact') return value === x.value;
  if (x.type === 'RegularExpression') return fullMatch(route, `${field}.value`, x.value, value);
  throw unread(route, `${field}.type`, `unknown match type ${x.type}`);
}

/** A gRPC call is a POST to `/service/method`. */
function grpcMatches(route: Manifest, field: string, m: any, req: RouteRequest): boolean {
  const [path] = splitPath(req.path);
  const call = /^\/([^/]+)\/([^/]+)$/.exec(path);
  if (req.method !== 'POST' || call === null) return false;
  const method = m.method;
  if (method !== undefined) {
    const regex = method.type === 'RegularExpression';
    const is = (pattern: string | undefined, value: string, f: string) => pattern === undefined
      || (regex ? fullMatch(route, `${field}.method.${f}`, pattern, value) : pattern === value);
    if (!is(method.service, call[1], 'service') || !is(method.method, call[2], 'method')) return false;
  }
  return headersMatch(route, field, m.headers, req);
}

/** The spec's order (HTTPRouteRule): hostname, exact path, prefix length, method, headers, query params, then age and name. */
function compareHttp(a: Candidate, b: Candidate): number {
  const exact = (c: Candidate) => (c.match.path?.type === 'Exact' ? 1 : 0);
  const prefix = (c: Candidate) => ((c.match.path?.type ?? 'PathPrefix') === 'PathPrefix' ? String(c.match.path?.value ?? '/').replace(/\/+$/, '').length : -1);
  return b.hostnameRank - a.hostnameRank || exact(b) - exact(a) || prefix(b) - prefix(a)
    || (b.match.method === undefined ? 0 : 1) - (a.match.method === undefined ? 0 : 1)
    || (b.match.headers ?? []).length - (a.match.headers ?? []).length
    || (b.match.queryParams ?? []).length - (a.match.queryParams ?? []).length
    || byAge(a, b);
}

/** GRPCRouteRule: hostname, characters of the service, characters of the method, headers, then age and name. */
function compareGrpc(a: Candidate, b: Candidate): number {
  const len = (c: Candidate, f: string) => String(c.match.method?.[f] ?? '').length;
  return b.hostnameRank - a.hostnameRank || len(b, 'service') - len(a, 'service') || len(b, 'method') - len(a, 'method')
    || (b.match.headers ?? []).length - (a.match.headers ?? []).length || byAge(a, b);
}

function byAge(a: Candidate, b: Candidate): number {
  const t = (c: Candidate) => String(c.route.metadata?.creationTimestamp ?? '');
  const n = (c: Candidate) => `${c.route.metadata?.namespace ?? ''}/${c.route.metadata?.name ?? ''}`;
  if (a.route !== b.route) {
    if (t(a) !== t(b)) return t(a) < t(b) ? -1 : 1;
    return n(a) < n(b) ? -1 : n(a) > n(b) ? 1 : 0;
  }
  return a.ruleIndex - b.ruleIndex || a.matchIndex - b.matchIndex;
}

function headerEdits(m: any): HeaderEdits {
  const pairs = (xs: any[] | undefined) => (xs === undefined ? undefined
    : Object.fromEntries(xs.map((x) => [String(x.name).toLowerCase(), x.value])));
  const set = pairs(m.set);
  const add = pairs(m.add);
  return {
    ...(set === undefined ? {} : { set }),
    ...(add === undefined ? {} : { add }),
    ...(m.remove === undefined ? {} : { remove: (m.remove as string[]).map((n) => n.toLowerCase()) }),
  };
}

/** The matched prefix replaced element-wise (`/foo` -> `/xyz`: `/foo/bar` -> `/xyz/bar`, `/foo` -> `/xyz`). */
function replacePrefix(prefix: string, replacement: string, path: string): string {
  const rest = path.slice(prefix.replace(/\/+$/, '').length);
  let out = `${replacement.replace(/\/+$/, '')}${rest}`;
  if (out === '') out = '/';
  return out.startsWith('/') ? out : `/${out}`;
}

function answer(manifests: readonly Manifest[], c: Candidate, req: RouteRequest): RouteResult {
  const { route, rule, ruleIndex } = c;
  const field = `spec.rules[${ruleIndex}]`;
  const [path, query] = splitPath(req.path);
  const filters: any[] = rule.filters ?? [];
  let host = req.host;
  let newPath = req.path;
  let requestHeaders: HeaderEdits | undefined;
  let responseHeaders: HeaderEdits | undefined;
  const mirrors: string[] = [];
  const prefix = c.match.path?.type === undefined || c.match.path.type === 'PathPrefix' ? (c.match.path?.value ?? '/') : undefined;
  for (const [k, f] of filters.entries()) {
    const ff = `${field}.filters[${k}]`;
    switch (f.type) {
      case 'RequestHeaderModifier': requestHeaders = headerEdits(f.requestHeaderModifier); break;
      case 'ResponseHeaderModifier': responseHeaders = headerEdits(f.responseHeaderModifier); break;
      case 'RequestMirror': mirrors.push(backendKey(manifests, route, `${ff}.requestMirror.backendRef.port`, f.requestMirror.backendRef.name,
        f.requestMirror.backendRef.namespace ?? route.metadata?.namespace, f.requestMirror.backendRef.port)); break;
      case 'RequestRedirect': {
        const r = f.requestRedirect;
        const scheme = r.scheme ?? req.scheme;
        const p = r.path;
        let to = req.path;
        if (p?.type === 'ReplaceFullPath') to = `${p.replaceFullPath}${query}`;
        if (p?.type === 'ReplacePrefixMatch') {
          if (prefix === undefined) throw unread(route, `${ff}.requestRedirect.path`, 'ReplacePrefixMatch on a match that is not a PathPrefix');
          to = `${replacePrefix(prefix, p.replacePrefixMatch, path)}${query}`;
        }
        const port = r.port ?? (r.scheme === undefined ? req.port : undefined);
        return { kind: 'redirect', dataPlane: 'gateway-api', status: r.statusCode ?? 302, location: urlOf(scheme, r.hostname ?? req.host, port, to) };
      }
      case 'URLRewrite': {
        const r = f.urlRewrite;
        if (r.hostname !== undefined) host = r.hostname;
        if (r.path?.type === 'ReplaceFullPath') newPath = `${r.path.replaceFullPath}${query}`;
        if (r.path?.type === 'ReplacePrefixMatch') {
          if (prefix === undefined) throw unread(route, `${ff}.urlRewrite.path`, 'ReplacePrefixMatch on a match that is not a PathPrefix');
          newPath = `${replacePrefix(prefix, r.path.replacePrefixMatch, path)}${query}`;
        }
        break;
      }
      default:
        if (!POLICY_FILTERS.has(f.type)) throw unread(route, `${ff}.type`, `the filter ${f.type} is not one the model reads`);
    }
  }
  const refs: any[] = rule.backendRefs ?? [];
  for (const [k, ref] of refs.entries()) {
    if ((ref.kind ?? 'Service') !== 'Service' || (ref.group ?? '') !== '') {
      throw unread(route, `${field}.backendRefs[${k}].kind`, `a ${ref.kind} backend: the model routes to Services only`);
    }
    if ((ref.filters ?? []).length > 0) throw unread(route, `${field}.backendRefs[${k}].filters`, 'filters of one backend: the model does not read them');
  }
  const backends = shares(refs.map((ref, k) => [backendKey(manifests, route, `${field}.backendRefs[${k}].port`, ref.name,
    ref.namespace ?? route.metadata?.namespace, ref.port), ref.weight ?? 1] as const));
  // The spec: a rule with no backend (or only weight 0) answers 500.
  if (Object.keys(backends).length === 0) return { kind: 'respond', dataPlane: 'gateway-api', status: 500, reason: 'no backend' };
  const timeout = rule.timeouts?.request;
  const result: Forwarded = {
    kind: 'forward',
    dataPlane: 'gateway-api',
    backend: largest(backends),
    backends,
    host,
    path: newPath,
    ...(timeout === undefined ? {} : { timeout }),
    ...(requestHeaders === undefined ? {} : { requestHeaders }),
    ...(responseHeaders === undefined ? {} : { responseHeaders }),
    ...(mirrors.length === 0 ? {} : { mirrors }),
  };
  return result;
}
