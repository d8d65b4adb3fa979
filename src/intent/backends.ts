import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { BackendIntent, backendKey, BackendTlsIntent } from './model';
import { describeValue, isPlainObject, notANumber, notAString } from '../core/runtime-types';
import { dnsLabelProblem, portProblem, problemsOf, serviceNameProblem } from '../core/validators';
import { BackendSpec, BackendSubset } from '../declaration/backend';
import { BackendTls } from '../declaration/backend-tls';

/** What a declared Backend resolves to, with the problems found on the way. */
export interface ResolvedBackend {
  readonly intent?: BackendIntent;
  readonly problems: readonly string[];
}

/**
 * Resolves a declared Backend into a backend of the intent: the port from the Service's ports or
 * the Deployment's container ports, the subset and protocol checked. The namespace is the
 * object's own; the intent builder fills in the exposure's.
 */
export function resolveBackend(spec: BackendSpec, root: IConstruct): ResolvedBackend {
  const types = typeProblems(spec);
  if (types.length > 0) return { problems: types };
  const object = spec.origin === 'service' ? spec.service : spec.origin === 'deployment' ? spec.deployment : undefined;
  if (object !== undefined && object.node.root !== root) {
    // Its manifest (and, for a Deployment, the Service the library creates) would be in the other app's output.
    return {
      problems: [`${spec.origin === 'service' ? 'Service' : 'Deployment'} "${object.name}" belongs to another cdk8s App, whose output holds it; `
      + 'declare it in this app, or refer to it with Backend.fromName(name, port)'],
    };
  }
  switch (spec.origin) {
    case 'service': return resolveService(spec);
    case 'deployment': return resolveDeployment(spec);
    case 'name': return resolveName(spec);
  }
}

function resolveService({ service, options }: Extract<BackendSpec, { origin: 'service' }>): ResolvedBackend {
  const ports = service.ports.map((p) => p.port);
  const port = options.port ?? (ports.length === 1 ? ports[0] : undefined);
  if (port === undefined) {
    return { problems: [`Service "${service.name}" has ${ports.length === 0 ? 'no ports' : `ports ${ports.join(', ')}`}; pass { port } with one of them`] };
  }
  if (!ports.includes(port)) {
    return { problems: [`Service "${service.name}" has no port ${port}; its ports are ${ports.join(', ') || '(none)'}`] };
  }
  const problems = [...subsetProblems(options.subset), ...protocolProblems(options.protocol, options.tls), ...tlsProblems(options.tls)];
  if (problems.length > 0) return { problems };
  const namespace = service.metadata.namespace;
  return {
    problems: [],
    intent: {
      subset: copySubset(options.subset),
      protocol: options.protocol ?? 'http',
      tls: tlsOf(options.tls),
      key: backendKey(service.name, namespace, port, options.subset),
      name: service.name,
      namespace,
      port,
      targetPort: service.ports.find((p) => p.port === port)?.targetPort,
      origin: 'service',
      podLabels: () => ApiObject.of(service).toJson().spec?.selector ?? {},
    },
  };
}

function resolveDeployment({ deployment, options }: Extract<BackendSpec, { origin: 'deployment' }>): ResolvedBackend {
  const containerPorts = [...new Set(deployment.containers.flatMap((c) => c.ports.map((p) => p.number)))].sort((a, b) => a - b);
  const port = options.port ?? (containerPorts.length === 1 ? containerPorts[0] : undefined);
  if (port === undefined) {
    return { problems: [`Deployment "${deployment.name}" has ${containerPorts.length === 0 ? 'no container ports' : `container ports ${containerPorts.join(', ')}`}; pass { port }`] };
  }
  const targetPort = options.targetPort ?? port;
  const problems = [...problemsOf(portProblem(port), portProblem(targetPort, 'targetPort')), ...protocolProblems(options.protocol, options.tls), ...tlsProblems(options.tls)];
  if (problems.length === 0 && containerPorts.length > 0 && !containerPorts.includes(targetPort)) {
    problems.push(`Deployment "${deployment.name}" has no container port ${targetPort}; its container ports are ${containerPorts.join(', ')} (set targetPort to one of them)`);
  }
  if (problems.length > 0) return { problems };
  const namespace = deployment.metadata.namespace;
  return {
    problems: [],
    intent: {
      key: backendKey(deployment.name, namespace, port),
      name: deployment.name,
      namespace,
      port,
      targetPort,
      origin: 'deployment',
      podLabels: () => ({ ...deployment.matchLabels }),
      deployment,
      protocol: options.protocol ?? 'http',
      tls: tlsOf(options.tls),
    },
  };
}

function resolveName({ name, port, options }: Extract<BackendSpec, { origin: 'name' }>): ResolvedBackend {
  const namespace = options.namespace;
  const problems = problemsOf(
    serviceNameProblem(name),
    portProblem(port),
    namespace === undefined ? undefined : dnsLabelProblem(namespace, 'namespace'),
  );
  problems.push(...subsetProblems(options.subset), ...protocolProblems(options.protocol, options.tls), ...tlsProblems(options.tls));
  if (problems.length > 0) return { problems };
  return {
    problems: [],
    intent: {
      key: backendKey(name, namespace, port, options.subset),
      name,
      namespace,
      port,
      origin: 'name',
      subset: copySubset(options.subset),
      protocol: options.protocol ?? 'http',
      tls: tlsOf(options.tls),
    },
  };
}

/**
 * The runtime types of what the factory was given (a JavaScript caller may pass anything): the
 * cdk8s-plus object by the members the library reads, the options by field.
 */
function typeProblems(spec: BackendSpec): string[] {
  const problems: string[] = [];
  if (spec.origin === 'service' && !isServiceLike(spec.service)) {
    problems.push(`service is ${describeValue(spec.service)}; use a cdk8s-plus Service, or Backend.fromName(name, port)`);
  }
  if (spec.origin === 'deployment' && !isDeploymentLike(spec.deployment)) {
    problems.push(`deployment is ${describeValue(spec.deployment)}; use a cdk8s-plus Deployment, or Backend.fromName(name, port)`);
  }
  if (spec.origin === 'name') problems.push(...problemsOf(notAString(spec.name, 'name'), notANumber(spec.port, 'port')));
  if (!isPlainObject(spec.options)) return [...problems, `options is ${describeValue(spec.options)}; use an object`];
  const o = spec.options as Record<string, unknown>;
  for (const field of ['port', 'targetPort'] as const) if (o[field] !== undefined) problems.push(...problemsOf(notANumber(o[field], field)));
  for (const field of ['protocol', 'namespace'] as const) if (o[field] !== undefined) problems.push(...problemsOf(notAString(o[field], field)));
  if (o.tls !== undefined && !(o.tls instanceof BackendTls)) {
    problems.push(`tls is ${describeValue(o.tls)}; use BackendTls.fromSecret(...), .fromConfigMap(...), .systemCertificates(...) or .unverified()`);
  }
  const subset = o.subset as Record<string, unknown> | undefined;
  if (subset !== undefined) {
    const labels = isPlainObject(subset) ? subset.labels : undefined;
    if (!isPlainObject(subset) || typeof subset.name !== 'string' || !isPlainObject(labels) || !Object.values(labels).every((v) => typeof v === 'string')) {
      problems.push(`subset is ${describeValue(subset)}; use { name: 'v2', labels: { version: 'v2' } }`);
    }
  }
  return problems;
}

/** A construct with the members of a cdk8s-plus object the library reads: its name and metadata. */
function isPlusObject(value: unknown): value is Record<string, unknown> {
  if (!isPlainObject(value) || typeof value.name !== 'string' || !isPlainObject(value.node) || !isPlainObject(value.metadata)) return false;
  const namespace = value.metadata.namespace;
  return namespace === undefined || typeof namespace === 'string';
}

const isPort = (n: unknown): boolean => typeof n === 'number' && Number.isInteger(n);

/**
 * A Service of any cdk8s-plus version, by the members the library reads: its ports, and its pod
 * selector from the Kubernetes object under it (`ApiObject.of`), which a cdk8s-plus Service has.
 */
function isServiceLike(value: unknown): boolean {
  if (!isPlusObject(value) || !Array.isArray(value.ports)) return false;
  if (!value.ports.every((p) => isPlainObject(p) && isPort(p.port) && (p.targetPort === undefined || isPort(p.targetPort)))) return false;
  try {
    ApiObject.of(value as unknown as IConstruct);
    return true;
  } catch {
    return false;
  }
}

/** A Deployment of any cdk8s-plus version, by the members the library reads. */
function isDeploymentLike(value: unknown): boolean {
  return isPlusObject(value) && isPlainObject(value.matchLabels) && Object.values(value.matchLabels).every((v) => typeof v === 'string')
    && Array.isArray(value.containers)
    && value.containers.every((c) => isPlainObject(c) && Array.isArray(c.ports) && c.ports.every((p) => isPlainObject(p) && isPort(p.number)));
}

function protocolProblems(protocol: string | undefined, tls: BackendTls | undefined): string[] {
  if (protocol !== undefined && protocol !== 'http' && protocol !== 'grpc' && protocol !== 'h2c') {
    return [`protocol "${protocol}" is not a protocol; use "http", "grpc" or "h2c"`];
  }
  // h2c is HTTP/2 in clear text: over TLS, HTTP/2 is what the proxy and the backend negotiate (ALPN).
  return protocol === 'h2c' && tls !== undefined
    ? ['protocol "h2c" is HTTP/2 without TLS, and tls is declared; for HTTP over TLS declare protocol "http" (HTTP/2 is then negotiated where the proxy offers it)']
    : [];
}

/** The problems of a BackendTls, each under `tls`. */
function tlsProblems(tls: BackendTls | undefined): string[] {
  return (tls?._problems ?? []).map((p) => `tls: ${p}`);
}

function tlsOf(tls: BackendTls | undefined): BackendTlsIntent | undefined {
  if (tls === undefined) return undefined;
  const { ca, serverName } = tls._spec;
  return { ca: ca && { ...ca }, serverName };
}

function subsetProblems(subset: BackendSubset | undefined): string[] {
  if (subset === undefined) return [];
  return problemsOf(
    dnsLabelProblem(subset.name, 'subset name'),
    Object.keys(subset.labels).length === 0 ? `subset "${subset.name}" has no labels; name the pod labels that select it` : undefined,
  );
}

function copySubset(subset: BackendSubset | undefined) {
  return subset && { name: subset.name, labels: { ...subset.labels } };
}
