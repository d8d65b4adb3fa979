/**
 * The Istio reader: a VirtualService bound to a Gateway is one exposure (its hosts, its `http`
 * entries as routes in the declaration's precedence, the DestinationRules of its Services as
 * subsets and policies, a RequestAuthentication of the gateway workload as `Auth.jwt`) on
 * `ExposureStrategy.istio({ gateway })`. Mesh-only VirtualServices are not exposures.
 */
import { arr, bool, Expr, lib, num, obj, str } from './code';
import { DestinationContext, DestinationRuleOf, destinationPolicies, notAServiceReason, serviceOfHost } from './istio-destinations';
import { readIstioGateway } from './istio-gateway';
import { IstioRouteDraft, readHttpEntry } from './istio-http';
import { ManifestReader } from './manifest-reader';
import { describe, firstMatchToPrecedence, namespaceOf, routeExpr, unknownFields, withoutNulls } from './mesh-values';
import { ImportedExposure, ImportResult, Loss, SourceDocument } from './model';

/** The kinds the Istio reader reads; the importer reports other kinds as not read. */
export const ISTIO_KINDS = ['Gateway', 'VirtualService', 'DestinationRule', 'RequestAuthentication'];

/** The Istio reader, as the importer registers it (`readers.ts`). */
export const istioReader: ManifestReader = {
  name: 'Istio',
  kinds: [
    ...['Gateway', 'VirtualService', 'DestinationRule'].map((kind) => ({ group: 'networking.istio.io', kind })),
    { group: 'security.istio.io', kind: 'RequestAuthentication' },
  ],
  // Services give a destination without a port its only port.
  consults: [{ group: '', kind: 'Service' }],
  read: (_mine, all) => readIstio(all),
};

const isIstio = (d: Readonly<Record<string, any>>): boolean =>
  typeof d.apiVersion === 'string' && /^(networking|security)\.istio\.io\//.test(d.apiVersion);

/** Whether a manifest is for the Istio reader. */
export function isIstioManifest(d: Readonly<Record<string, any>>): boolean {
  return isIstio(d);
}

/** Reads the Istio manifests of the input (the others, e.g. Services, only to resolve ports). */
export function readIstio(raw: readonly SourceDocument[]): ImportResult {
  const input = raw.map((d) => ({ ...d, manifest: withoutNulls(d.manifest) }));
  const documents = input.map((d) => d.manifest);
  const fileOf = new Map(input.map((d) => [d.manifest, d.file]));
  const losses: Loss[] = [];
  const exposures: ImportedExposure[] = [];
  const rules: DestinationRuleOf[] = documents
    .filter((d) => isIstio(d) && d.kind === 'DestinationRule')
    .flatMap((d) => {
      const service = serviceOfHost(d.spec?.host, namespaceOf(d));
      if (service === undefined) {
        losses.push({ source: describe(d), field: 'spec.host', kind: 'unsupported', reason: notAServiceReason(d.spec?.host) });
        return [];
      }
      return [{ manifest: d, service, source: describe(d) }];
    });
  const usedRules = new Set<DestinationRuleOf>();
  const usedGateways = new Set<string>();
  const usedAuth = new Set<Readonly<Record<string, any>>>();
  for (const vs of documents.filter((d) => isIstio(d) && d.kind === 'VirtualService')) {
    const source = describe(vs);
    const gateways: string[] = Array.isArray(vs.spec?.gateways) ? vs.spec.gateways.map(String) : [];
    const bound = gateways.filter((g) => g !== 'mesh');
    if (bound.length === 0) {
      losses.push({ source, field: 'spec.gateways', kind: 'not-portable', reason: 'bound to the mesh only (no gateway): routing between workloads, not an exposure' });
      continue;
    }
    const read = readVirtualService(vs, bound, gateways.includes('mesh'), documents, rules, usedAuth, (m) => `${describe(m)} (${fileOf.get(m) ?? ''})`);
    read.usedRules.forEach((r) => usedRules.add(r));
    bound.forEach((g) => usedGateways.add(g.includes('/') ? g : `${namespaceOf(vs)}/${g}`));
    if (read.exposure !== undefined) exposures.push(read.exposure);
    else losses.push(...read.losses, { source, field: 'spec.http', kind: 'unsupported', reason: 'no route could be declared: not imported' });
  }
  for (const gw of documents.filter((d) => isIstio(d) && d.kind === 'Gateway')) {
    if (!usedGateways.has(`${namespaceOf(gw)}/${gw.metadata?.name}`)) {
      losses.push({ source: describe(gw), field: 'spec', kind: 'unsupported', reason: 'no VirtualService of the input binds to it' });
    }
  }
  for (const rule of rules) {
    if (!usedRules.has(rule)) losses.push({ source: rule.source, field: 'spec', kind: 'unsupported', reason: 'no imported exposure routes to its host' });
  }
  for (const ra of documents.filter((d) => isIstio(d) && d.kind === 'RequestAuthentication')) {
    if (!usedAuth.has(ra)) losses.push({ source: describe(ra), field: 'spec', kind: 'unsupported', reason: 'it selects no gateway workload of an imported exposure' });
  }
  return { exposures, losses, errors: [] };
}

function readVirtualService(vs: Readonly<Record<string, any>>, bound: readonly string[], toMesh: boolean,
  documents: readonly Readonly<Record<string, any>>[],
  rules: readonly DestinationRuleOf[], usedAuth: Set<Readonly<Record<string, any>>>, sourceOf: (m: Readonly<Record<string, any>>) => string):
  { exposure?: ImportedExposure; usedRules: Set<DestinationRuleOf>; losses: Loss[] } {
  const source = describe(vs);
  const namespace = namespaceOf(vs);
  const losses: Loss[] = unknownFields(vs.spec, ['hosts', 'gateways', 'http', 'tcp', 'tls'], source, 'spec');
  for (const kind of ['tcp', 'tls'].filter((k) => vs.spec?.[k] !== undefined)) {
    losses.push({ source, field: `spec.${kind}`, kind: 'unsupported', reason: `the ${kind} routes of a VirtualService are not read by the importer` });
  }
  for (const extra of bound.slice(1)) {
    losses.push({ source, field: 'spec.gateways', kind: 'unsupported', reason: `bound to ${extra} too: the declaration binds to one Gateway (${bound[0]} is kept)` });
  }
  const hostList: string[] = Array.isArray(vs.spec?.hosts) ? vs.spec.hosts.map(String) : [];
  const hosts = hostList.filter((h) => h !== '*');
  const gateway = readIstioGateway(bound[0], namespace, documents, hostList.includes('*') ? [] : hosts);
  losses.push(...gateway.losses);
  const ctx: DestinationContext = { documents, rules, namespace, source, used: new Set() };

  const drafts: IstioRouteDraft[] = [];
  (Array.isArray(vs.spec?.http) ? vs.spec.http : []).forEach((entry: any, i: number) => {
    const read = readHttpEntry(entry, `spec.http[${i}]`, ctx);
    losses.push(...read.losses);
    drafts.push(...read.routes);
  });
  const ordered = firstMatchToPrecedence(drafts, source, true);
  losses.push(...ordered.losses);

  const policies = destinationPolicies([...ctx.used]);
  losses.push(...policies.losses);
  losses.push(...exposureWidePolicyLosses(ordered.routes as IstioRouteDraft[], [...ctx.used], policies));
  const routes = (ordered.routes as IstioRouteDraft[]).map((r) => {
    const affinities = [...new Set(r.services.map((s) => policies.affinity.get(`${s.namespace}/${s.name}`)).filter((a): a is Expr => a !== undefined))];
    return routeExpr({ ...r, props: { ...r.props, affinity: affinities[0] } });
  });

  const auth = readJwt(documents, gateway.namespace, gateway.selector, usedAuth);
  losses.push(...auth.losses);
  const trafficPolicy = obj({
    loadBalancer: policies.loadBalancer === undefined ? undefined : str(policies.loadBalancer),
    connectionPool: policies.maxRequestsPerConnection === undefined ? undefined
      : obj({ maxRequestsPerConnection: num(policies.maxRequestsPerConnection) }),
  });
  const strategy = lib('ExposureStrategy.istio', obj({
    gateway: gateway.gateway,
    bindToMesh: toMesh ? bool(true) : undefined,
    apiVersion: vs.apiVersion === 'networking.istio.io/v1beta1' ? str('v1beta1') : undefined,
    trafficPolicy: trafficPolicy.kind === 'object' && trafficPolicy.entries.length > 0 ? trafficPolicy : undefined,
  }));
  if (routes.length === 0) return { usedRules: ctx.used, losses };
  return {
    exposure: {
      id: String(vs.metadata?.name),
      namespace,
      sources: [vs, ...(gateway.manifest ? [gateway.manifest] : []), ...[...ctx.used].map((r) => r.manifest), ...auth.used].map(sourceOf),
      props: obj({
        hosts: hosts.length > 0 && !hostList.includes('*') ? arr(hosts.map(str)) : undefined,
        tls: gateway.tls,
        circuitBreaker: policies.circuitBreaker,
        auth: auth.expr,
        routes: arr(routes),
      }),
      sourceStrategy: strategy,
      losses,
    },
    usedRules: ctx.used,
    losses,
  };
}

/**
 * The circuit breaker is the exposure's and the load balancer the strategy's: both apply to every
 * backend Service, also to those whose DestinationRule (if any) did not set them.
 */
function exposureWidePolicyLosses(routes: readonly IstioRouteDraft[], rules: readonly DestinationRuleOf[],
  policies: ReturnType<typeof destinationPolicies>): Loss[] {
  if (policies.circuitBreaker === undefined && policies.loadBalancer === undefined && policies.maxRequestsPerConnection === undefined) return [];
  const withPolicy = rules.filter((r) => ['loadBalancer', 'connectionPool', 'outlierDetection']
    .some((k) => r.manifest.spec?.trafficPolicy?.[k] !== undefined && (k !== 'loadBalancer' || r.manifest.spec.trafficPolicy.loadBalancer.simple !== undefined)));
  const covered = new Set(withPolicy.map((r) => `${r.service.namespace}/${r.service.name}`));
  const others = [...new Set(routes.flatMap((r) => r.services.map((s) => `${s.namespace}/${s.name}`)))].filter((s) => !covered.has(s));
  return others.length === 0 ? [] : withPolicy.map((r) => ({
    source: r.source,
    field: 'spec.trafficPolicy',
    kind: 'unsupported' as const,
    reason: `the declaration's circuit breaker and the istio strategy's trafficPolicy apply to every backend of the exposure: ${others.join(', ')} get them too`,
  }));
}

/**
 * A RequestAuthentication of the gateway workload (in the Gateway's namespace, selecting a subset
 * of its labels) as `Auth.jwt`, one JWT rule. The declaration's JWT is required: a
 * RequestAuthentication alone lets requests without a token through.
 */
function readJwt(documents: readonly Readonly<Record<string, any>>[], namespace: string, selector: Readonly<Record<string, string>> | undefined,
  used: Set<Readonly<Record<string, any>>>): { expr?: Expr; losses: Loss[]; used: Readonly<Record<string, any>>[] } {
  const none = { losses: [], used: [] };
  if (selector === undefined) return none;
  const found = documents.filter((d) => isIstio(d) && d.kind === 'RequestAuthentication' && namespaceOf(d) === namespace
    && Object.entries(d.spec?.selector?.matchLabels ?? {}).every(([k, v]) => selector[k] === v));
  if (found.length === 0) return none;
  const losses: Loss[] = [];
  const ra = found[0];
  used.add(ra);
  const source = describe(ra);
  for (const other of found.slice(1)) {
    used.add(other);
    losses.push({ source: describe(other), field: 'spec', kind: 'unsupported', reason: `the declaration verifies one JWT issuer: ${source} is kept` });
  }
  losses.push(...unknownFields(ra.spec, ['selector', 'jwtRules'], source, 'spec'));
  const rules: any[] = Array.isArray(ra.spec?.jwtRules) ? ra.spec.jwtRules : [];
  rules.slice(1).forEach((_, i) => losses.push({ source, field: `spec.jwtRules[${i + 1}]`, kind: 'unsupported', reason: 'the declaration verifies one JWT issuer' }));
  const rule = rules[0];
  if (rule === undefined) return { losses, used: found };
  losses.push(...unknownFields(rule, ['issuer', 'jwksUri', 'jwks_uri', 'audiences'], source, 'spec.jwtRules[0]'));
  // Istio reads the proto's JSON name and its field name alike (the istio strategy writes jwks_uri).
  const jwksUri = rule.jwksUri ?? rule.jwks_uri;
  if (typeof rule.issuer !== 'string' || typeof jwksUri !== 'string') {
    losses.push({ source, field: 'spec.jwtRules[0]', kind: 'unsupported', reason: 'Auth.jwt needs the issuer and jwksUri' });
    return { losses, used: found };
  }
  losses.push({
    source,
    field: 'spec',
    kind: 'unsupported',
    reason: 'a RequestAuthentication alone lets requests without a token through; Auth.jwt refuses them (the istio strategy adds the AuthorizationPolicy)',
  });
  return {
    expr: lib('Auth.jwt', obj({
      issuer: str(rule.issuer),
      jwksUri: str(jwksUri),
      audiences: Array.isArray(rule.audiences) ? arr(rule.audiences.map((a: unknown) => str(String(a)))) : undefined,
    })),
    losses,
    used: found,
  };
}
