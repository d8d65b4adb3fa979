/**
 * HTTPRoute and GRPCRoute rules as declaration routes: a route per `matches` entry (Gateway API
 * ORs them), each with the rule's backends or redirect, filters and timeouts.
 */
import { arr, bool, Expr, num, obj, str } from './code';
import { BackendContext, backendOfRef } from './gateway-api-backends';
import { DraftValueMatch, durationExpr, durationMs, headerEditsExpr, RouteDraft, unknownFields } from './mesh-values';
import { Loss } from './model';

const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
const REDIRECT_CODES = [301, 302, 303, 307, 308];

/** A rule as drafts (none when it cannot be declared) and what it loses. */
export function readRule(rule: any, field: string, ctx: BackendContext, grpc: boolean): { routes: RouteDraft[]; losses: Loss[] } {
  const src = ctx.source;
  const losses: Loss[] = unknownFields(rule, ['name', 'matches', 'filters', 'backendRefs', ...(grpc ? [] : ['timeouts', 'retry'])], src, field);
  if (rule?.name !== undefined) losses.push({ source: src, field: `${field}.name`, kind: 'unsupported', reason: 'the declaration names routes after their match' });
  const props: Record<string, Expr | undefined> = grpc ? { protocol: str('grpc') } : {};
  const filters = readFilters(rule?.filters, `${field}.filters`, ctx);
  losses.push(...filters.losses);
  Object.assign(props, filters.props);

  const refs: any[] = Array.isArray(rule?.backendRefs) ? rule.backendRefs : [];
  const backends: { backend: Expr; weight: number }[] = [];
  refs.forEach((ref, i) => {
    const f = `${field}.backendRefs[${i}]`;
    if (ref?.filters !== undefined) losses.push({ source: src, field: `${f}.filters`, kind: 'unsupported', reason: 'filters per backend: the declaration filters per route' });
    const read = backendOfRef(ref, f, ctx, ['group', 'kind', 'name', 'namespace', 'port', 'weight', 'filters']);
    losses.push(...read.losses);
    if (read.backend !== undefined) backends.push({ backend: read.backend, weight: typeof ref.weight === 'number' ? ref.weight : 1 });
  });
  if (props.redirect !== undefined && refs.length > 0) {
    losses.push({ source: src, field: `${field}.backendRefs`, kind: 'invalid', reason: 'a redirect answers the request: its backends are never used' });
  } else if (props.redirect === undefined) {
    if (backends.length === 0) {
      losses.push({ source: src, field, kind: 'unsupported', reason: 'no backend could be declared: the rule is not carried over' });
      return { routes: [], losses };
    }
    if (backends.length === 1 && backends[0].weight > 0) props.backend = backends[0].backend;
    else props.backends = arr(backends.map((b) => obj({ backend: b.backend, weight: num(b.weight) })));
  }
  if (rule?.timeouts !== undefined) {
    losses.push(...unknownFields(rule.timeouts, ['request', 'backendRequest'], src, `${field}.timeouts`));
    const ms = durationMs(rule.timeouts.request);
    if (rule.timeouts.request !== undefined && ms === undefined) losses.push({ source: src, field: `${field}.timeouts.request`, kind: 'invalid', reason: `"${rule.timeouts.request}" is not a duration` });
    if (ms !== undefined && ms > 0) props.timeout = durationExpr(ms);
    if (ms === 0) losses.push({ source: src, field: `${field}.timeouts.request`, kind: 'unsupported', reason: '0s turns the timeout off; the declaration has no unlimited timeout' });
  }
  if (rule?.retry !== undefined) {
    const r = rule.retry;
    losses.push(...unknownFields(r, ['attempts', 'codes', 'backoff'], src, `${field}.retry`));
    if (r.codes !== undefined) losses.push({ source: src, field: `${field}.retry.codes`, kind: 'unsupported', reason: 'the declaration retries on kinds of failure (retryOn), not status codes' });
    if (r.backoff !== undefined) losses.push({ source: src, field: `${field}.retry.backoff`, kind: 'unsupported', reason: 'the declaration has no retry backoff' });
    const perTry = durationMs(rule.timeouts?.backendRequest);
    props.retries = obj({ attempts: num(typeof r.attempts === 'number' ? r.attempts : 1), perTryTimeout: perTry === undefined ? undefined : durationExpr(perTry) });
  } else if (rule?.timeouts?.backendRequest !== undefined) {
    losses.push({ source: src, field: `${field}.timeouts.backendRequest`, kind: 'unsupported', reason: 'a per-try timeout without retries: the declaration has it with retries only' });
  }

  const matches: any[] = Array.isArray(rule?.matches) && rule.matches.length > 0 ? rule.matches : [undefined];
  const routes: RouteDraft[] = [];
  matches.forEach((m, i) => {
    const mField = rule?.matches === undefined ? field : `${field}.matches[${i}]`;
    const read = grpc ? readGrpcMatch(m, mField, src) : readHttpMatch(m, mField, src);
    losses.push(...read.losses);
    if (read.draft === undefined) return;
    const route: RouteDraft = { ...read.draft, field: mField, props };
    const rewrite = rule?.filters?.find?.((f: any) => f?.type === 'URLRewrite')?.urlRewrite?.path;
    const redirect = rule?.filters?.find?.((f: any) => f?.type === 'RequestRedirect')?.requestRedirect?.path;
    const pathMismatch = rewriteProblem(rewrite, route) ?? redirectProblem(redirect);
    if (pathMismatch !== undefined) {
      losses.push({ source: src, field: mField, kind: 'unsupported', reason: `${pathMismatch}; this match is not carried over` });
      return;
    }
    routes.push(route);
  });
  return { routes, losses };
}

/**
 * The declaration's rewrite path replaces the matched prefix of a prefix match and the whole path
 * of the others; its redirect path the whole path. A Gateway API path modifier that means otherwise
 * for this match cannot be declared.
 */
function rewriteProblem(modifier: any, route: RouteDraft): string | undefined {
  const prefix = (route.path?.kind ?? 'prefix') === 'prefix';
  if (modifier?.type === 'ReplaceFullPath' && prefix) return 'a URLRewrite ReplaceFullPath on a prefix match: the declaration replaces the matched prefix';
  if (modifier?.type === 'ReplacePrefixMatch' && !prefix) return 'a URLRewrite ReplacePrefixMatch needs a prefix match';
  return undefined;
}

function redirectProblem(modifier: any): string | undefined {
  return modifier?.type === 'ReplacePrefixMatch' ? 'a RequestRedirect ReplacePrefixMatch: the declaration\'s redirect replaces the whole path' : undefined;
}

function valueMatches(list: unknown, field: string, source: string, allowed: readonly string[]): { matches?: DraftValueMatch[]; losses: Loss[] } {
  const out: DraftValueMatch[] = [];
  for (const [i, h] of (Array.isArray(list) ? list : []).entries()) {
    const type = h?.type ?? 'Exact';
    if (!allowed.includes(type) || typeof h?.name !== 'string' || typeof h?.value !== 'string') {
      return { losses: [{ source, field: `${field}[${i}]`, kind: 'unsupported', reason: `a ${type} match of "${h?.name}" cannot be declared; this match is not carried over (it would match more)` }] };
    }
    out.push({ name: h.name, kind: type === 'Exact' ? 'exact' : 'regex', value: h.value });
  }
  return { matches: out, losses: [] };
}

function readHttpMatch(m: any, field: string, source: string): { draft?: Omit<RouteDraft, 'props' | 'field'>; losses: Loss[] } {
  if (m === undefined) return { draft: { headers: [], queryParams: [] }, losses: [] };
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return { losses: [{ source, field, kind: 'invalid', reason: 'not a match; it is not carried over' }] };
  const losses: Loss[] = unknownFields(m, ['path', 'headers', 'queryParams', 'method'], source, field);
  if (losses.length > 0) return { losses: losses.map((l) => ({ ...l, reason: `${l.reason}; this match is not carried over (it would match more)` })) };
  let path: RouteDraft['path'];
  if (m.path !== undefined) {
    const type = m.path.type ?? 'PathPrefix';
    const value = m.path.value ?? '/';
    const kind = type === 'Exact' ? 'exact' : type === 'PathPrefix' ? 'prefix' : type === 'RegularExpression' ? 'regex' : undefined;
    if (kind === undefined || typeof value !== 'string') return { losses: [{ source, field: `${field}.path`, kind: 'unsupported', reason: `a ${type} path cannot be declared; this match is not carried over` }] };
    path = kind === 'prefix' && value === '/' ? undefined : { kind, value };
  }
  const headers = valueMatches(m.headers, `${field}.headers`, source, ['Exact', 'RegularExpression']);
  const params = valueMatches(m.queryParams, `${field}.queryParams`, source, ['Exact', 'RegularExpression']);
  if (headers.matches === undefined || params.matches === undefined) return { losses: [...headers.losses, ...params.losses] };
  if (m.method !== undefined && !METHODS.includes(m.method)) {
    return { losses: [{ source, field: `${field}.method`, kind: 'unsupported', reason: `the declaration matches one method of ${METHODS.join(', ')}; this match is not carried over` }] };
  }
  return { draft: { path, headers: headers.matches, queryParams: params.matches, method: m.method }, losses: [] };
}

/** A GRPCRoute match: the service and method as the gRPC path (`/pkg.Service` prefix, `/pkg.Service/Method` exact). */
function readGrpcMatch(m: any, field: string, source: string): { draft?: Omit<RouteDraft, 'props' | 'field'>; losses: Loss[] } {
  if (m === undefined) return { draft: { headers: [], queryParams: [] }, losses: [] };
  if (typeof m !== 'object' || m === null || Array.isArray(m)) return { losses: [{ source, field, kind: 'invalid', reason: 'not a match; it is not carried over' }] };
  const losses: Loss[] = unknownFields(m, ['method', 'headers'], source, field);
  if (losses.length > 0) return { losses };
  const method = m.method;
  let path: RouteDraft['path'];
  if (method !== undefined) {
    if ((method.type ?? 'Exact') !== 'Exact' || (method.service === undefined && method.method !== undefined)) {
      return { losses: [{ source, field: `${field}.method`, kind: 'unsupported', reason: 'gRPC routes match a service, or a service and method, exactly; this match is not carried over' }] };
    }
    if (method.service !== undefined) path = method.method === undefined ? { kind: 'prefix', value: `/${method.service}` } : { kind: 'exact', value: `/${method.service}/${method.method}` };
  }
  const headers = valueMatches(m.headers, `${field}.headers`, source, ['Exact', 'RegularExpression']);
  if (headers.matches === undefined) return { losses: headers.losses };
  return { draft: { path, headers: headers.matches, queryParams: [] }, losses: [] };
}

function headerEdits(e: any, field: string, source: string, losses: Loss[]): Expr {
  losses.push(...unknownFields(e, ['set', 'add', 'remove'], source, field));
  const record = (list: unknown, f: string) => (Array.isArray(list)
    ? list.map((h: any, i: number) => ({ name: h?.name, value: h?.value, field: `${field}.${f}[${i}]` })) : undefined);
  const remove = Array.isArray(e?.remove) ? e.remove.map((name: unknown, i: number) => ({ name, field: `${field}.remove[${i}]` })) : undefined;
  return headerEditsExpr({ set: record(e?.set, 'set'), add: record(e?.add, 'add'), remove }, source, losses);
}

const FILTERS: Record<string, string> = {
  RequestHeaderModifier: 'requestHeaderModifier',
  ResponseHeaderModifier: 'responseHeaderModifier',
  RequestRedirect: 'requestRedirect',
  URLRewrite: 'urlRewrite',
  RequestMirror: 'requestMirror',
  CORS: 'cors',
};

/** A rule's filters as RouteProps. */
function readFilters(filters: unknown, field: string, ctx: BackendContext): { props: Record<string, Expr | undefined>; losses: Loss[] } {
  const src = ctx.source;
  const losses: Loss[] = [];
  const props: Record<string, Expr | undefined> = {};
  for (const [i, f] of (Array.isArray(filters) ? filters : []).entries()) {
    const ff = `${field}[${i}]`;
    const key = FILTERS[f?.type];
    if (key === undefined) {
      losses.push({ source: src, field: ff, kind: 'unsupported', reason: `the ${f?.type} filter cannot be declared` });
      continue;
    }
    losses.push(...unknownFields(f, ['type', key], src, ff));
    const v = f[key] ?? {};
    const vf = `${ff}.${key}`;
    switch (f.type) {
      case 'RequestHeaderModifier': props.requestHeaders = headerEdits(v, vf, src, losses); break;
      case 'ResponseHeaderModifier': props.responseHeaders = headerEdits(v, vf, src, losses); break;
      case 'RequestRedirect': {
        losses.push(...unknownFields(v, ['scheme', 'hostname', 'port', 'path', 'statusCode'], src, vf));
        const code = typeof v.statusCode === 'number' ? v.statusCode : 302;
        if (!REDIRECT_CODES.includes(code)) losses.push({ source: src, field: `${vf}.statusCode`, kind: 'unsupported', reason: `${code}: a redirect is one of ${REDIRECT_CODES.join(', ')}` });
        props.redirect = obj({
          scheme: v.scheme === 'http' || v.scheme === 'https' ? str(v.scheme) : undefined,
          host: typeof v.hostname === 'string' ? str(v.hostname) : undefined,
          port: typeof v.port === 'number' ? num(v.port) : undefined,
          path: pathOf(v.path, `${vf}.path`, src, losses),
          // Gateway API answers 302 by default, the declaration 301: always said.
          statusCode: num(REDIRECT_CODES.includes(code) ? code : 302),
        });
        break;
      }
      case 'URLRewrite':
        losses.push(...unknownFields(v, ['hostname', 'path'], src, vf));
        props.rewrite = obj({ host: typeof v.hostname === 'string' ? str(v.hostname) : undefined, path: pathOf(v.path, `${vf}.path`, src, losses) });
        break;
      case 'RequestMirror': {
        losses.push(...unknownFields(v, ['backendRef', 'percent', 'fraction'], src, vf));
        const read = backendOfRef(v.backendRef, `${vf}.backendRef`, ctx);
        losses.push(...read.losses);
        const percent = typeof v.percent === 'number' ? v.percent
          : typeof v.fraction?.numerator === 'number' ? (100 * v.fraction.numerator) / (v.fraction.denominator ?? 100) : undefined;
        if (props.mirror !== undefined) {
          losses.push({ source: src, field: ff, kind: 'unsupported', reason: 'the declaration mirrors to one backend per route' });
        } else if (read.backend !== undefined) {
          props.mirror = obj({ backend: read.backend, percentage: percent === undefined ? undefined : num(percent) });
        }
        break;
      }
      case 'CORS': {
        losses.push(...unknownFields(v, ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'allowCredentials', 'maxAge'], src, vf));
        const strings = (x: unknown) => (Array.isArray(x) ? arr(x.map((s) => str(String(s)))) : undefined);
        const methods = Array.isArray(v.allowMethods) ? v.allowMethods.filter((m: unknown) => METHODS.includes(String(m))) : undefined;
        if (Array.isArray(v.allowMethods) && methods.length !== v.allowMethods.length) {
          losses.push({ source: src, field: `${vf}.allowMethods`, kind: 'unsupported', reason: `the declaration allows methods of ${METHODS.join(', ')} ("*" is not one)` });
        }
        props.cors = obj({
          allowOrigins: strings(v.allowOrigins) ?? arr([]),
          allowMethods: methods === undefined || methods.length === 0 ? undefined : strings(methods),
          allowHeaders: strings(v.allowHeaders),
          exposeHeaders: strings(v.exposeHeaders),
          allowCredentials: typeof v.allowCredentials === 'boolean' ? bool(v.allowCredentials) : undefined,
          maxAge: typeof v.maxAge === 'number' ? durationExpr(v.maxAge * 1000) : undefined,
        });
        break;
      }
    }
  }
  return { props, losses };
}

/** A path modifier's new path (`replaceFullPath` or `replacePrefixMatch`). */
function pathOf(p: any, field: string, source: string, losses: Loss[]): Expr | undefined {
  if (p === undefined) return undefined;
  losses.push(...unknownFields(p, ['type', 'replaceFullPath', 'replacePrefixMatch'], source, field));
  const value = p.type === 'ReplaceFullPath' ? p.replaceFullPath : p.type === 'ReplacePrefixMatch' ? p.replacePrefixMatch : undefined;
  return typeof value === 'string' ? str(value) : undefined;
}
