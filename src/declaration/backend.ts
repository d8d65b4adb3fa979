import { BackendTls } from './backend-tls';
import { IDeploymentLike, IServiceLike } from './cdk8s-plus-objects';

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

/**
 * The application protocol a backend speaks: `http` (HTTP/1.1), `grpc`, or `h2c` (HTTP/2 without
 * TLS, by prior knowledge, for backends that speak nothing else).
 */
export type BackendProtocol = 'http' | 'grpc' | 'h2c';

/** Options shared by every `Backend` factory. */
export interface BackendProtocolOptions {
  /**
   * The application protocol: `grpc` makes the routes to this backend gRPC routes (GRPCRoute on
   * Gateway API, `backend-protocol: GRPC` on ingress-nginx, `grpc-` port names on created Services).
   * `h2c` keeps them HTTP routes and speaks HTTP/2 without TLS to the backend (a DestinationRule's
   * `h2UpgradePolicy: UPGRADE` on Istio, `appProtocol: kubernetes.io/h2c` on created Services);
   * it takes no `tls`: HTTP/2 over TLS is `http` with `tls`, as the proxy negotiates it.
   * @default 'http'
   * @example Backend.fromName('catalog', 9090, { protocol: 'grpc' })
   */
  readonly protocol?: BackendProtocol;

  /**
   * TLS from the proxy to the backend: HTTPS, or gRPC over TLS with `protocol: 'grpc'`, and how the
   * backend's certificate is verified.
   * @default - plain text to the backend
   * @example Backend.fromName('payments', 8443, { tls: BackendTls.fromSecret('payments-ca', { serverName: 'payments.shop.svc' }) })
   */
  readonly tls?: BackendTls;
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

/**
 * Where traffic goes: a Service of this app, a Deployment (the library creates its Service), or
 * a Service known by name (in this cluster, possibly in another namespace).
 */
export class Backend {
  /** A Service of this app (a cdk8s-plus `Service`, any cdk8s-plus from 27 to 33). */
  public static fromService(service: IServiceLike, options: ServiceBackendOptions = {}): Backend {
    return new Backend({ origin: 'service', service, options });
  }

  /**
   * A Deployment of this app (a cdk8s-plus `Deployment`, any cdk8s-plus from 27 to 33). The
   * library creates one ClusterIP Service for it, named like the Deployment and shared by every
   * backend of that Deployment; each port used is added to it.
   * If the Deployment already has a Service, use `Backend.fromService` instead.
   */
  public static fromDeployment(deployment: IDeploymentLike, options: DeploymentBackendOptions = {}): Backend {
    return new Backend({ origin: 'deployment', deployment, options });
  }

  /** A Service that exists outside this app, by name and port. */
  public static fromName(name: string, port: number, options: NameBackendOptions = {}): Backend {
    return new Backend({ origin: 'name', name, port, options });
  }

  /**
   * What was declared; resolved and checked by the intent builder.
   * @internal
   */
  public readonly _spec: BackendSpec;

  private constructor(spec: BackendSpec) {
    this._spec = spec;
  }
}

/** What a Backend declares (internal): the factory it came from and its arguments. */
export type BackendSpec =
  | { readonly origin: 'service'; readonly service: IServiceLike; readonly options: ServiceBackendOptions }
  | { readonly origin: 'deployment'; readonly deployment: IDeploymentLike; readonly options: DeploymentBackendOptions }
  | { readonly origin: 'name'; readonly name: string; readonly port: number; readonly options: NameBackendOptions };
