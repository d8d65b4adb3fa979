import { ApiObject } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { dnsLabelProblem, portProblem, problemsOf, serviceNameProblem } from './intent/validators';

/**
 * A version subset of a backend's pods, selected by labels (Istio DestinationRule subsets):
 * `{ name: 'v2', labels: { version: 'v2' } }`.
 */
export interface BackendSubset {
  /**
   * The subset's name (a DNS-1123 label).
   * @example subset: { name: 'v2', labels: { version: 'v2' } }
   */
  readonly name: string;
  /**
   * Pod labels that select the subset, on top of the Service's selector.
   * @example subset: { name: 'v2', labels: { version: 'v2' } }
   */
  readonly labels: Record<string, string>;
}

/** The application protocol a backend speaks. */
export type BackendProtocol = 'http' | 'grpc';

/** Options shared by every `Backend` factory. */
export interface BackendProtocolOptions {
  /**
   * The application protocol: `grpc` makes the routes to this backend gRPC routes (GRPCRoute on
   * Gateway API, `backend-protocol: GRPC` on ingress-nginx, `grpc-` port names on created Services).
   * @default 'http'
   * @example Backend.fromName('catalog', 9090, { protocol: 'grpc' })
   */
  readonly protocol?: BackendProtocol;
}

/** Options for `Backend.fromService`. */
export interface ServiceBackendOptions extends BackendProtocolOptions {
  /**
   * Route only to this version subset of the Service's pods.
   * @default - every pod of the Service
   * @example Backend.fromService(reviews, { subset: { name: 'v2', labels: { version: 'v2' } } })
   */
  readonly subset?: BackendSubset;

  /**
   * The Service port traffic goes to.
   * @default - the Service's only port; required when it has several
   * @example Backend.fromService(api, { port: 8080 })
   */
  readonly port?: number;
}

/** Options for `Backend.fromDeployment`. */
export interface DeploymentBackendOptions extends BackendProtocolOptions {
  /**
   * The Service port traffic goes to.
   * @default - the Deployment's only container port; required when it has several
   * @example Backend.fromDeployment(api, { port: 80, targetPort: 8080 })
   */
  readonly port?: number;

  /**
   * The container port behind `port`.
   * @default - same as `port`
   * @example Backend.fromDeployment(api, { port: 80, targetPort: 8080 })
   */
  readonly targetPort?: number;
}

/** Options for `Backend.fromName`. */
export interface NameBackendOptions extends BackendProtocolOptions {
  /**
   * Route only to this version subset of the Service's pods.
   * @default - every pod of the Service
   * @example Backend.fromName('reviews', 9080, { subset: { name: 'v1', labels: { version: 'v1' } } })
   */
  readonly subset?: BackendSubset;

  /**
   * Namespace of the Service.
   * @default - the namespace of the ExposedService (its chart's namespace)
   * @example Backend.fromName('users', 80, { namespace: 'team-a' })
   */
  readonly namespace?: string;
}

/** A backend in the intent: a Service name, namespace and port, resolved and validated. */
export interface BackendIntent {
  /** Identity for de-duplication and cross-references: `namespace/name:port`. */
  readonly key: string;
  readonly name: string;
  /** `undefined` means the namespace of the exposure. */
  readonly namespace?: string;
  readonly port: number;
  /** The container port behind `port`, when the library knows it. */
  readonly targetPort?: number;
  /** How the backend was declared: the factory it came from. */
  readonly origin: 'service' | 'deployment' | 'name';
  /**
   * The labels of the pods behind the backend, read at synth (a Service's selector may be edited
   * after the ExposedService is declared). `undefined` for `fromName`: its pods are unknown.
   */
  readonly podLabels?: () => Record<string, string>;
  /** For `fromDeployment`: the Deployment whose Service the library creates (see `provisionBackendService`). */
  readonly deployment?: kplus.Deployment;
  /** A version subset of the pods (Istio DestinationRule subset). */
  readonly subset?: { readonly name: string; readonly labels: Readonly<Record<string, string>> };
  /** The application protocol. */
  readonly protocol: BackendProtocol;
}

/** What `Backend` resolves to, with the problems found on the way. */
export interface ResolvedBackend {
  readonly intent?: BackendIntent;
  readonly problems: readonly string[];
}

/**
 * Where traffic goes: a Service of this app, a Deployment (the library creates its Service), or
 * a Service known by name (in this cluster, possibly in another namespace).
 */
export abstract class Backend {
  /** A cdk8s-plus Service of this app. */
  public static fromService(service: kplus.Service, options: ServiceBackendOptions = {}): Backend {
    return new ServiceBackend(service, options);
  }

  /**
   * A cdk8s-plus Deployment. The library creates one ClusterIP Service for it, named like the
   * Deployment and shared by every backend of that Deployment; each port used is added to it.
   * If the Deployment already has a Service, use `Backend.fromService` instead.
   */
  public static fromDeployment(deployment: kplus.Deployment, options: DeploymentBackendOptions = {}): Backend {
    return new DeploymentBackend(deployment, options);
  }

  /** A Service that exists outside this app, by name and port. */
  public static fromName(name: string, port: number, options: NameBackendOptions = {}): Backend {
    return new NameBackend(name, port, options);
  }

  protected constructor() {}

  /** @internal */
  public abstract _resolve(): ResolvedBackend;
}

/** The identity of a backend: one Service port (and subset) in one namespace. */
export function backendKey(name: string, namespace: string | undefined, port: number, subset?: { readonly name: string }): string {
  return `${namespace ?? ''}/${name}:${port}${subset ? `#${subset.name}` : ''}`;
}

function protocolProblems(protocol: string | undefined): string[] {
  return protocol === undefined || protocol === 'http' || protocol === 'grpc' ? [] : [`protocol "${protocol}" is not a protocol; use "http" or "grpc"`];
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

class ServiceBackend extends Backend {
  constructor(private readonly service: kplus.Service, private readonly options: ServiceBackendOptions) {
    super();
  }

  public _resolve(): ResolvedBackend {
    const ports = this.service.ports.map((p) => p.port);
    const port = this.options.port ?? (ports.length === 1 ? ports[0] : undefined);
    if (port === undefined) {
      return { problems: [`Service "${this.service.name}" has ${ports.length === 0 ? 'no ports' : `ports ${ports.join(', ')}`}; pass { port } with one of them`] };
    }
    if (!ports.includes(port)) {
      return { problems: [`Service "${this.service.name}" has no port ${port}; its ports are ${ports.join(', ') || '(none)'}`] };
    }
    const problems = [...subsetProblems(this.options.subset), ...protocolProblems(this.options.protocol)];
    if (problems.length > 0) return { problems };
    const service = this.service;
    const namespace = service.metadata.namespace;
    return {
      problems: [],
      intent: {
        subset: copySubset(this.options.subset),
        protocol: this.options.protocol ?? 'http',
        key: backendKey(service.name, namespace, port, this.options.subset),
        name: service.name,
        namespace,
        port,
        targetPort: service.ports.find((p) => p.port === port)?.targetPort,
        origin: 'service',
        podLabels: () => ApiObject.of(service).toJson().spec?.selector ?? {},
      },
    };
  }
}

class DeploymentBackend extends Backend {
  constructor(private readonly deployment: kplus.Deployment, private readonly options: DeploymentBackendOptions) {
    super();
  }

  public _resolve(): ResolvedBackend {
    const deployment = this.deployment;
    const containerPorts = [...new Set(deployment.containers.flatMap((c) => c.ports.map((p) => p.number)))].sort((a, b) => a - b);
    const port = this.options.port ?? (containerPorts.length === 1 ? containerPorts[0] : undefined);
    if (port === undefined) {
      return { problems: [`Deployment "${deployment.name}" has ${containerPorts.length === 0 ? 'no container ports' : `container ports ${containerPorts.join(', ')}`}; pass { port }`] };
    }
    const targetPort = this.options.targetPort ?? port;
    const problems = [...problemsOf(portProblem(port), portProblem(targetPort, 'targetPort')), ...protocolProblems(this.options.protocol)];
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
        protocol: this.options.protocol ?? 'http',
      },
    };
  }
}

class NameBackend extends Backend {
  constructor(private readonly name: string, private readonly port: number, private readonly options: NameBackendOptions) {
    super();
  }

  public _resolve(): ResolvedBackend {
    const namespace = this.options.namespace;
    const problems = problemsOf(
      serviceNameProblem(this.name),
      portProblem(this.port),
      namespace === undefined ? undefined : dnsLabelProblem(namespace, 'namespace'),
    );
    problems.push(...subsetProblems(this.options.subset), ...protocolProblems(this.options.protocol));
    if (problems.length > 0) return { problems };
    return {
      problems: [],
      intent: {
        key: backendKey(this.name, namespace, this.port, this.options.subset),
        name: this.name,
        namespace,
        port: this.port,
        origin: 'name',
        subset: copySubset(this.options.subset),
        protocol: this.options.protocol ?? 'http',
      },
    };
  }
}
