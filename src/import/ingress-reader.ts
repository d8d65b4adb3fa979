/**
 * The Ingress reader: Ingress v1, generic or ingress-nginx (with its annotations). One exposure
 * per group of hosts that share paths and TLS; canary Ingresses merge into their main Ingress's
 * routes. The strategy of the source: `ExposureStrategy.ingress({ className, controller })`.
 */
import { Expr, lib, obj, str } from './code';
import { readIngressClass, readOtherAnnotations } from './ingress-annotations';
import { mergeCanaries, RouteDraft } from './ingress-canary';
import { HostGroup, ParsedIngress } from './ingress-model';
import { NGINX_PREFIX, NginxReading, readNginxAnnotations } from './ingress-nginx-annotations';
import { genericPath, nginxPath, nginxRegexPath } from './ingress-paths';
import { routeExpr } from './ingress-routes';
import { readRules } from './ingress-rules';
import { ManifestReader, namespaceOf, objectName, ReaderOutput, sourceName } from './manifest-reader';
import { ImportedExposure, Loss, SourceDocument } from './model';

export const ingressReader: ManifestReader = {
  name: 'Ingress',
  kinds: [{ group: 'networking.k8s.io', kind: 'Ingress' }],
  // Named Service ports are resolved from the Services of the input; IngressClasses name the controller.
  consults: [{ group: '', kind: 'Service' }, { group: 'networking.k8s.io', kind: 'IngressClass' }],
  read: readIngresses,
};

function readIngresses(documents: readonly SourceDocument[], all: readonly SourceDocument[]): ReaderOutput {
  const losses: Loss[] = [];
  const parsed: ParsedIngress[] = [];
  for (const document of documents) {
    const m = document.manifest;
    if (m.apiVersion !== 'networking.k8s.io/v1') {
      losses.push({ source: objectName(m), field: 'apiVersion', reason: `${m.apiVersion}: not read (Ingress networking.k8s.io/v1 only)`, kind: 'unsupported' });
      continue;
    }
    const rules = readRules(m, all);
    const annotations = stringAnnotations(m, rules.losses);
    const cls = readIngressClass(m, annotations, all);
    parsed.push({
      document,
      name: String(m.metadata?.name ?? 'ingress'),
      namespace: namespaceOf(m),
      className: cls.className,
      annotations,
      groups: rules.groups,
      losses: [...rules.losses, ...cls.losses],
      nginx: cls.nginx,
    });
  }

  const isCanary = (p: ParsedIngress) => nginx(p) && p.annotations[`${NGINX_PREFIX}canary`] === 'true';
  const mains = parsed.filter((p) => !isCanary(p));
  const canaries = parsed.filter(isCanary);
  const exposures: ImportedExposure[] = [];
  const drafts = new Map<ParsedIngress, { group: HostGroup; routes: RouteDraft[]; reading?: NginxReading; losses: Loss[] }[]>();
  for (const ingress of mains) {
    const source = objectName(ingress.document.manifest);
    const reading = nginx(ingress) ? readNginxAnnotations(ingress.annotations, source, ingress.namespace) : undefined;
    const other = readOtherAnnotations(ingress.annotations, source, nginx(ingress));
    const ingressLosses = [...ingress.losses, ...other.losses, ...(reading?.losses ?? [])];
    drafts.set(ingress, ingress.groups.map((group) => {
      const groupLosses: Loss[] = [];
      const regexMode = reading !== undefined && regexHost(group, mains);
      const routes = group.paths.flatMap((p): RouteDraft[] => {
        const r = reading === undefined ? genericPath(p) : regexMode ? nginxRegexPath(p, reading.rewriteTarget) : nginxPath(p);
        const field = reading?.rewriteTarget !== undefined ? `${NGINX_PREFIX}rewrite-target` : regexMode ? `${NGINX_PREFIX}use-regex` : `${p.field}.path`;
        if (!r.ok) {
          groupLosses.push({ source, field: `${p.field}.path`, reason: r.reason, kind: 'unsupported' });
          return [];
        }
        if (r.lost !== undefined) groupLosses.push({ source, field, reason: r.lost, kind: 'unsupported' });
        if (reading === undefined && p.implementationSpecific) {
          groupLosses.push({ source, field: `${p.field}.pathType`, reason: 'ImplementationSpecific: the controller decides how it matches; read as Prefix', kind: 'unsupported' });
        }
        const draft: RouteDraft = { path: p, match: r.match, backends: [{ backend: p.backend }], rewritePath: r.rewritePath, length: p.path.length };
        if (r.exactRewrite === undefined) return [draft];
        return [{ ...draft, match: lib('PathMatch.exact', str(pathOf(r.match))), rewritePath: r.exactRewrite }, draft];
      });
      // ingress-nginx tries regex locations by descending length: the first that matches wins.
      if (regexMode) routes.sort((a, b) => b.length - a.length);
      // A path listed twice: the controller serves the first.
      const seen = new Set<string>();
      const unique = routes.filter((r) => {
        const key = JSON.stringify(r.match);
        if (!seen.has(key)) {
          seen.add(key);
          return true;
        }
        groupLosses.push({ source, field: `${r.path.field}.path`, reason: `${JSON.stringify(r.path.path)} is listed before: the first is kept`, kind: 'invalid' });
        return false;
      });
      return { group, routes: unique, reading, losses: [...ingressLosses, ...groupLosses] };
    }));
    if (ingress.groups.length === 0) losses.push(...ingressLosses, { source, field: 'spec', reason: 'no rule and no default backend: routes nothing', kind: 'unsupported' });
  }

  losses.push(...mergeCanaries(canaries, mains, drafts));

  for (const ingress of mains) {
    const groups = drafts.get(ingress) ?? [];
    groups.forEach(({ group, routes, reading, losses: groupLosses }, i) => {
      if (routes.length === 0) {
        // Every path was lost: nothing to expose for these hosts.
        losses.push(...groupLosses);
        return;
      }
      const exposure = exposureOf(ingress, group, routes, reading, groupLosses);
      exposures.push({ ...exposure, id: i === 0 ? ingress.name : `${ingress.name}-${i + 1}` });
    });
  }
  return { exposures, losses };
}

function nginx(p: ParsedIngress): boolean {
  return p.nginx;
}

/** Whether an Ingress of one of the group's hosts sets use-regex or rewrite-target: ingress-nginx then reads every path of the host as a regex. */
function regexHost(group: HostGroup, mains: readonly ParsedIngress[]): boolean {
  return mains.filter(nginx).some((other) => {
    const a = other.annotations;
    if (a[`${NGINX_PREFIX}use-regex`] !== 'true' && a[`${NGINX_PREFIX}rewrite-target`] === undefined) return false;
    return other.groups.some((g) => (g.hosts.length === 0 && group.hosts.length === 0) || g.hosts.some((h) => group.hosts.includes(h)));
  });
}

function pathOf(match: Expr): string {
  if (match.kind !== 'call' || match.args[0]?.kind !== 'string') throw new Error('internal: a path match without a path');
  return match.args[0].value;
}

function stringAnnotations(m: Readonly<Record<string, any>>, losses: Loss[]): Record<string, string> {
  const raw = m.metadata?.annotations;
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object' || Array.isArray(raw)) {
    losses.push({ source: objectName(m), field: 'metadata.annotations', reason: 'not a map of strings', kind: 'invalid' });
    return {};
  }
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === 'string') out[k] = v;
    else losses.push({ source: objectName(m), field: k, reason: `value ${JSON.stringify(v)} is not a string (Kubernetes refuses it)`, kind: 'invalid' });
  }
  return out;
}

function exposureOf(
  ingress: ParsedIngress, group: HostGroup, routes: readonly RouteDraft[], reading: NginxReading | undefined, groupLosses: readonly Loss[],
): Omit<ImportedExposure, 'id'> {
  const source = objectName(ingress.document.manifest);
  const losses = [...groupLosses];
  const lose = (field: string, reason: string) => losses.push({ source, field, reason, kind: 'unsupported' });
  const certManager = readCertManager(ingress.annotations);
  let tls: Expr | undefined;
  let httpsRedirectCode: Expr | undefined;
  const clientCertificates = reading?.clientCertificates;
  if (group.tlsSecret !== undefined && group.hosts.length === 0) {
    lose(tlsField(ingress), `the Secret ${group.tlsSecret} for every host (a rule without host): the declaration serves certificates for the hosts it names`);
  } else if (group.tlsSecret !== undefined) {
    const options = clientCertificates !== undefined ? obj({ clientCertificates }) : undefined;
    tls = certManager !== undefined
      ? lib('Tls.certManager', obj({ ...certManager, secretName: str(group.tlsSecret), clientCertificates }))
      : lib('Tls.fromSecret', str(group.tlsSecret), ...(options ? [options] : []));
    if (reading?.noSslRedirect) lose(`${NGINX_PREFIX}ssl-redirect`, '"false": plain HTTP is served too; the declaration redirects HTTP to HTTPS when it declares TLS');
    // ingress-nginx redirects plain HTTP with its http-redirect-code, 308 by default: said, so every strategy answers the same.
    else if (reading !== undefined) httpsRedirectCode = { kind: 'number', value: 308 };
  } else {
    if (clientCertificates !== undefined) lose(`${NGINX_PREFIX}auth-tls-secret`, 'client certificates need TLS on the host, which spec.tls does not list');
    if (reading?.forceSslRedirect) lose(`${NGINX_PREFIX}force-ssl-redirect`, 'redirects to HTTPS terminated in front of the controller; the declaration redirects only when it terminates TLS');
    if (certManager !== undefined) lose('cert-manager.io', 'a certificate for hosts that spec.tls does not list');
  }

  const props: Record<string, Expr | undefined> = {
    hosts: group.hosts.length > 0 ? { kind: 'array', items: group.hosts.map(str) } : undefined,
  };
  if (reading?.passthrough) {
    const backends = new Set(routes.flatMap((r) => r.backends.map((b) => `${b.backend.name}:${b.backend.port}`)));
    if (group.hosts.length === 0 || backends.size !== 1) {
      lose(`${NGINX_PREFIX}ssl-passthrough`, 'passes TLS through to one backend per hostname: the Ingress needs hosts and one backend');
    } else {
      const b = routes[0].backends[0].backend;
      props.passthrough = {
        kind: 'array',
        items: group.hosts.map((h) => lib('TlsPassthrough.host', str(h), lib('Backend.fromName', str(b.name), { kind: 'number', value: b.port }))),
      };
      lose('spec.rules', 'plain HTTP to a passed-through host: the declaration passes the hostname through and routes no HTTP for it');
      const sources = [sourceName(ingress.document)];
      return { namespace: ingress.namespace, sources, props: obj(props), sourceStrategy: sourceStrategyOf(ingress), losses };
    }
  }
  props.tls = tls;
  props.httpsRedirectCode = httpsRedirectCode;
  const routeExprs = routes.map((r) => routeExpr(r, reading));
  if (reading?.appRoot !== undefined) {
    routeExprs.unshift(obj({
      match: obj({ path: lib('PathMatch.exact', str('/')) }),
      redirect: obj({ path: str(reading.appRoot), statusCode: { kind: 'number', value: 302 } }),
    }));
  }
  props.routes = { kind: 'array', items: routeExprs };
  // An Ingress path names a backend even when the controller redirects: the declaration says it once.
  if (reading?.redirect !== undefined && routes.length > 0) {
    const b = routes[0].backends[0].backend;
    props.backend = lib('Backend.fromName', str(b.name), { kind: 'number', value: b.port });
  }
  Object.assign(props, reading?.policies ?? {});
  return {
    namespace: ingress.namespace,
    sources: [sourceName(ingress.document), ...routes.flatMap((r) => r.canarySource ?? []).filter((s, i, a) => a.indexOf(s) === i)],
    props: obj(props),
    sourceStrategy: sourceStrategyOf(ingress),
    losses,
  };
}

function tlsField(ingress: ParsedIngress): string {
  const tls: unknown[] = Array.isArray(ingress.document.manifest.spec?.tls) ? ingress.document.manifest.spec.tls : [];
  const i = tls.findIndex((t) => typeof t === 'object' && t !== null && !Array.isArray((t as any).hosts));
  return i < 0 ? 'spec.tls' : `spec.tls[${i}]`;
}

/** `cert-manager.io/cluster-issuer` or `cert-manager.io/issuer`: the certificate of the TLS Secret. */
function readCertManager(annotations: Readonly<Record<string, string>>): Record<string, Expr> | undefined {
  const cluster = annotations['cert-manager.io/cluster-issuer'];
  const issuer = annotations['cert-manager.io/issuer'];
  if (cluster !== undefined) return { clusterIssuer: str(cluster) };
  if (issuer !== undefined) return { issuer: str(issuer) };
  return undefined;
}

function sourceStrategyOf(ingress: ParsedIngress): Expr {
  const className = str(ingress.className ?? (nginx(ingress) ? 'nginx' : 'default'));
  return nginx(ingress)
    ? lib('ExposureStrategy.ingress', obj({ className, controller: lib('IngressController.ingressNginx') }))
    : lib('ExposureStrategy.ingress', obj({ className }));
}
