/**
 * Istio cross references: VirtualService -> Gateway that exists and serves its hosts;
 * destinations and mirrors -> Service ports; subsets -> DestinationRule subsets whose labels
 * select pods of the Service; weights sum to 100; JWT policies select a gateway workload;
 * cert-manager Certificates feed a Gateway credential in their namespace.
 */
import { ExternalService, ns, podTemplates, serviceResolves } from './cross-references';
import { Manifest } from './schema';

const ISTIO = 'networking.istio.io';

/** Does a Gateway server host (`[namespace/]host`, `*`, `*.suffix`) serve `host`? */
function serves(serverHost: string, host: string): boolean {
  const h = serverHost.includes('/') ? serverHost.split('/')[1] : serverHost;
  if (h === '*' || h === host) return true;
  if (h.startsWith('*.')) return host.endsWith(h.slice(1)) || (host.startsWith('*.') && host.endsWith(h.slice(1)));
  return false;
}

/** `name.namespace.svc.<domain>`, or a short name in `defaultNamespace`. */
function parseHost(host: string, defaultNamespace: string): { name: string; namespace: string } | undefined {
  if (!host.includes('.')) return { name: host, namespace: defaultNamespace };
  const m = /^([^.]+)\.([^.]+)\.svc\.(.+)$/.exec(host);
  return m ? { name: m[1], namespace: m[2] } : undefined;
}

export function istioReferenceProblems(manifests: readonly Manifest[], external: readonly ExternalService[],
  externalGateways: readonly string[]): string[] {
  const problems: string[] = [];
  const id = (m: Manifest) => `${m.kind}/${m.metadata.name}`;
  const gateways = manifests.filter((m) => m.kind === 'Gateway' && m.apiVersion.startsWith(ISTIO));
  const rules = manifests.filter((m) => m.kind === 'DestinationRule');
  const services = manifests.filter((m) => m.kind === 'Service');
  const templates = podTemplates(manifests);

  for (const vs of manifests.filter((m) => m.kind === 'VirtualService')) {
    const hosts: string[] = vs.spec.hosts ?? [];
    for (const ref of vs.spec.gateways ?? []) {
      if (ref === 'mesh') continue;
      const [gwNamespace, gwName] = ref.includes('/') ? ref.split('/') : [ns(vs), ref];
      const gw = gateways.find((g) => g.metadata.name === gwName && ns(g) === gwNamespace);
      if (gw === undefined) {
        if (!externalGateways.includes(`${gwNamespace}/${gwName}`)) problems.push(`${id(vs)}: gateway ${ref} is not in the output nor declared existing`);
        continue;
      }
      for (const host of hosts) {
        if (!(gw.spec.servers ?? []).some((s: any) => (s.hosts ?? []).some((h: string) => serves(h, host)))) {
          problems.push(`${id(vs)}: host ${host} is served by no server of Gateway ${ref}`);
        }
      }
    }

    const checkDestination = (where: string, d: any) => {
      const target = parseHost(d.host, ns(vs));
      const port = d.port?.number;
      if (target === undefined || port === undefined) {
        problems.push(`${id(vs)}: ${where} ${JSON.stringify(d)} is not a Service FQDN with a port number`);
        return;
      }
      if (!serviceResolves(manifests, external, target.name, target.namespace, port)) {
        problems.push(`${id(vs)}: ${where} ${d.host}:${port} is no Service port in the output nor a declared external Service`);
      }
      if (d.subset === undefined) return;
      const rule = rules.find((r) => {
        const h = parseHost(r.spec.host, ns(r));
        return h?.name === target.name && h.namespace === target.namespace;
      });
      const subset = (rule?.spec.subsets ?? []).find((s: any) => s.name === d.subset);
      if (subset === undefined) {
        problems.push(`${id(vs)}: ${where} subset ${d.subset} of ${d.host} is defined by no DestinationRule`);
        return;
      }
      const svc = services.find((s) => s.metadata.name === target.name && ns(s) === target.namespace);
      if (svc === undefined) return; // pods of an external Service are not in the output
      const labels = { ...svc.spec.selector, ...subset.labels };
      if (!templates.some((t) => t.namespace === target.namespace && Object.entries(labels).every(([k, v]) => t.labels[k] === v))) {
        problems.push(`${id(vs)}: ${where} subset ${d.subset} (${JSON.stringify(labels)}) selects no pod template in the output`);
      }
    };

    (vs.spec.http ?? []).forEach((http: any, i: number) => {
      const routes = http.route ?? [];
      routes.forEach((r: any, j: number) => checkDestination(`http[${i}].route[${j}]`, r.destination));
      if (routes.length > 1 && routes.reduce((a: number, r: any) => a + (r.weight ?? 0), 0) !== 100) {
        problems.push(`${id(vs)}: http[${i}] weights do not sum to 100`);
      }
      if (routes.length === 0 && http.redirect === undefined) problems.push(`${id(vs)}: http[${i}] neither routes nor redirects`);
      if (http.mirror) checkDestination(`http[${i}].mirror`, http.mirror);
    });
    (vs.spec.tls ?? []).forEach((tls: any, i: number) => (tls.route ?? []).forEach((r: any, j: number) => checkDestination(`tls[${i}].route[${j}]`, r.destination)));
  }

  // JWT policies select the workload of a Gateway in their namespace (or of an existing one).
  // Policies by targetRefs (to a Gateway API Gateway) are gateway-api-references.ts'.
  for (const policy of manifests.filter((m) => (m.kind === 'RequestAuthentication' || m.kind === 'AuthorizationPolicy') && m.spec?.targetRefs === undefined)) {
    const labels = policy.spec.selector?.matchLabels ?? {};
    const selects = gateways.some((g) => ns(g) === ns(policy) && Object.entries(labels).every(([k, v]) => g.spec.selector?.[k] === v));
    if (!selects && externalGateways.length === 0) problems.push(`${id(policy)}: selector ${JSON.stringify(labels)} matches no Gateway's workload in its namespace`);
  }

  return problems;
}
