/**
 * The spec of an Ingress v1: rules (hosts and paths), backends (ports by number, or by name
 * resolved from a Service of the input), TLS, and the default backend.
 */
import { HostGroup, IngressPath, ServicePort } from './ingress-model';
import { namespaceOf, objectName } from './manifest-reader';
import { Loss, SourceDocument } from './model';
import { dnsSubdomainProblem, hostnameProblem, matchPathProblem, portProblem, serviceNameProblem } from '../core/validators';

/** The host groups of an Ingress, and what of its spec they cannot hold. */
export function readRules(manifest: Readonly<Record<string, any>>, all: readonly SourceDocument[]): { groups: HostGroup[]; losses: Loss[] } {
  const source = objectName(manifest);
  const losses: Loss[] = [];
  const lose = (field: string, reason: string, kind: Loss['kind'] = 'unsupported') => losses.push({ source, field, reason, kind });
  const spec = isObject(manifest.spec) ? manifest.spec : {};
  const namespace = namespaceOf(manifest);

  const byHost = new Map<string, IngressPath[]>();
  const rules: unknown[] = Array.isArray(spec.rules) ? spec.rules : [];
  rules.forEach((rule, r) => {
    if (!isObject(rule)) {
      lose(`spec.rules[${r}]`, 'not an object', 'invalid');
      return;
    }
    const host = typeof rule.host === 'string' ? rule.host : '';
    // A value the declaration refuses would make the output fail: the rule is a loss instead.
    const hostProblem = host === '' ? undefined : hostnameProblem(host);
    if (hostProblem !== undefined) {
      lose(`spec.rules[${r}].host`, `${hostProblem}: the rule is not read`, 'invalid');
      return;
    }
    const paths = byHost.get(host) ?? [];
    byHost.set(host, paths);
    const httpPaths: unknown[] = isObject(rule.http) && Array.isArray(rule.http.paths) ? rule.http.paths : [];
    if (httpPaths.length === 0) lose(`spec.rules[${r}]`, 'a rule without http paths routes nothing');
    httpPaths.forEach((p, i) => {
      const field = `spec.rules[${r}].http.paths[${i}]`;
      const path = readPath(p, field, namespace, all, lose);
      if (path) paths.push(path);
    });
  });

  if (spec.defaultBackend !== undefined) {
    const backend = readBackend(spec.defaultBackend, 'spec.defaultBackend', namespace, all, lose);
    if (backend) {
      const catchAll: IngressPath = { match: 'prefix', path: '/', field: 'spec.defaultBackend', backend };
      if (byHost.size === 0) byHost.set('', []);
      for (const [host, paths] of byHost) {
        if (!paths.some((p) => p.match === 'prefix' && p.path === '/')) paths.push(catchAll);
        if (host !== '' && !byHost.has('')) {
          lose('spec.defaultBackend', 'kept for the hosts of the rules; requests for other hosts do not reach it (the controller\'s default server)');
        }
      }
    }
  }

  const tls = readTls(spec.tls, lose);
  // Hosts with the same paths and the same TLS Secret share one exposure.
  const groups = new Map<string, { hosts: string[]; paths: IngressPath[]; tlsSecret?: string }>();
  for (const [host, paths] of byHost) {
    if (paths.length === 0) continue;
    const tlsSecret = host === '' ? tls.catchAll : tlsSecretOf(tls.byHost, host);
    const key = JSON.stringify([paths.map((p) => [p.match, p.path, p.backend.name, p.backend.port]), tlsSecret ?? null, host === '']);
    const group = groups.get(key) ?? { hosts: [], paths, tlsSecret };
    if (host !== '') group.hosts.push(host);
    groups.set(key, group);
  }
  const hosts = new Set(byHost.keys());
  for (const [host] of tls.byHost) {
    if (![...hosts].some((h) => h !== '' && tlsHostCovers(host, h))) lose('spec.tls', `TLS for host ${host}, which no rule routes`);
  }
  return { groups: [...groups.values()], losses };
}

function readPath(
  p: unknown, field: string, namespace: string, all: readonly SourceDocument[], lose: (f: string, r: string, k?: Loss['kind']) => void,
): IngressPath | undefined {
  if (!isObject(p)) return void lose(field, 'not an object', 'invalid');
  const path = typeof p.path === 'string' && p.path !== '' ? p.path : '/';
  const backend = readBackend(p.backend, `${field}.backend`, namespace, all, lose);
  if (!backend) return undefined;
  // Kubernetes takes absolute paths only; ImplementationSpecific ones may be regexes (checked where read).
  const pathProblem = p.pathType === 'Exact' || p.pathType === 'Prefix' ? matchPathProblem(path)
    : !path.startsWith('/') ? `"${path}" does not start with "/"` : undefined;
  if (pathProblem !== undefined) return void lose(`${field}.path`, `${pathProblem}: the path is not read`, 'invalid');
  switch (p.pathType) {
    case 'Prefix': return { match: 'prefix', path, field, backend };
    case 'Exact': return { match: 'exact', path, field, backend };
    case 'ImplementationSpecific':
      return { match: 'prefix', path, field, backend, implementationSpecific: true };
    default:
      return void lose(`${field}.pathType`, `pathType ${JSON.stringify(p.pathType)}: not Prefix, Exact or ImplementationSpecific`, 'invalid');
  }
}

function readBackend(
  b: unknown, field: string, namespace: string, all: readonly SourceDocument[], lose: (f: string, r: string, k?: Loss['kind']) => void,
): ServicePort | undefined {
  if (!isObject(b)) return void lose(field, 'no backend', 'invalid');
  if (b.resource !== undefined) return void lose(`${field}.resource`, 'a resource backend (not a Service): the declaration routes to Services');
  const service = b.service;
  if (!isObject(service) || typeof service.name !== 'string' || !isObject(service.port)) return void lose(field, 'no service name and port', 'invalid');
  const nameProblem = serviceNameProblem(service.name);
  if (nameProblem !== undefined) return void lose(`${field}.service.name`, `${nameProblem}: the path is not read`, 'invalid');
  if (typeof service.port.number === 'number') {
    const problem = portProblem(service.port.number);
    if (problem !== undefined) return void lose(`${field}.service.port.number`, `${problem}: the path is not read`, 'invalid');
    return { name: service.name, port: service.port.number };
  }
  if (typeof service.port.name === 'string') {
    const port = servicePortByName(all, namespace, service.name, service.port.name);
    if (port !== undefined) return { name: service.name, port };
    return void lose(`${field}.service.port.name`, `port ${JSON.stringify(service.port.name)} of Service ${service.name}: no Service in the input names it (give the input the Service, or a port number)`);
  }
  return void lose(`${field}.service.port`, 'neither a port number nor a port name', 'invalid');
}

/** The number of a named port of a Service of the input. */
export function servicePortByName(all: readonly SourceDocument[], namespace: string, service: string, portName: string): number | undefined {
  for (const { manifest } of all) {
    if (manifest.kind !== 'Service' || manifest.apiVersion !== 'v1' || manifest.metadata?.name !== service || namespaceOf(manifest) !== namespace) continue;
    const ports: unknown[] = Array.isArray(manifest.spec?.ports) ? manifest.spec.ports : [];
    const port = ports.find((p): p is Record<string, any> => isObject(p) && p.name === portName);
    if (port && typeof port.port === 'number') return port.port;
  }
  return undefined;
}

function readTls(tls: unknown, lose: (f: string, r: string, k?: Loss['kind']) => void): { byHost: Map<string, string>; catchAll?: string } {
  const byHost = new Map<string, string>();
  let catchAll: string | undefined;
  if (!Array.isArray(tls)) return { byHost };
  tls.forEach((entry, i) => {
    if (!isObject(entry)) {
      lose(`spec.tls[${i}]`, 'not an object', 'invalid');
      return;
    }
    if (typeof entry.secretName !== 'string') {
      lose(`spec.tls[${i}]`, 'no secretName: the controller\'s default certificate, which the declaration cannot name');
      return;
    }
    const secretProblem = dnsSubdomainProblem(entry.secretName, 'secretName');
    if (secretProblem !== undefined) {
      lose(`spec.tls[${i}].secretName`, `${secretProblem}: the TLS entry is not read`, 'invalid');
      return;
    }
    const hosts: unknown[] = Array.isArray(entry.hosts) ? entry.hosts : [];
    if (hosts.length === 0) catchAll = entry.secretName;
    for (const host of hosts) if (typeof host === 'string') byHost.set(host, entry.secretName);
  });
  return { byHost, catchAll };
}

/** The Secret of a rule's host: its own TLS entry, else a wildcard entry one label up. */
function tlsSecretOf(byHost: ReadonlyMap<string, string>, host: string): string | undefined {
  const exact = [...byHost].find(([tlsHost]) => tlsHost.toLowerCase() === host.toLowerCase());
  return (exact ?? [...byHost].find(([tlsHost]) => tlsHostCovers(tlsHost, host)))?.[1];
}

/**
 * Whether a TLS host serves a rule's host: the same name, or a wildcard `*.example.com` for one more
 * label (`a.example.com`, not `a.b.example.com`), as a certificate's wildcard and the controller's servers match.
 */
function tlsHostCovers(tlsHost: string, host: string): boolean {
  const t = tlsHost.toLowerCase();
  const h = host.toLowerCase();
  if (t === h) return true;
  if (!t.startsWith('*.')) return false;
  const suffix = t.slice(1);
  return h.endsWith(suffix) && h.length > suffix.length && !h.slice(0, h.length - suffix.length).includes('.');
}

export function isObject(v: unknown): v is Record<string, any> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
