/**
 * What the Istio and Gateway API readers share: a route drafted from a manifest (its match apart,
 * so the readers can compare precedence before writing it), durations, Service names.
 */
import { arr, cdk8s, Expr, lib, num, obj, str } from './code';
import { Loss } from './model';
import { headerNameProblem, headerValueProblem } from '../core/validators';

/** A path, header or query parameter condition of a drafted route. */
export interface DraftValueMatch {
  readonly name: string;
  readonly kind: 'exact' | 'prefix' | 'regex';
  readonly value: string;
}

/** A route read from a manifest: its match as data, everything else as the RouteProps expressions. */
export interface RouteDraft {
  /** Where it came from (`spec.http[0].match[1]`), for losses. */
  readonly field: string;
  readonly path?: { readonly kind: 'exact' | 'prefix' | 'regex'; readonly value: string };
  readonly headers: readonly DraftValueMatch[];
  readonly queryParams: readonly DraftValueMatch[];
  readonly method?: string;
  /** The other RouteProps (backend or backends, redirect, rewrite, policies). */
  readonly props: Readonly<Record<string, Expr | undefined>>;
}

/** The RouteProps expression of a draft. */
export function routeExpr(route: RouteDraft): Expr {
  const path = route.path && lib(`PathMatch.${route.path.kind}`, str(route.path.value));
  const headers = route.headers.map((h) => lib(`HeaderMatch.${h.kind}`, str(h.name), str(h.value)));
  const params = route.queryParams.map((q) => lib(`QueryParamMatch.${q.kind}`, str(q.name), str(q.value)));
  const match = path === undefined && headers.length === 0 && params.length === 0 && route.method === undefined ? undefined : obj({
    path,
    headers: headers.length > 0 ? arr(headers) : undefined,
    queryParams: params.length > 0 ? arr(params) : undefined,
    method: route.method === undefined ? undefined : str(route.method),
  });
  return obj({ match, ...route.props });
}

/**
 * The rank of a route in the declaration's precedence, the same as `orderBySpecificity` in
 * src/intent/precedence.ts (which the importer may not import; test/import/mesh-values.test.ts
 * checks they agree): exact paths, then regexes, then longer prefixes; then a method, more headers,
 * more query parameters; ties keep declaration order.
 */
export function specificityRank(r: RouteDraft): number[] {
  const p = r.path ?? { kind: 'prefix', value: '/' };
  const kind = p.kind === 'exact' ? 0 : p.kind === 'regex' ? 1 : 2;
  const value = p.kind === 'prefix' && p.value.length > 1 ? p.value.replace(/\/+$/, '') || '/' : p.value;
  return [kind, -value.length, r.method ? 0 : 1, -r.headers.length, -r.queryParams.length];
}

/** The drafts in the declaration's precedence order (stable). */
export function bySpecificity<T extends RouteDraft>(routes: readonly T[]): T[] {
  return [...routes].sort((a, b) => {
    const ra = specificityRank(a);
    const rb = specificityRank(b);
    for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i] - rb[i];
    return 0;
  });
}

/** Whether no request can match both paths (`prefix` as a string prefix when `stringPrefix`, else by path element). */
function pathsDisjoint(a: RouteDraft['path'], b: RouteDraft['path'], stringPrefix: boolean): boolean {
  const pa = a ?? { kind: 'prefix', value: '/' };
  const pb = b ?? { kind: 'prefix', value: '/' };
  if (pa.kind === 'regex' || pb.kind === 'regex') return false;
  const under = (prefix: string, path: string): boolean => {
    if (stringPrefix) return path.startsWith(prefix);
    const p = prefix.replace(/\/+$/, '');
    return p === '' || path === p || path.startsWith(`${p}/`);
  };
  if (pa.kind === 'exact' && pb.kind === 'exact') return pa.value !== pb.value;
  if (pa.kind === 'exact') return !under(pb.value, pa.value);
  if (pb.kind === 'exact') return !under(pa.value, pb.value);
  return !under(pa.value, pb.value) && !under(pb.value, pa.value);
}

/** Two exact conditions on the same name with different values exclude each other. */
function valuesDisjoint(a: readonly DraftValueMatch[], b: readonly DraftValueMatch[]): boolean {
  return a.some((x) => x.kind === 'exact' && b.some((y) => y.kind === 'exact' && y.name.toLowerCase() === x.name.toLowerCase() && y.value !== x.value));
}

/** Whether no request can match both routes, as far as can be told without solving regexes. */
export function provablyDisjoint(a: RouteDraft, b: RouteDraft, stringPrefix: boolean): boolean {
  return pathsDisjoint(a.path, b.path, stringPrefix)
    || (a.method !== undefined && b.method !== undefined && a.method !== b.method)
    || valuesDisjoint(a.headers, b.headers)
    || valuesDisjoint(a.queryParams, b.queryParams);
}

/** Whether every request `inner` matches, `outer` matches too (so a first-match data plane never reaches `inner` after `outer`). */
export function covers(outer: RouteDraft, inner: RouteDraft, stringPrefix: boolean): boolean {
  const po = outer.path ?? { kind: 'prefix', value: '/' };
  const pi = inner.path ?? { kind: 'prefix', value: '/' };
  const pathCovered = po.kind === 'prefix'
    ? pi.kind !== 'regex' && (stringPrefix ? pi.value.startsWith(po.value)
      : po.value.replace(/\/+$/, '') === '' || pi.value === po.value.replace(/\/+$/, '') || pi.value.startsWith(`${po.value.replace(/\/+$/, '')}/`))
    : po.kind === pi.kind && po.value === pi.value;
  const sub = (o: readonly DraftValueMatch[], i: readonly DraftValueMatch[]) =>
    o.every((x) => i.some((y) => y.name.toLowerCase() === x.name.toLowerCase() && y.kind === x.kind && y.value === x.value));
  return pathCovered && (outer.method === undefined || outer.method === inner.method)
    && sub(outer.headers, inner.headers) && sub(outer.queryParams, inner.queryParams);
}

/**
 * First-match routes (Istio's `http` list) as declaration routes, which the strategies order by
 * precedence: a route the precedence would move ahead of an earlier route that can match the same
 * request routes that request differently. When an earlier route covers it entirely it is never
 * reached and is left out; otherwise it is kept and the difference is a loss.
 */
export function firstMatchToPrecedence(routes: readonly RouteDraft[], source: string, stringPrefix: boolean):
{ routes: RouteDraft[]; losses: Loss[] } {
  const kept: RouteDraft[] = [];
  const losses: Loss[] = [];
  for (const route of routes) {
    const shadow = kept.find((earlier) => covers(earlier, route, stringPrefix));
    if (shadow !== undefined) {
      losses.push({ source, field: route.field, kind: 'unsupported', reason: `never reached: ${shadow.field} matches every request it matches first; not carried over` });
      continue;
    }
    kept.push(route);
  }
  const ordered = bySpecificity(kept);
  for (const [i, route] of kept.entries()) {
    // An earlier (first-match) route that the precedence puts after this one, and that can match the same request.
    const overtaken = kept.slice(0, i)
      .find((earlier) => ordered.indexOf(earlier) > ordered.indexOf(route) && !provablyDisjoint(earlier, route, stringPrefix));
    if (overtaken !== undefined) {
      losses.push({
        source,
        field: route.field,
        kind: 'unsupported',
        reason: `first match: ${overtaken.field} comes first, but the declaration's precedence (exact, regex, longer prefix, method, headers, `
          + 'query parameters) tries this route first; requests both match are routed differently',
      });
    }
  }
  return { routes: ordered, losses };
}

/** A duration (`5s`, `1.5s`, `100ms`, `1m`, `1h30m`) in milliseconds, or undefined if it is not one. */
export function durationMs(text: unknown): number | undefined {
  if (typeof text !== 'string' || !/^(\d+(\.\d+)?(h|m|s|ms))+$/.test(text)) return undefined;
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let ms = 0;
  for (const [, value, , u] of text.matchAll(/(\d+(\.\d+)?)(ms|h|m|s)/g)) ms += Number(value) * unit[u];
  return Number.isInteger(ms) ? ms : undefined;
}

/** `Duration.seconds(5)` when whole seconds (minutes, hours), else `Duration.millis(n)`. */
export function durationExpr(ms: number): Expr {
  if (ms % 3_600_000 === 0 && ms > 0) return cdk8s('Duration.hours', num(ms / 3_600_000));
  if (ms % 60_000 === 0 && ms > 0) return cdk8s('Duration.minutes', num(ms / 60_000));
  if (ms % 1000 === 0) return cdk8s('Duration.seconds', num(ms / 1000));
  return cdk8s('Duration.millis', num(ms));
}

/** The namespace of a manifest (`default` when it has none, as kubectl applies it). */
export function namespaceOf(manifest: Readonly<Record<string, any>>): string {
  const ns = manifest.metadata?.namespace;
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

/** `VirtualService shop/reviews`. */
export function describe(manifest: Readonly<Record<string, any>>): string {
  return `${manifest.kind} ${namespaceOf(manifest)}/${manifest.metadata?.name}`;
}

/** The keys of an object that are not in `known`: each is a loss, never guessed. */
export function unknownFields(value: unknown, known: readonly string[], source: string, field: string): Loss[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  return Object.keys(value).filter((k) => !known.includes(k)).map((k) => ({
    source, field: `${field}.${k}`, kind: 'unsupported' as const, reason: 'not read by the importer: the declaration has no such field',
  }));
}

/** The port of a Service of the input, by number or name, or its only port. */
export function servicePort(documents: readonly Readonly<Record<string, any>>[], namespace: string, name: string,
  port?: number | string): number | undefined {
  if (typeof port === 'number') return port;
  const service = documents.find((d) => d.kind === 'Service' && (d.apiVersion === 'v1') && namespaceOf(d) === namespace && d.metadata?.name === name);
  const ports: any[] = Array.isArray(service?.spec?.ports) ? service.spec.ports : [];
  const found = port === undefined ? (ports.length === 1 ? ports[0] : undefined) : ports.find((p) => p?.name === port);
  return typeof found?.port === 'number' ? found.port : undefined;
}

/**
 * A manifest without its `null` values: Kubernetes reads a null field as an unset one, and the
 * readers then need no null checks beyond `undefined`.
 */
export function withoutNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.filter((v) => v !== null).map(withoutNulls) as unknown as T;
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null).map(([k, v]) => [k, withoutNulls(v)])) as T;
}

/** An array value, or none. */
export const list = (v: unknown): any[] => (Array.isArray(v) ? v : []);

/** One header edit of the input, with the field it was read from. */
export interface HeaderEditInput {
  readonly name: unknown;
  readonly value?: unknown;
  readonly field: string;
}

/**
 * Header edits (set, add, remove) as the declaration holds them. A name or value the declaration
 * refuses is an 'invalid' loss and that edit is left out, so the output still synthesizes.
 */
export function headerEditsExpr(
  edits: { readonly set?: readonly HeaderEditInput[]; readonly add?: readonly HeaderEditInput[]; readonly remove?: readonly HeaderEditInput[] },
  source: string, losses: Loss[],
): Expr {
  const valid = (e: HeaderEditInput, withValue: boolean): boolean => {
    const name = String(e.name);
    const problem = headerNameProblem(name) ?? (withValue ? headerValueProblem(name, String(e.value)) : undefined);
    if (problem !== undefined) losses.push({ source, field: e.field, kind: 'invalid', reason: `${problem}: this header edit is not read` });
    return problem === undefined;
  };
  // A list whose every edit was refused is left out rather than written empty.
  const kept = (given: readonly HeaderEditInput[] | undefined, withValue: boolean) => {
    const ok = given?.filter((e) => valid(e, withValue));
    return ok === undefined || (ok.length === 0 && given!.length > 0) ? undefined : ok;
  };
  const record = (ok: readonly HeaderEditInput[] | undefined) => ok && obj(Object.fromEntries(ok.map((e) => [String(e.name), str(String(e.value))])));
  const set = record(kept(edits.set, true));
  const add = record(kept(edits.add, true));
  const removed = kept(edits.remove, false);
  return obj({ set, add, remove: removed && arr(removed.map((e) => str(String(e.name)))) });
}
