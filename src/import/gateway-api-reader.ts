/**
 * The Gateway API reader: an HTTPRoute or GRPCRoute attached to a Gateway is one exposure (its
 * hostnames, its rules as routes, which the declaration orders by the same precedence) on
 * `ExposureStrategy.gatewayApi(...)`: a Gateway of the same class when the strategy would create
 * the same listeners, else a reference to the existing Gateway.
 */
import { arr, bool, Expr, lib, obj, str } from './code';
import { ENVOY_GATEWAY_IMPLEMENTATION, isEnvoyGatewayManifest, policiesOfRoute } from './envoy-gateway-policies';
import { BackendContext } from './gateway-api-backends';
import { readRule } from './gateway-api-rules';
import { ManifestReader } from './manifest-reader';
import { bySpecificity, describe, namespaceOf, provablyDisjoint, RouteDraft, routeExpr, unknownFields, withoutNulls } from './mesh-values';
import { ImportedExposure, ImportResult, Loss, SourceDocument } from './model';

/** The kinds the Gateway API reader reads; the importer reports other kinds as not read. */
export const GATEWAY_API_KINDS = ['Gateway', 'GatewayClass', 'HTTPRoute', 'GRPCRoute', 'ReferenceGrant'];

/** The Gateway API reader (with Envoy Gateway's policies of the routes), as the importer registers it (`readers.ts`). */
export const gatewayApiReader: ManifestReader = {
  name: 'Gateway API',
  kinds: [
    ...GATEWAY_API_KINDS.map((kind) => ({ group: 'gateway.networking.k8s.io', kind })),
    ...['BackendTrafficPolicy', 'SecurityPolicy'].map((kind) => ({ group: 'gateway.envoyproxy.io', kind })),
  ],
  read: (_mine, all) => readGatewayApi(all),
};

/** Whether a manifest is for the Gateway API reader. */
export function isGatewayApiManifest(d: Readonly<Record<string, any>>): boolean {
  return typeof d.apiVersion === 'string' && d.apiVersion.startsWith('gateway.networking.k8s.io/');
}

type Manifest = Readonly<Record<string, any>>;

/** Reads the Gateway API manifests of the input. */
export function readGatewayApi(raw: readonly SourceDocument[]): ImportResult {
  const input = raw.map((d) => ({ ...d, manifest: withoutNulls(d.manifest) }));
  const documents = input.map((d) => d.manifest);
  const fileOf = new Map(input.map((d) => [d.manifest, d.file]));
  const losses: Loss[] = [];
  const exposures: ImportedExposure[] = [];
  const usedGrants = new Set<Manifest>();
  const usedGateways = new Set<string>();
  const usedPolicies = new Set<Manifest>();
  for (const d of documents.filter(isGatewayApiManifest)) {
    if (d.kind === 'GatewayClass') {
      losses.push({ source: `GatewayClass ${d.metadata?.name}`, field: 'spec', kind: 'not-portable', reason: 'a GatewayClass is the cluster\'s, not an exposure\'s: keep applying it' });
    }
  }
  for (const route of documents.filter((d) => isGatewayApiManifest(d) && (d.kind === 'HTTPRoute' || d.kind === 'GRPCRoute'))) {
    const read = readRoute(route, documents, usedGrants, usedPolicies, (m) => `${describe(m)} (${fileOf.get(m) ?? ''})`);
    read.gateways.forEach((g) => usedGateways.add(g));
    if (read.exposure !== undefined) exposures.push(read.exposure);
    else losses.push(...read.losses);
  }
  for (const gw of documents.filter((d) => isGatewayApiManifest(d) && d.kind === 'Gateway')) {
    if (!usedGateways.has(`${namespaceOf(gw)}/${gw.metadata?.name}`)) {
      losses.push({ source: describe(gw), field: 'spec', kind: 'unsupported', reason: 'no route of the input attaches to it' });
    }
  }
  for (const policy of documents.filter((d) => isEnvoyGatewayManifest(d) && (d.kind === 'BackendTrafficPolicy' || d.kind === 'SecurityPolicy'))) {
    if (!usedPolicies.has(policy)) losses.push({ source: describe(policy), field: 'spec.targetRefs', kind: 'unsupported', reason: 'it targets no imported route' });
  }
  for (const grant of documents.filter((d) => isGatewayApiManifest(d) && d.kind === 'ReferenceGrant')) {
    if (!usedGrants.has(grant)) losses.push({ source: describe(grant), field: 'spec', kind: 'unsupported', reason: 'it allows no reference of an imported route' });
  }
  return { exposures, losses, errors: [] };
}

function readRoute(route: Manifest, documents: readonly Manifest[], usedGrants: Set<Manifest>, usedPolicies: Set<Manifest>,
  sourceOf: (m: Manifest) => string):
  { exposure?: ImportedExposure; losses: Loss[]; gateways: string[] } {
  const source = describe(route);
  const namespace = namespaceOf(route);
  const grpc = route.kind === 'GRPCRoute';
  const losses: Loss[] = unknownFields(route.spec, ['parentRefs', 'hostnames', 'rules'], source, 'spec');
  const parents: any[] = (Array.isArray(route.spec?.parentRefs) ? route.spec.parentRefs : []).filter((p: unknown) => typeof p === 'object' && p !== null);
  const gatewayRefs = parents.filter((p) => (p?.group ?? 'gateway.networking.k8s.io') === 'gateway.networking.k8s.io' && (p?.kind ?? 'Gateway') === 'Gateway');
  const gateways = gatewayRefs.map((p) => `${p.namespace ?? namespace}/${p.name}`);
  if (parents.length > 0 && gatewayRefs.length === 0) {
    return { losses: [{ source, field: 'spec.parentRefs', kind: 'not-portable', reason: 'attached to a Service (the mesh), not a Gateway: routing between workloads, not an exposure' }], gateways };
  }
  parents.filter((p) => !gatewayRefs.includes(p)).forEach((p) => losses.push({
    source, field: `spec.parentRefs[${parents.indexOf(p)}]`, kind: 'unsupported', reason: `attached to the ${p?.kind} ${p?.name} too: the declaration attaches to one Gateway`,
  }));
  gatewayRefs.slice(1).forEach((p) => losses.push({
    source, field: `spec.parentRefs[${parents.indexOf(p)}]`, kind: 'unsupported', reason: `attached to Gateway ${gateways[gatewayRefs.indexOf(p)]} too: the declaration attaches to one Gateway (${gateways[0]} is kept)`,
  }));
  const hostnames: string[] = Array.isArray(route.spec?.hostnames) ? route.spec.hostnames.map(String) : [];

  const grants = new Set<Manifest>();
  const ctx: BackendContext = { documents, namespace, routeKind: route.kind, source, usedGrants: grants };
  const drafts: RouteDraft[] = [];
  let experimental = false;
  (Array.isArray(route.spec?.rules) ? route.spec.rules : []).forEach((rule: any, i: number) => {
    const read = readRule(rule, `spec.rules[${i}]`, ctx, grpc);
    losses.push(...read.losses);
    drafts.push(...read.routes);
    if (rule?.retry !== undefined) experimental = true;
  });
  const reached = withoutDuplicates(drafts, source, losses);
  drafts.splice(0, drafts.length, ...reached);
  losses.push(...precedenceLosses(drafts, source));
  grants.forEach((g) => usedGrants.add(g));
  const policies = policiesOfRoute(documents, route, usedPolicies);
  losses.push(...policies.losses);
  const rules: any[] = Array.isArray(route.spec?.rules) ? route.spec.rules : [];
  for (const name of policies.byRule.keys()) {
    if (!rules.some((r) => r?.name === name)) {
      losses.push({ source, field: 'spec.rules', kind: 'invalid', reason: `a policy targets the rule "${name}", which the route does not have` });
    }
  }
  const withPolicies = drafts.map((d) => {
    const name = rules[Number(/^spec\.rules\[(\d+)\]/.exec(d.field)?.[1])]?.name;
    return { ...d, props: { ...d.props, ...policies.whole, ...(name === undefined ? {} : policies.byRule.get(String(name))) } };
  });
  if (drafts.length === 0) {
    return { losses: [...losses, { source, field: 'spec.rules', kind: 'unsupported', reason: 'no route could be declared: not imported' }], gateways };
  }
  if (gatewayRefs.length === 0) {
    return {
      losses: [...losses, {
        source,
        field: 'spec.parentRefs',
        kind: 'invalid',
        reason: 'attached to no Gateway: it routes nothing, so it is not imported; give it the parentRef of its Gateway',
      }],
      gateways,
    };
  }
  const strategy = strategyOf(gatewayRefs[0], namespace, hostnames, documents, experimental, policies.any);
  losses.push(...strategy.losses);
  return {
    exposure: {
      id: String(route.metadata?.name),
      namespace,
      sources: [route, ...(strategy.gateway ? [strategy.gateway] : []), ...grants, ...policies.policies].map(sourceOf),
      props: obj({ hosts: hostnames.length > 0 ? arr(hostnames.map(str)) : undefined, routes: arr(withPolicies.map(routeExpr)) }),
      sourceStrategy: strategy.expr,
      losses,
    },
    losses,
    gateways,
  };
}

/** The match of a draft as a key: equal keys take the same requests. */
function matchKey(d: RouteDraft): string {
  const path = d.path ?? { kind: 'prefix', value: '/' };
  const value = path.kind === 'prefix' && path.value.length > 1 ? path.value.replace(/\/+$/, '') : path.value;
  const values = (list: RouteDraft['headers'], lower: boolean) => list.map((h) => `${lower ? h.name.toLowerCase() : h.name}\n${h.kind}\n${h.value}`).sort();
  return JSON.stringify([path.kind, value, d.method ?? '', values(d.headers, true), values(d.queryParams, false)]);
}

/**
 * Routes whose match an earlier route of the same object has: Gateway API breaks the tie by rule
 * order, so they are never reached (and the declaration refuses two routes with one match).
 */
function withoutDuplicates(drafts: readonly RouteDraft[], source: string, losses: Loss[]): RouteDraft[] {
  const first = new Map<string, RouteDraft>();
  return drafts.filter((d) => {
    const earlier = first.get(matchKey(d));
    if (earlier === undefined) {
      first.set(matchKey(d), d);
      return true;
    }
    losses.push({ source, field: d.field, kind: 'unsupported', reason: `never reached: ${earlier.field} has the same match and comes first; not carried over` });
    return false;
  });
}

/**
 * Gateway API's precedence is the declaration's (exact, longest prefix, method, headers, query
 * parameters; then rule order) except for regular expressions, whose place is left to each
 * implementation: a regex that can match the same request as another route may be tried in another order.
 */
function precedenceLosses(drafts: readonly RouteDraft[], source: string): Loss[] {
  const ordered = bySpecificity(drafts);
  return ordered.filter((r) => r.path?.kind === 'regex').flatMap((r) => {
    const other = ordered.find((o) => o !== r && o.path?.kind !== 'regex' && !provablyDisjoint(o, r, false));
    return other === undefined ? [] : [{
      source,
      field: r.field,
      kind: 'not-portable' as const,
      reason: `Gateway API leaves the precedence of a regular expression to the implementation; the declaration tries it before ${other.field}'s prefix`,
    }];
  });
}

/** The strategy of the source Gateway: created alike from its class, or referenced as it is. */
function strategyOf(parent: any, routeNamespace: string, hostnames: readonly string[], documents: readonly Manifest[], experimental: boolean,
  envoyGateway: boolean):
  { expr: Expr; losses: Loss[]; gateway?: Manifest } {
  const namespace = String(parent.namespace ?? routeNamespace);
  const name = String(parent.name);
  const gateway = documents.find((d) => isGatewayApiManifest(d) && d.kind === 'Gateway' && namespaceOf(d) === namespace && d.metadata?.name === name);
  const reference = obj({
    name: str(name),
    namespace: str(namespace),
    sectionName: typeof parent.sectionName === 'string' ? str(parent.sectionName) : undefined,
  });
  const options = (entries: Record<string, Expr | undefined>) => lib('ExposureStrategy.gatewayApi', obj({
    ...entries,
    experimental: experimental ? bool(true) : undefined,
    implementation: envoyGateway ? ENVOY_GATEWAY_IMPLEMENTATION : undefined,
  }));
  if (gateway === undefined) return { expr: options({ gateway: reference }), losses: [] };
  const source = describe(gateway);
  const listeners: any[] = Array.isArray(gateway.spec?.listeners) ? gateway.spec.listeners : [];
  const covered = (l: any) => l.hostname === undefined
    || (hostnames.length > 0 && hostnames.every((h) => h === l.hostname || (String(l.hostname).startsWith('*.') && h.endsWith(String(l.hostname).slice(1)))));
  const why = [
    ...unknownFields(gateway.spec, ['gatewayClassName', 'listeners'], source, 'spec').map((l) => `${l.field} is set`),
    ...(typeof gateway.spec?.gatewayClassName === 'string' ? [] : ['it has no gatewayClassName']),
    ...(namespace === routeNamespace ? [] : ['it is in another namespace than the route']),
    ...(parent.port !== undefined ? ['the route attaches by port'] : []),
    ...(listeners.every((l) => l?.protocol === 'HTTP' && l?.port === 80) ? [] : ['it has listeners other than HTTP on port 80']),
    // allowedRoutes from the Same namespace is Gateway API's default and the created Gateway's.
    ...(listeners.every((l) => unknownFields(l, ['name', 'protocol', 'port', 'hostname', 'allowedRoutes'], source, '').length === 0
      && (l.allowedRoutes === undefined || JSON.stringify(l.allowedRoutes) === '{"namespaces":{"from":"Same"}}'))
      ? [] : ['its listeners set more than hostname, port and protocol']),
    ...(listeners.every(covered) ? [] : ['its listeners\' hostnames are not the route\'s']),
  ];
  if (why.length > 0) {
    return {
      expr: options({ gateway: reference }),
      gateway,
      losses: [{
        source,
        field: 'spec',
        kind: 'not-portable',
        reason: `not what gatewayApi({ gatewayClassName }) makes (${why.join('; ')}): the exposure attaches to it as an existing Gateway, so keep applying it; `
          + 'other strategies do not get its listeners',
      }],
    };
  }
  return { expr: options({ gatewayClassName: str(String(gateway.spec.gatewayClassName)) }), gateway, losses: [] };
}
