/**
 * ingress-nginx canary Ingresses (`canary: "true"`), merged into the routes of the main Ingress
 * with the same host and path. The controller picks the canary by header (`always`, `never`, or
 * the header's value or pattern), then by cookie (`always`, `never`), then by weight
 * (canary-weight of canary-weight-total, 100 by default): header and cookie become routes matched
 * on the header (the cookie on the Cookie header), the weight a split of the route's backends.
 */
import { Expr, lib, str } from './code';
import { HostGroup, ParsedIngress, RouteDraft, ServicePort } from './ingress-model';
import { NGINX_PREFIX, NginxReading } from './ingress-nginx-annotations';
import { escapeRegex } from './ingress-paths';
import { objectName, sourceName } from './manifest-reader';
import { Loss } from './model';
import { headerNameProblem, regexProblem } from '../core/validators';

export type { RouteDraft };

interface GroupDraft {
  readonly group: HostGroup;
  routes: RouteDraft[];
  readonly reading?: NginxReading;
  readonly losses: Loss[];
}

const CANARY_ANNOTATIONS = new Set(['canary', 'canary-by-header', 'canary-by-header-value', 'canary-by-header-pattern', 'canary-by-cookie', 'canary-weight', 'canary-weight-total']);

/** Merges each canary into the drafts of its main Ingress; returns the losses not tied to one exposure. */
export function mergeCanaries(canaries: readonly ParsedIngress[], mains: readonly ParsedIngress[], drafts: Map<ParsedIngress, GroupDraft[]>): Loss[] {
  const losses: Loss[] = [];
  for (const canary of canaries) {
    const source = objectName(canary.document.manifest);
    const a = (name: string) => canary.annotations[NGINX_PREFIX + name];
    const lose = (field: string, reason: string, kind: Loss['kind'] = 'unsupported') => losses.push({ source, field, reason, kind });
    const options = readCanary(a, (name, reason) => lose(NGINX_PREFIX + name, reason, 'invalid'));
    let merged = false;
    for (const group of canary.groups) {
      for (const path of group.paths) {
        const targets = mains.filter((m) => m.namespace === canary.namespace)
          .flatMap((m) => (drafts.get(m) ?? []).filter((g) => sameHost(g.group, group)));
        const open = (r: RouteDraft) => r.path.path === path.path && r.headers === undefined && r.canarySource === undefined;
        const found = targets.filter((g) => g.routes.some(open));
        if (found.length === 0) {
          lose(`${path.field}.path`, `no main Ingress in namespace ${canary.namespace} routes ${JSON.stringify(path.path)} for ${hostText(group)}: the canary takes no request`);
          continue;
        }
        merged = true;
        for (const g of found) {
          g.routes = g.routes.flatMap((r) => (open(r) ? split(r, path.backend, options, sourceName(canary.document)) : [r]));
          g.losses.push(...matchedCanaryLosses(source, options, g.losses));
        }
      }
    }
    // The controller takes everything else of a canary from its main Ingress.
    if (merged) {
      for (const key of Object.keys(canary.annotations)) {
        const name = key.slice(NGINX_PREFIX.length);
        if (key.startsWith(NGINX_PREFIX) && !CANARY_ANNOTATIONS.has(name)) {
          lose(key, 'a canary Ingress takes this from its main Ingress: ignored by the controller', 'invalid');
        }
      }
    }
    losses.push(...canary.losses.filter((l) => l.field !== 'spec.ingressClassName'));
  }
  return losses;
}

/**
 * The header- and cookie-matched routes are the canary's meaning and are kept, but the source's own
 * strategy (ingress-nginx) renders weighted canaries only: said next to the exposure, once.
 */
function matchedCanaryLosses(source: string, o: CanaryOptions, already: readonly Loss[]): Loss[] {
  const out: Loss[] = [];
  const others = 'istio, gatewayApi, apiGateway (nginx), apiGateway (kong) render it';
  if (o.header !== undefined) {
    out.push({
      source,
      field: `${NGINX_PREFIX}canary-by-header`,
      kind: 'unsupported',
      reason: `the routes matched on header ${JSON.stringify(o.header.name)} are kept, `
      + `but the ingress-nginx strategy cannot render a header-matched canary: ${others}`,
    });
  }
  if (o.cookie !== undefined) {
    out.push({
      source,
      field: `${NGINX_PREFIX}canary-by-cookie`,
      kind: 'unsupported',
      reason: `the routes matched on cookie ${JSON.stringify(o.cookie)} are kept, `
      + `but the ingress-nginx strategy cannot render a cookie-matched canary: ${others}`,
    });
  }
  return out.filter((l) => !already.some((a) => a.source === l.source && a.field === l.field));
}

interface CanaryOptions {
  readonly header?: { readonly name: string; readonly value?: string; readonly pattern?: string };
  readonly cookie?: string;
  readonly weight: number;
  readonly total: number;
}

function readCanary(a: (name: string) => string | undefined, invalid: (name: string, reason: string) => void): CanaryOptions {
  let header = a('canary-by-header');
  const headerProblem = header === undefined ? undefined : headerNameProblem(header);
  if (headerProblem !== undefined) {
    invalid('canary-by-header', `${headerProblem}: no route is matched on it`);
    header = undefined;
  }
  const value = a('canary-by-header-value');
  const pattern = a('canary-by-header-pattern');
  if (header === undefined && headerProblem === undefined && value !== undefined) invalid('canary-by-header-value', 'without canary-by-header it does nothing');
  if (header === undefined && headerProblem === undefined && pattern !== undefined) invalid('canary-by-header-pattern', 'without canary-by-header it does nothing');
  if (value !== undefined && pattern !== undefined) invalid('canary-by-header-pattern', 'canary-by-header-value takes precedence');
  const weightText = a('canary-weight') ?? '0';
  const totalText = a('canary-weight-total') ?? '100';
  let weight = Number(weightText);
  let total = Number(totalText);
  if (!/^[0-9]+$/.test(totalText) || total < 1) {
    invalid('canary-weight-total', `${JSON.stringify(totalText)} is not a whole total (100 is read)`);
    total = 100;
  }
  if (!/^[0-9]+$/.test(weightText)) {
    invalid('canary-weight', `${JSON.stringify(weightText)} is not a whole weight (0 is read)`);
    weight = 0;
  }
  return {
    header: header !== undefined ? { name: header, value, pattern: value === undefined ? pattern : undefined } : undefined,
    cookie: a('canary-by-cookie'),
    weight: Math.min(weight, total),
    total,
  };
}

/** The routes of one path with its canary: header routes, cookie routes, then the weighted route. */
function split(route: RouteDraft, canary: ServicePort, o: CanaryOptions, canarySource: string): RouteDraft[] {
  const main = route.backends;
  const toCanary = (headers: Expr[]): RouteDraft => ({ ...route, headers, backends: [{ backend: canary }], canarySource });
  const toMain = (headers: Expr[]): RouteDraft => ({ ...route, headers, backends: main, canarySource });
  const out: RouteDraft[] = [];
  const laterCanary = o.cookie !== undefined || o.weight > 0;
  if (o.header !== undefined) {
    const h = o.header;
    if (h.value !== undefined) {out.push(toCanary([lib('HeaderMatch.exact', str(h.name), str(h.value))]));} else if (h.pattern !== undefined && regexProblem(`.*(?:${h.pattern}).*`) === undefined) {out.push(toCanary([lib('HeaderMatch.regex', str(h.name), str(`.*(?:${h.pattern}).*`))]));} else {
      out.push(toCanary([lib('HeaderMatch.exact', str(h.name), str('always'))]));
      if (laterCanary) out.push(toMain([lib('HeaderMatch.exact', str(h.name), str('never'))]));
    }
  }
  if (o.cookie !== undefined) {
    const cookie = (value: string) => lib('HeaderMatch.regex', str('cookie'), str(`(?:.*;\\s*)?${escapeRegex(o.cookie!)}=${value}(?:;.*)?`));
    out.push(toCanary([cookie('always')]));
    if (o.weight > 0) out.push(toMain([cookie('never')]));
  }
  if (o.weight >= o.total) {out.push({ ...route, backends: [{ backend: canary }], canarySource });} else if (o.weight > 0) {
    if (main.length !== 1) throw new Error('internal: a canary split of a route already split');
    out.push({ ...route, backends: [{ backend: main[0].backend, weight: o.total - o.weight }, { backend: canary, weight: o.weight }], canarySource });
  } else {out.push(route);}
  return out;
}

function sameHost(a: HostGroup, b: HostGroup): boolean {
  return (a.hosts.length === 0 && b.hosts.length === 0) || a.hosts.some((h) => b.hosts.includes(h));
}

function hostText(group: HostGroup): string {
  return group.hosts.length === 0 ? 'every host' : group.hosts.join(', ');
}
