/**
 * Gateway API cross references: parentRefs -> a Gateway listener that accepts the route
 * (sectionName, port, hostname intersection, allowedRoutes namespaces); backendRefs, mirror and externalAuth
 * refs -> Service ports; a ReferenceGrant wherever a reference crosses namespaces; and a rule
 * that forwards nowhere; implementation policies (Envoy Gateway's) -> a route or Gateway of the output
 * in the policy's namespace, and the named rule or listener of it (`sectionName`); ExtensionRef filters -> an
 * object of that group, kind and name in the route's namespace; basic auth -> a
 * Secret with `.htpasswd` (Envoy Gateway) or of one key of htpasswd lines (Traefik) when the output declares it;
 * each Traefik Middleware referenced by a rule; NGINX Gateway Fabric's policies -> a route
 * or a Service of the output, its AuthenticationFilter's Secret of type `nginx.org/htpasswd` with
 * the key `auth`; Istio's AuthorizationPolicy and RequestAuthentication by targetRefs -> a Gateway of the
 * output or a declared existing one, in the policy's namespace. The CRDs' CEL rules are the schema check's (schema.ts, cel.ts).
 */
import { ExternalService, ns, serviceResolves } from './cross-references';
import { Manifest } from './schema';

const GATEWAY_API = 'gateway.networking.k8s.io/';

/** Hostname intersection (Gateway API: a listener without hostname accepts every route hostname). */
function intersects(listenerHost: string | undefined, routeHosts: string[]): boolean {
  if (listenerHost === undefined || routeHosts.length === 0) return true;
  return routeHosts.some((h) => h === listenerHost
    || (listenerHost.startsWith('*.') && h.endsWith(listenerHost.slice(1)))
    || (h.startsWith('*.') && listenerHost.endsWith(h.slice(1))));
}

function granted(grants: Manifest[], fromKind: string, fromNamespace: string, toKind: string, toName: string, toNamespace: string): boolean {
  return grants.some((g) => ns(g) === toNamespace
    && (g.spec.from ?? []).some((f: any) => f.kind === fromKind && f.namespace === fromNamespace && f.group === 'gateway.networking.k8s.io')
    && (g.spec.to ?? []).some((t: any) => t.kind === toKind && (t.group ?? '') === '' && (t.name === undefined || t.name === toName)));
}

export function gatewayApiReferenceProblems(manifests: readonly Manifest[], external: readonly ExternalService[],
  externalGateways: readonly string[]): string[] {
  const problems: string[] = [];
  const id = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
  const gateways = manifests.filter((m) => m.kind === 'Gateway' && m.apiVersion.startsWith(GATEWAY_API));
  const grants = manifests.filter((m) => m.kind === 'ReferenceGrant');

  for (const gw of gateways) {
    // Core support of client certificate validation: one ConfigMap (ca.crt), granted across namespaces.
    const validations = [gw.spec.tls?.frontend?.default?.validation, ...(gw.spec.tls?.frontend?.perPort ?? []).map((p: any) => p.tls?.validation)];
    for (const v of validations.filter((x: any) => x !== undefined)) {
      const refs = v.caCertificateRefs ?? [];
      if (refs.length !== 1) problems.push(`${id(gw)}: client validation with ${refs.length} CA references; core support is one ConfigMap`);
      for (const ref of refs) {
        if (ref.group !== '' || ref.kind !== 'ConfigMap') problems.push(`${id(gw)}: client CA ${ref.group}/${ref.kind} ${ref.name} is not a core ConfigMap`);
        const namespace = ref.namespace ?? ns(gw);
        if (namespace !== ns(gw) && !granted(grants, 'Gateway', ns(gw), 'ConfigMap', ref.name, namespace)) {
          problems.push(`${id(gw)}: client CA ConfigMap ${namespace}/${ref.name} without a ReferenceGrant`);
        }
        const declared = manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === ref.name && ns(m) === namespace);
        if (declared !== undefined && declared.data?.['ca.crt'] === undefined) problems.push(`${id(gw)}: client CA ConfigMap ${ref.name} has no ca.crt`);
      }
      if (!(gw.spec.listeners ?? []).some((l: any) => l.protocol === 'HTTPS')) problems.push(`${id(gw)}: client validation without an HTTPS listener`);
    }
    for (const l of gw.spec.listeners ?? []) {
      for (const ref of l.tls?.certificateRefs ?? []) {
        if (ref.namespace !== undefined && ref.namespace !== ns(gw) && !granted(grants, 'Gateway', ns(gw), 'Secret', ref.name, ref.namespace)) {
          problems.push(`${id(gw)}: listener ${l.name} uses Secret ${ref.namespace}/${ref.name} without a ReferenceGrant`);
        }
      }
    }
  }

  for (const route of manifests.filter((m) => ROUTE_KINDS.includes(m.kind) && m.apiVersion.startsWith(GATEWAY_API))) {
    const hosts: string[] = route.spec.hostnames ?? [];
    for (const parent of route.spec.parentRefs ?? []) {
      const gwNamespace = parent.namespace ?? ns(route);
      const gw = gateways.find((g) => g.metadata.name === parent.name && ns(g) === gwNamespace);
      if (gw === undefined) {
        if (!externalGateways.includes(`${gwNamespace}/${parent.name}`)) problems.push(`${id(route)}: parent Gateway ${gwNamespace}/${parent.name} is not in the output nor declared existing`);
        continue;
      }
      const accepting = (gw.spec.listeners ?? []).filter((l: any) =>
        (parent.sectionName === undefined || l.name === parent.sectionName)
        && (parent.port === undefined || l.port === parent.port)
        && intersects(l.hostname, hosts)
        && acceptsKind(l, route.kind)
        && allows(l, gw, route));
      if (accepting.length === 0) problems.push(`${id(route)}: no listener of Gateway ${parent.name}${parent.sectionName ? `/${parent.sectionName}` : ''} accepts the route`);
    }

    const checkRef = (where: string, ref: any) => {
      const namespace = ref.namespace ?? ns(route);
      if (!serviceResolves(manifests, external, ref.name, namespace, ref.port)) {
        problems.push(`${id(route)}: ${where} ${ref.name}:${ref.port} is no Service port in the output nor a declared external Service`);
      }
      if (namespace !== ns(route) && !granted(grants, route.kind, ns(route), 'Service', ref.name, namespace)) {
        problems.push(`${id(route)}: ${where} ${namespace}/${ref.name} has no ReferenceGrant`);
      }
    };
    (route.spec.rules ?? []).forEach((rule: any, i: number) => {
      const refs = rule.backendRefs ?? [];
      const filters = rule.filters ?? [];
      refs.forEach((r: any, j: number) => checkRef(`rules[${i}].backendRefs[${j}]`, r));
      filters.filter((f: any) => f.type === 'RequestMirror').forEach((f: any) => checkRef(`rules[${i}] mirror`, f.requestMirror.backendRef));
      filters.filter((f: any) => f.type === 'ExternalAuth').forEach((f: any) => checkRef(`rules[${i}] externalAuth`, f.externalAuth.backendRef));
      // An ExtensionRef names a filter object of the implementation's group in the route's namespace (local reference).
      for (const f of filters.filter((x: any) => x.type === 'ExtensionRef')) {
        const { group, kind, name } = f.extensionRef;
        const target = manifests.find((m) => m.kind === kind && m.apiVersion.split('/')[0] === group && m.metadata.name === name && ns(m) === ns(route));
        if (target === undefined) problems.push(`${id(route)}: rules[${i}] ExtensionRef ${group}/${kind} ${name} is not in the output`);
      }
      // Not a CEL rule (the API server accepts it): a rule that neither forwards nor redirects serves nothing.
      const redirects = filters.some((f: any) => f.type === 'RequestRedirect');
      if (!redirects && refs.length === 0) problems.push(`${id(route)}: rules[${i}] neither forwards nor redirects`);
    });
  }
  for (const policy of manifests.filter((m) => m.kind === 'BackendTLSPolicy' && m.apiVersion.startsWith(GATEWAY_API))) {
    // targetRefs are local: a Service of the policy's namespace, some port of it reached by a route.
    for (const ref of policy.spec.targetRefs ?? []) {
      const service = manifests.some((s) => s.kind === 'Service' && s.metadata.name === ref.name && ns(s) === ns(policy))
        || external.some((e) => e.name === ref.name && (e.namespace ?? '') === ns(policy));
      if (ref.kind !== 'Service' || (ref.group ?? '') !== '' || !service) {
        problems.push(`${id(policy)}: target ${ref.kind} ${ns(policy)}/${ref.name} is no Service in the output nor a declared external Service`);
      }
    }
    const v = policy.spec.validation ?? {};
    for (const ref of v.caCertificateRefs ?? []) {
      if (ref.kind !== 'ConfigMap' || ref.group !== '') problems.push(`${id(policy)}: caCertificateRefs ${ref.group}/${ref.kind} is no ConfigMap`);
    }
    if ((v.caCertificateRefs ?? []).length === 0 && v.wellKnownCACertificates !== 'System') {
      problems.push(`${id(policy)}: neither caCertificateRefs nor wellKnownCACertificates: System`);
    }
  }
  problems.push(...envoyGatewayPolicyProblems(manifests));
  problems.push(...nginxGatewayFabricProblems(manifests, external));
  problems.push(...traefikMiddlewareProblems(manifests));
  problems.push(...istioPolicyTargetProblems(manifests, externalGateways));
  return problems;
}

/**
 * Each Traefik Middleware of the output is referenced by some route rule of its namespace (an
 * ExtensionRef), and a basic auth Secret of the output is one Traefik reads: a
 * `kubernetes.io/basic-auth` Secret (username, password), or one data key of htpasswd lines.
 */
function traefikMiddlewareProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const routes = manifests.filter((m) => ROUTE_KINDS.includes(m.kind) && m.apiVersion.startsWith(GATEWAY_API));
  for (const middleware of manifests.filter((m) => m.kind === 'Middleware' && m.apiVersion.startsWith('traefik.io/'))) {
    const id = `Middleware/${middleware.metadata.name}`;
    const refersToIt = (f: any) => f.type === 'ExtensionRef' && f.extensionRef.group === 'traefik.io' && f.extensionRef.kind === 'Middleware'
      && f.extensionRef.name === middleware.metadata.name;
    const referenced = routes.some((route) => ns(route) === ns(middleware)
      && (route.spec.rules ?? []).some((rule: any) => (rule.filters ?? []).some(refersToIt)));
    if (!referenced) problems.push(`${id}: no route rule references it`);
    const secretName = middleware.spec.basicAuth?.secret;
    const secret = secretName === undefined ? undefined : manifests.find((m) => m.kind === 'Secret' && m.metadata.name === secretName && ns(m) === ns(middleware));
    if (secret === undefined) continue;
    const keys = [...Object.keys(secret.data ?? {}), ...Object.keys(secret.stringData ?? {})];
    if (secret.type === 'kubernetes.io/basic-auth') {
      if (!keys.includes('username') || !keys.includes('password')) problems.push(`${id}: basic auth Secret ${secretName} of type kubernetes.io/basic-auth without username and password`);
    } else if (keys.length !== 1) {
      problems.push(`${id}: basic auth Secret ${secretName} has ${keys.length} keys; Traefik reads htpasswd lines from its only key`);
    }
  }
  return problems;
}

/**
 * Istio's security policies that attach by `targetRefs` (Istio 1.22+): each target is a Gateway
 * API Gateway of the output or a declared existing one, in the policy's own namespace (Istio
 * attaches a Gateway's policies from its namespace only; the CRD refuses a `namespace` in the
 * reference), with no `selector` beside it.
 */
function istioPolicyTargetProblems(manifests: readonly Manifest[], externalGateways: readonly string[]): string[] {
  const problems: string[] = [];
  const policies = manifests.filter((m) => (m.kind === 'AuthorizationPolicy' || m.kind === 'RequestAuthentication')
    && m.apiVersion.startsWith('security.istio.io/') && m.spec?.targetRefs !== undefined);
  for (const policy of policies) {
    const id = `${policy.kind}/${policy.metadata.name}`;
    if (policy.spec.selector !== undefined) problems.push(`${id}: both targetRefs and selector`);
    for (const ref of policy.spec.targetRefs) {
      const where = `${ref.kind} ${ns(policy)}/${ref.name}`;
      if (ref.group !== 'gateway.networking.k8s.io' || ref.kind !== 'Gateway') {
        problems.push(`${id}: target ${ref.group}/${ref.kind} is not a Gateway API Gateway`);
        continue;
      }
      if (ref.namespace !== undefined) problems.push(`${id}: target ${where} names a namespace; Istio attaches from the Gateway's own`);
      const inOutput = manifests.some((m) => m.kind === 'Gateway' && m.apiVersion.startsWith(GATEWAY_API) && m.metadata.name === ref.name && ns(m) === ns(policy));
      if (!inOutput && !externalGateways.includes(`${ns(policy)}/${ref.name}`)) {
        problems.push(`${id}: target ${where} is no Gateway of the output nor a declared existing one in the policy's namespace`);
      }
    }
  }
  return problems;
}

const ENVOY_GATEWAY = 'gateway.envoyproxy.io/';

/**
 * Each Envoy Gateway policy's targetRefs resolve, in the policy's namespace, to a route (its rule
 * named `sectionName`) or a Gateway (its listener); at most one policy of a kind attaches to one
 * target; a basic auth Secret of the output has the key `.htpasswd`; an API key Secret of the
 * output is Opaque with a key per client id (the consumer's name) and a non-empty value (its key).
 */
function envoyGatewayPolicyProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const policies = manifests.filter((m) => m.apiVersion.startsWith(ENVOY_GATEWAY));
  const attached = new Set<string>();
  for (const policy of policies) {
    const id = `${policy.kind}/${policy.metadata.name}`;
    for (const ref of policy.spec.targetRefs ?? []) {
      const target = manifests.find((m) => m.kind === ref.kind && m.apiVersion.startsWith(ref.group + '/') && m.metadata.name === ref.name && ns(m) === ns(policy));
      const where = `${ref.kind} ${ns(policy)}/${ref.name}${ref.sectionName ? `/${ref.sectionName}` : ''}`;
      if (target === undefined) {
        problems.push(`${id}: target ${where} is not in the output`);
        continue;
      }
      const sections: string[] = ref.kind === 'Gateway' ? (target.spec.listeners ?? []).map((l: any) => l.name) : (target.spec.rules ?? []).map((r: any) => r.name);
      if (ref.sectionName !== undefined && !sections.includes(ref.sectionName)) problems.push(`${id}: target ${where}: no such ${ref.kind === 'Gateway' ? 'listener' : 'rule'}`);
      const key = `${policy.kind} -> ${where}`;
      if (attached.has(key)) problems.push(`${id}: a second ${key}`);
      attached.add(key);
    }
    const users = policy.kind === 'SecurityPolicy' ? policy.spec.basicAuth?.users : undefined;
    const secret = users === undefined ? undefined : manifests.find((m) => m.kind === 'Secret' && m.metadata.name === users.name && ns(m) === (users.namespace ?? ns(policy)));
    if (secret !== undefined && secret.data?.['.htpasswd'] === undefined && secret.stringData?.['.htpasswd'] === undefined) {
      problems.push(`${id}: basic auth Secret ${secret.metadata.name} has no key .htpasswd`);
    }
    const credentials = policy.kind === 'SecurityPolicy' ? policy.spec.apiKeyAuth?.credentialRefs ?? [] : [];
    for (const ref of credentials) {
      const keys = manifests.find((m) => m.kind === 'Secret' && m.metadata.name === ref.name && ns(m) === (ref.namespace ?? ns(policy)));
      if (keys !== undefined) problems.push(...apiKeySecretProblems(id, keys));
    }
  }
  return problems;
}

const NGINX_GATEWAY_FABRIC = 'gateway.nginx.org/';

/**
 * NGINX Gateway Fabric: each policy's targetRefs (ClientSettingsPolicy's one targetRef) resolve in
 * the policy's namespace, to a route or Gateway of the output (they take no sectionName), or for
 * an UpstreamSettingsPolicy to a core Service of the output or a declared external one; at most
 * one policy of a kind attaches to one target; an AuthenticationFilter's basic auth Secret, when
 * the output declares it, is of type `nginx.org/htpasswd` with the htpasswd file under `auth`.
 */
function nginxGatewayFabricProblems(manifests: readonly Manifest[], external: readonly ExternalService[]): string[] {
  const problems: string[] = [];
  const attached = new Set<string>();
  for (const policy of manifests.filter((m) => m.apiVersion.startsWith(NGINX_GATEWAY_FABRIC))) {
    const id = `${policy.kind}/${policy.metadata.name}`;
    const refs: any[] = policy.spec.targetRefs ?? (policy.spec.targetRef === undefined ? [] : [policy.spec.targetRef]);
    for (const ref of refs) {
      const where = `${ref.kind} ${ns(policy)}/${ref.name}`;
      if (ref.sectionName !== undefined) problems.push(`${id}: target ${where} has a sectionName, which NGINX Gateway Fabric's policies do not take`);
      const found = ref.kind === 'Service'
        ? (ref.group === '' || ref.group === 'core') && (manifests.some((m) => m.kind === 'Service' && m.metadata.name === ref.name && ns(m) === ns(policy))
          || external.some((e) => e.name === ref.name && (e.namespace ?? '') === ns(policy)))
        : manifests.some((m) => m.kind === ref.kind && m.apiVersion.startsWith(ref.group + '/') && m.metadata.name === ref.name && ns(m) === ns(policy));
      if (!found) problems.push(`${id}: target ${where} is not in the output${ref.kind === 'Service' ? ' nor a declared external Service' : ''}`);
      const key = `${policy.kind} -> ${where}`;
      if (attached.has(key)) problems.push(`${id}: a second ${key}`);
      attached.add(key);
    }
    const basic = policy.kind === 'AuthenticationFilter' ? policy.spec.basic : undefined;
    const secret = basic === undefined ? undefined : manifests.find((m) => m.kind === 'Secret' && m.metadata.name === basic.secretRef.name && ns(m) === ns(policy));
    if (secret !== undefined && ((secret.data?.auth ?? secret.stringData?.auth) === undefined || secret.type !== 'nginx.org/htpasswd')) {
      problems.push(`${id}: basic auth Secret ${secret.metadata.name} is not of type nginx.org/htpasswd with the key auth`);
    }
  }
  return problems;
}

/** Envoy Gateway reads an Opaque Secret, each data key a client id and its value that client's API key. */
function apiKeySecretProblems(id: string, secret: Manifest): string[] {
  const where = `${id}: API key Secret ${secret.metadata.name}`;
  if ((secret.type ?? 'Opaque') !== 'Opaque') return [`${where} is of type ${secret.type}, not Opaque`];
  const entries = [...Object.entries(secret.data ?? {}), ...Object.entries(secret.stringData ?? {})];
  if (entries.length === 0) return [`${where} has no client ids`];
  return entries.filter(([, value]) => value === '').map(([client]) => `${where}: client ${client} has an empty key`);
}

/** The route kinds the check follows. */
const ROUTE_KINDS = ['HTTPRoute', 'GRPCRoute', 'TLSRoute', 'TCPRoute'];

/**
 * A listener accepts the kinds of its protocol (Gateway API's defaults: HTTP and HTTPS take
 * HTTPRoute and GRPCRoute; TLS in mode Passthrough takes TLSRoute; TCP takes TCPRoute), narrowed
 * by its allowedRoutes.kinds when set.
 */
function acceptsKind(listener: any, kind: string): boolean {
  const byProtocol: Record<string, string[]> = {
    HTTP: ['HTTPRoute', 'GRPCRoute'],
    HTTPS: ['HTTPRoute', 'GRPCRoute'],
    TLS: (listener.tls?.mode ?? 'Terminate') === 'Passthrough' ? ['TLSRoute'] : [],
    TCP: ['TCPRoute'],
  };
  const kinds: string[] | undefined = listener.allowedRoutes?.kinds?.map((k: any) => k.kind);
  return (byProtocol[listener.protocol] ?? []).includes(kind) && (kinds === undefined || kinds.includes(kind));
}

function allows(listener: any, gw: Manifest, route: Manifest): boolean {
  const from = listener.allowedRoutes?.namespaces?.from ?? 'Same';
  if (from === 'All') return true;
  if (from === 'Same') return ns(gw) === ns(route);
  const labels = listener.allowedRoutes.namespaces.selector?.matchLabels ?? {};
  return labels['kubernetes.io/metadata.name'] === ns(route);
}
