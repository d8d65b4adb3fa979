/**
 * One VirtualService `http` entry as declaration routes: a route per `match` alternative (Istio
 * ORs them), each with the entry's action (destinations or redirect) and policies.
 */
import { arr, bool, Expr, num, obj, str } from './code';
import { backendOfDestination, DestinationContext, ServiceName } from './istio-destinations';
import { DraftValueMatch, durationExpr, durationMs, headerEditsExpr, RouteDraft, unknownFields } from './mesh-values';
import { Loss } from './model';

const METHODS = ['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE'];
const RETRY_ON = ['5xx', 'gateway-error', 'connect-failure', 'reset', 'retriable-4xx'];
const ENTRY_FIELDS = ['name', 'match', 'route', 'redirect', 'rewrite', 'timeout', 'retries', 'fault', 'mirror', 'mirrorPercentage', 'mirrors', 'corsPolicy', 'headers'];

/** A route drafted from an `http` entry, with the Services it forwards to (for their DestinationRule's affinity). */
export interface IstioRouteDraft extends RouteDraft {
  readonly services: readonly ServiceName[];
}

/** An `http` entry as drafts (none when it cannot be declared) and what it loses. */
export function readHttpEntry(entry: any, field: string, ctx: DestinationContext): { routes: IstioRouteDraft[]; losses: Loss[] } {
  const src = ctx.source;
  const losses: Loss[] = unknownFields(entry, ENTRY_FIELDS, src, field);
  if (entry?.name !== undefined) {
    losses.push({ source: src, field: `${field}.name`, kind: 'unsupported', reason: 'the declaration names routes after their match' });
  }
  const services: ServiceName[] = [];
  const props: Record<string, Expr | undefined> = {};
  if (entry?.route !== undefined && entry?.redirect !== undefined) {
    losses.push({ source: src, field: `${field}.redirect`, kind: 'invalid', reason: 'an entry has a route or a redirect, not both (Istio refuses it); the route is kept' });
  }
  if (Array.isArray(entry?.route)) {
    const backends: { backend: Expr; weight?: number }[] = [];
    entry.route.forEach((d: any, i: number) => {
      losses.push(...unknownFields(d, ['destination', 'weight', 'headers'], src, `${field}.route[${i}]`));
      if (d?.headers !== undefined) losses.push({ source: src, field: `${field}.route[${i}].headers`, kind: 'unsupported', reason: 'header edits per destination: the declaration edits headers per route' });
      const read = backendOfDestination(d?.destination, `${field}.route[${i}].destination`, ctx);
      losses.push(...read.losses);
      if (read.backend === undefined) return;
      services.push(read.service!);
      backends.push({ backend: read.backend, weight: typeof d?.weight === 'number' ? d.weight : undefined });
    });
    if (backends.length === 0) {
      losses.push({ source: src, field, kind: 'unsupported', reason: 'no destination could be declared: the entry is not carried over' });
      return { routes: [], losses };
    }
    if (backends.length === 1 && (backends[0].weight === undefined || backends[0].weight === 100)) props.backend = backends[0].backend;
    else props.backends = arr(backends.map((b) => obj({ backend: b.backend, weight: num(b.weight ?? 0) })));
  } else if (entry?.redirect !== undefined) {
    const r = entry.redirect;
    losses.push(...unknownFields(r, ['uri', 'authority', 'port', 'scheme', 'redirectCode'], src, `${field}.redirect`));
    props.redirect = obj({
      scheme: r.scheme === 'http' || r.scheme === 'https' ? str(r.scheme) : undefined,
      host: typeof r.authority === 'string' ? str(r.authority) : undefined,
      port: typeof r.port === 'number' ? num(r.port) : undefined,
      path: typeof r.uri === 'string' ? str(r.uri) : undefined,
      statusCode: typeof r.redirectCode === 'number' ? num(r.redirectCode) : undefined,
    });
    if (r.scheme !== undefined && r.scheme !== 'http' && r.scheme !== 'https') {
      losses.push({ source: src, field: `${field}.redirect.scheme`, kind: 'unsupported', reason: `"${r.scheme}": a redirect's scheme is http or https` });
    }
  } else {
    losses.push({ source: src, field, kind: 'unsupported', reason: 'neither a route nor a redirect: the entry is not carried over' });
    return { routes: [], losses };
  }
  const policies = readPolicies(entry, field, ctx);
  losses.push(...policies.losses);
  Object.assign(props, policies.props);

  const matches: any[] = Array.isArray(entry?.match) && entry.match.length > 0 ? entry.match : [undefined];
  const routes: IstioRouteDraft[] = [];
  matches.forEach((m, i) => {
    const mField = entry?.match === undefined ? field : `${field}.match[${i}]`;
    const read = readMatch(m, mField, src);
    losses.push(...read.losses);
    if (read.draft === undefined) return;
    const draft = { ...read.draft, field: mField, props, services };
    routes.push(draft);
    // Without a uri condition Istio matches the prefix "/" (Envoy's prefix_rewrite replaces it too).
    const prefix = m?.uri === undefined ? '/' : m.uri.prefix;
    const rewrite = entry?.rewrite?.uri;
    if (typeof rewrite === 'string' && prefix === '/' && !rewrite.endsWith('/')) {
      losses.push({
        source: src,
        field: `${field}.rewrite.uri`,
        kind: 'unsupported',
        reason: `Istio replaces the prefix "/" as a string ("/x" goes to "${rewrite}x"); the declaration replaces a prefix by path element, `
          + `so the paths it rewrites differ ("${rewrite}x" and "${rewrite}/x")`,
      });
    }
    if (entry?.rewrite?.uri !== undefined && typeof prefix === 'string' && prefix !== '/') {
      losses.push({
        source: src,
        field: `${field}.rewrite.uri`,
        kind: 'unsupported',
        reason: `Istio replaces the prefix "${prefix}" as a string; the declaration replaces a prefix by path element, `
          + `so the paths it rewrites differ ("${prefix.replace(/\/$/, '')}x" and "${prefix.replace(/\/$/, '')}/x")`,
      });
    }
  });
  return { routes, losses };
}

/** A `match` alternative as a draft's match; a condition the declaration cannot hold drops the alternative (it would match more). */
function readMatch(m: any, field: string, source: string): { draft?: Omit<IstioRouteDraft, 'props' | 'services' | 'field'>; losses: Loss[] } {
  if (m === undefined) return { draft: { headers: [], queryParams: [] }, losses: [] };
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    return { losses: [{ source, field, kind: 'invalid', reason: 'not a match; this match alternative is not carried over' }] };
  }
  const refuse = (f: string, reason: string): { losses: Loss[] } => ({
    losses: [{ source, field: `${field}.${f}`, kind: 'unsupported', reason: `${reason}; this match alternative is not carried over (it would match more)` }],
  });
  const known = ['uri', 'headers', 'queryParams', 'method', 'name'];
  const other = Object.keys(m ?? {}).find((k) => !known.includes(k));
  if (other !== undefined) return refuse(other, 'the declaration matches on path, headers, query parameters and method only');
  let path: RouteDraft['path'];
  if (m.uri !== undefined) {
    const s = stringMatch(m.uri);
    if (s === undefined) return refuse('uri', 'not one of exact, prefix, regex');
    // Istio's prefix is a string prefix, and so is the istio strategy's rendering, except that the
    // declaration drops a trailing "/": "/api/" (which does not match /api) is kept as the regex it means.
    path = s.kind === 'prefix' && s.value.length > 1 && s.value.endsWith('/') ? { kind: 'regex', value: `${escapeRegex(s.value)}.*` } : s;
  }
  const headers: DraftValueMatch[] = [];
  for (const [name, value] of Object.entries(m.headers ?? {})) {
    const s = stringMatch(value);
    if (s === undefined) return refuse(`headers.${name}`, 'not one of exact, prefix, regex');
    headers.push({ name, ...s });
  }
  const queryParams: DraftValueMatch[] = [];
  for (const [name, value] of Object.entries(m.queryParams ?? {})) {
    const s = stringMatch(value);
    if (s === undefined || s.kind === 'prefix') return refuse(`queryParams.${name}`, 'a query parameter matches exactly or by regex');
    queryParams.push({ name, ...s });
  }
  let method: string | undefined;
  if (m.method !== undefined) {
    const s = stringMatch(m.method);
    if (s?.kind !== 'exact' || !METHODS.includes(s.value)) return refuse('method', `the declaration matches one method of ${METHODS.join(', ')}`);
    method = s.value;
  }
  const losses: Loss[] = m.name === undefined ? [] : [{ source, field: `${field}.name`, kind: 'unsupported', reason: 'the declaration names routes after their match' }];
  return { draft: { path, headers, queryParams, method }, losses };
}

function stringMatch(v: any): { kind: 'exact' | 'prefix' | 'regex'; value: string } | undefined {
  if (typeof v !== 'object' || v === null || Object.keys(v).length !== 1) return undefined;
  const [kind, value] = Object.entries(v)[0];
  return (kind === 'exact' || kind === 'prefix' || kind === 'regex') && typeof value === 'string' ? { kind, value } : undefined;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The entry's rewrite, timeout, retries, fault, mirror, CORS and header edits as RouteProps. */
function readPolicies(entry: any, field: string, ctx: DestinationContext): { props: Record<string, Expr | undefined>; losses: Loss[] } {
  const src = ctx.source;
  const losses: Loss[] = [];
  const props: Record<string, Expr | undefined> = {};
  const duration = (f: string, value: unknown): Expr | undefined => {
    if (value === undefined) return undefined;
    const ms = durationMs(value);
    if (ms === undefined) losses.push({ source: src, field: `${field}.${f}`, kind: 'invalid', reason: `"${String(value)}" is not a duration` });
    return ms === undefined ? undefined : durationExpr(ms);
  };
  if (entry.rewrite !== undefined) {
    losses.push(...unknownFields(entry.rewrite, ['uri', 'authority'], src, `${field}.rewrite`));
    props.rewrite = obj({
      path: typeof entry.rewrite.uri === 'string' ? str(entry.rewrite.uri) : undefined,
      host: typeof entry.rewrite.authority === 'string' ? str(entry.rewrite.authority) : undefined,
    });
  }
  props.timeout = duration('timeout', entry.timeout);
  if (entry.retries !== undefined) {
    const r = entry.retries;
    losses.push(...unknownFields(r, ['attempts', 'perTryTimeout', 'retryOn'], src, `${field}.retries`));
    const on = typeof r.retryOn === 'string' ? r.retryOn.split(',').map((s: string) => s.trim()).filter((s: string) => s !== '') : [];
    const unknown = on.filter((s: string) => !RETRY_ON.includes(s));
    if (unknown.length > 0) {
      losses.push({ source: src, field: `${field}.retries.retryOn`, kind: 'unsupported', reason: `${unknown.join(', ')}: the declaration retries on ${RETRY_ON.join(', ')}` });
    }
    const kept = on.filter((s: string) => RETRY_ON.includes(s));
    props.retries = obj({
      attempts: num(typeof r.attempts === 'number' ? r.attempts : 0),
      perTryTimeout: duration('retries.perTryTimeout', r.perTryTimeout),
      retryOn: kept.length > 0 ? arr(kept.map(str)) : undefined,
    });
  }
  if (entry.fault !== undefined) {
    const f = entry.fault;
    losses.push(...unknownFields(f, ['abort', 'delay'], src, `${field}.fault`));
    losses.push(...unknownFields(f.abort, ['httpStatus', 'percentage'], src, `${field}.fault.abort`));
    losses.push(...unknownFields(f.delay, ['fixedDelay', 'percentage'], src, `${field}.fault.delay`));
    // Istio faults every request when no percentage is given.
    const percent = (p: any) => num(typeof p?.value === 'number' ? p.value : 100);
    const delay = duration('fault.delay.fixedDelay', f.delay?.fixedDelay);
    props.fault = obj({
      abort: typeof f.abort?.httpStatus === 'number' ? obj({ httpStatus: num(f.abort.httpStatus), percentage: percent(f.abort.percentage) }) : undefined,
      delay: delay === undefined ? undefined : obj({ fixedDelay: delay, percentage: percent(f.delay.percentage) }),
    });
  }
  const mirrors: { destination: any; percentage?: number; field: string }[] = [];
  if (entry.mirror !== undefined) mirrors.push({ destination: entry.mirror, percentage: entry.mirrorPercentage?.value, field: `${field}.mirror` });
  (Array.isArray(entry.mirrors) ? entry.mirrors : []).forEach((m: any, i: number) => {
    losses.push(...unknownFields(m, ['destination', 'percentage'], src, `${field}.mirrors[${i}]`));
    mirrors.push({ destination: m?.destination, percentage: m?.percentage?.value, field: `${field}.mirrors[${i}]` });
  });
  mirrors.forEach((m, i) => {
    if (i > 0) {
      losses.push({ source: src, field: m.field, kind: 'unsupported', reason: 'the declaration mirrors to one backend per route' });
      return;
    }
    const read = backendOfDestination(m.destination, m.field.endsWith('.mirror') ? m.field : `${m.field}.destination`, ctx);
    losses.push(...read.losses);
    if (read.backend !== undefined) props.mirror = obj({ backend: read.backend, percentage: typeof m.percentage === 'number' ? num(m.percentage) : undefined });
  });
  if (entry.corsPolicy !== undefined) {
    const c = entry.corsPolicy;
    losses.push(...unknownFields(c, ['allowOrigins', 'allowMethods', 'allowHeaders', 'exposeHeaders', 'allowCredentials', 'maxAge'], src, `${field}.corsPolicy`));
    const origins: Expr[] = [];
    (Array.isArray(c.allowOrigins) ? c.allowOrigins : []).forEach((o: any, i: number) => {
      const s = stringMatch(o);
      if (s?.kind === 'exact') origins.push(str(s.value));
      else if (s?.kind === 'regex' && s.value === '.*') origins.push(str('*'));
      else losses.push({ source: src, field: `${field}.corsPolicy.allowOrigins[${i}]`, kind: 'unsupported', reason: 'an allowed origin is exact or any (regex ".*")' });
    });
    const anyOrigin = origins.some((o) => o.kind === 'string' && o.value === '*');
    if (anyOrigin && c.allowCredentials === true) {
      // Envoy answers any origin with credentials (it echoes the Origin); the declaration allows credentials for listed origins only.
      losses.push({
        source: src,
        field: `${field}.corsPolicy.allowCredentials`,
        kind: 'unsupported',
        reason: 'true with any origin (regex ".*"): the declaration allows credentials for listed origins only (browsers refuse them with origin "*"); read as false',
      });
    }
    const strings = (v: unknown) => (Array.isArray(v) ? arr(v.map((x) => str(String(x)))) : undefined);
    const methods = Array.isArray(c.allowMethods) ? c.allowMethods.filter((x: unknown) => METHODS.includes(String(x))) : undefined;
    if (Array.isArray(c.allowMethods) && methods.length !== c.allowMethods.length) {
      losses.push({ source: src, field: `${field}.corsPolicy.allowMethods`, kind: 'unsupported', reason: `the declaration allows methods of ${METHODS.join(', ')}` });
    }
    props.cors = obj({
      allowOrigins: arr(origins),
      allowMethods: strings(methods),
      allowHeaders: strings(c.allowHeaders),
      exposeHeaders: strings(c.exposeHeaders),
      allowCredentials: typeof c.allowCredentials === 'boolean' ? bool(c.allowCredentials && !anyOrigin) : undefined,
      maxAge: duration('corsPolicy.maxAge', c.maxAge),
    });
  }
  if (entry.headers !== undefined) {
    losses.push(...unknownFields(entry.headers, ['request', 'response'], src, `${field}.headers`));
    props.requestHeaders = headerEdits(entry.headers.request, `${field}.headers.request`, src, losses);
    props.responseHeaders = headerEdits(entry.headers.response, `${field}.headers.response`, src, losses);
  }
  return { props, losses };
}

function headerEdits(e: any, field: string, source: string, losses: Loss[]): Expr | undefined {
  if (e === undefined) return undefined;
  losses.push(...unknownFields(e, ['set', 'add', 'remove'], source, field));
  const record = (r: unknown, f: string) => (typeof r === 'object' && r !== null
    ? Object.entries(r).map(([name, value]) => ({ name, value, field: `${field}.${f}.${name}` })) : undefined);
  const remove = Array.isArray(e.remove) ? e.remove.map((name: unknown, i: number) => ({ name, field: `${field}.remove[${i}]` })) : undefined;
  return headerEditsExpr({ set: record(e.set, 'set'), add: record(e.add, 'add'), remove }, source, losses);
}
