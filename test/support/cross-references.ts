/**
 * Cross-reference checks over one app's manifests: what the schema cannot see. Every backend a
 * route names resolves to a Service and port in the output (or is declared external), every
 * Service selector selects a pod template, names are valid and unique.
 */
import { Manifest } from './schema';

/** A Service that lives outside the app (declared with `Backend.fromName`). */
export interface ExternalService {
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
}

const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job'];

export const ns = (m: Manifest): string => m.metadata.namespace ?? '';

/** Does a Service port `name:port` in `namespace` exist in the output, or is it declared external? */
export function serviceResolves(manifests: readonly Manifest[], external: readonly ExternalService[],
  name: string, namespace: string, port: number): boolean {
  return manifests.some((s) => s.kind === 'Service' && s.metadata.name === name && ns(s) === namespace && (s.spec.ports ?? []).some((p: any) => p.port === port))
    || external.some((e) => e.name === name && (e.namespace ?? '') === namespace && e.port === port);
}

/** The pod templates (labels, container ports) of the workloads in the output. */
export function podTemplates(manifests: readonly Manifest[]) {
  return manifests.filter((m) => WORKLOADS.includes(m.kind)).map((m) => ({
    namespace: ns(m),
    labels: (m.spec?.template?.metadata?.labels ?? {}) as Record<string, string>,
    ports: (m.spec?.template?.spec?.containers ?? []).flatMap((c: any) => (c.ports ?? []).map((p: any) => p.containerPort)) as number[],
  }));
}

export function crossReferenceProblems(manifests: readonly Manifest[], external: readonly ExternalService[] = []): string[] {
  const problems: string[] = [];
  const id = (m: Manifest) => `${m.kind}/${m.metadata.name}`;

  // Names: valid and unique per kind and namespace.
  const seen = new Set<string>();
  for (const m of manifests) {
    const name = m.metadata?.name ?? '';
    if (!DNS1123_SUBDOMAIN.test(name) || name.length > 253) problems.push(`${id(m)}: name is not a DNS-1123 subdomain`);
    if (m.kind === 'Service' && (!DNS1035_LABEL.test(name) || name.length > 63)) problems.push(`${id(m)}: Service name is not a DNS-1035 label of at most 63 characters`);
    const key = `${m.apiVersion}/${m.kind}/${ns(m)}/${name}`;
    if (seen.has(key)) problems.push(`${id(m)}: two objects of this kind have this name in namespace "${ns(m) || '(default)'}"`);
    seen.add(key);
  }

  const services = manifests.filter((m) => m.kind === 'Service');
  const templates = podTemplates(manifests);

  // Services select pods of the app, on ports the containers declare.
  for (const svc of services) {
    const selector: Record<string, string> = svc.spec?.selector ?? {};
    if (Object.keys(selector).length === 0) {
      if (svc.spec?.type !== 'ExternalName') problems.push(`${id(svc)}: has no selector`);
      continue;
    }
    const selected = templates.filter((p) => p.namespace === ns(svc) && Object.entries(selector).every(([k, v]) => p.labels[k] === v));
    if (selected.length === 0) {
      problems.push(`${id(svc)}: selector ${JSON.stringify(selector)} selects no pod template in the output`);
      continue;
    }
    for (const port of svc.spec.ports ?? []) {
      const target = port.targetPort ?? port.port;
      const declared = selected.flatMap((p) => p.ports);
      if (typeof target === 'number' && declared.length > 0 && !declared.includes(target)) {
        problems.push(`${id(svc)}: targetPort ${target} is not a container port of the selected pods (${declared.join(', ')})`);
      }
    }
  }

  // Backends resolve to a Service port of the output, or to a declared external Service.
  const resolves = (name: string, namespace: string, port: number) => serviceResolves(manifests, external, name, namespace, port);
  for (const ing of manifests.filter((m) => m.kind === 'Ingress')) {
    const backends = [
      ...(ing.spec.defaultBackend ? [ing.spec.defaultBackend] : []),
      ...(ing.spec.rules ?? []).flatMap((r: any) => (r.http?.paths ?? []).map((p: any) => p.backend)),
    ];
    if (backends.length === 0) problems.push(`${id(ing)}: routes nothing (no rules, no default backend)`);
    for (const b of backends) {
      const port = b.service?.port?.number;
      if (b.service === undefined || port === undefined) {
        problems.push(`${id(ing)}: backend ${JSON.stringify(b)} is not a Service with a port number`);
      } else if (!resolves(b.service.name, ns(ing), port)) {
        problems.push(`${id(ing)}: backend ${b.service.name}:${port} is no Service port in the output nor a declared external Service`);
      }
    }
    const ruleHosts: string[] = (ing.spec.rules ?? []).map((r: any) => r.host).filter((h: any) => h !== undefined);
    for (const tls of ing.spec.tls ?? []) {
      for (const host of tls.hosts ?? []) {
        if (!ruleHosts.includes(host)) problems.push(`${id(ing)}: TLS host ${host} has no rule`);
      }
      if (!tls.secretName) problems.push(`${id(ing)}: TLS without secretName`);
    }
    if (!ing.spec.ingressClassName) problems.push(`${id(ing)}: no ingressClassName`);
    // ingress-nginx's external auth service, by its qualified in-cluster name.
    const authUrl: string | undefined = ing.metadata.annotations?.['nginx.ingress.kubernetes.io/auth-url'];
    if (authUrl !== undefined) {
      const m = /^http:\/\/([a-z0-9-]+)\.([a-z0-9-]+)\.svc:(\d+)[/$]/.exec(authUrl);
      if (m === null) problems.push(`${id(ing)}: auth-url ${authUrl} is not http://<service>.<namespace>.svc:<port>/...`);
      else if (!resolves(m[1], m[2], Number(m[3]))) problems.push(`${id(ing)}: auth-url ${m[1]}.${m[2]}:${m[3]} is no Service port in the output nor a declared external Service`);
    }
  }
  // A cert-manager Certificate's Secret is used in its namespace: an Istio Gateway credential, or
  // a Secret volume of a pod template (an API gateway terminating TLS).
  for (const cert of manifests.filter((m) => m.kind === 'Certificate')) {
    const secret = cert.spec.secretName;
    const used = manifests.some((m) => ns(m) === ns(cert) && (
      (m.kind === 'Gateway' && (m.spec.servers ?? []).some((s: any) => s.tls?.credentialName === secret))
      || (WORKLOADS.includes(m.kind) && (m.spec.template?.spec?.volumes ?? []).some((v: any) => v.secret?.secretName === secret))));
    if (!used) problems.push(`${id(cert)}: secret ${secret} is used by no Gateway credential or pod volume in namespace "${ns(cert) || '(default)'}"`);
  }
  problems.push(...monitoringReferenceProblems(manifests));
  return problems;
}

/**
 * prometheus-operator: a ServiceMonitor selects Services of its namespace (no namespaceSelector
 * here) by labels, and each endpoint names a port of every Service it selects; a PrometheusRule's
 * `job="..."` (prometheus-operator's job label: the Service name) is a Service some ServiceMonitor
 * scrapes, and its `deployment="..."` a Deployment of the output.
 */
function monitoringReferenceProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  const id = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
  const scraped = new Set<string>();
  for (const sm of manifests.filter((m) => m.kind === 'ServiceMonitor')) {
    if (sm.spec.namespaceSelector !== undefined) problems.push(`${id(sm)}: namespaceSelector is not checked here`);
    const matchLabels: Record<string, string> = sm.spec.selector?.matchLabels ?? {};
    if (Object.keys(matchLabels).length === 0) problems.push(`${id(sm)}: selects every Service of its namespace`);
    const selected = manifests.filter((s) => s.kind === 'Service' && ns(s) === ns(sm)
      && Object.entries(matchLabels).every(([k, v]) => s.metadata.labels?.[k] === v));
    if (selected.length === 0) problems.push(`${id(sm)}: selector ${JSON.stringify(matchLabels)} selects no Service in the output`);
    for (const svc of selected) {
      scraped.add(`${ns(svc)}/${svc.metadata.name}`);
      for (const ep of sm.spec.endpoints ?? []) {
        if (!(svc.spec.ports ?? []).some((p: any) => p.name === ep.port)) problems.push(`${id(sm)}: endpoint port ${ep.port} is not a port of ${id(svc)}`);
      }
    }
  }
  for (const rule of manifests.filter((m) => m.kind === 'PrometheusRule')) {
    const exprs: string[] = (rule.spec.groups ?? []).flatMap((g: any) => (g.rules ?? []).map((r: any) => String(r.expr)));
    for (const expr of exprs) {
      for (const [, job] of expr.matchAll(/\bjob="([^"]+)"/g)) {
        if (!scraped.has(`${ns(rule)}/${job}`)) problems.push(`${id(rule)}: job "${job}" is no Service a ServiceMonitor of the output scrapes`);
      }
      for (const [, deployment] of expr.matchAll(/\bdeployment="([^"]+)"/g)) {
        if (!manifests.some((d) => d.kind === 'Deployment' && d.metadata.name === deployment && ns(d) === ns(rule))) {
          problems.push(`${id(rule)}: deployment "${deployment}" is no Deployment of the output`);
        }
      }
    }
  }
  return problems;
}
