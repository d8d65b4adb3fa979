import { Duration } from 'cdk8s';
import { IstioGateway } from './istio-gateway';
import { BOOLEAN, DURATION, NUMBER, object, optional, STRING } from '../../core/runtime-shape';

/**
 * Connection limits to each backend (DestinationRule `connectionPool`), enforced by each Envoy
 * that calls the backend: the ingress gateway's pods, and every sidecar in the mesh (a
 * DestinationRule applies to all callers of its host). Requests over a limit fail fast with 503
 * (circuit breaking).
 */
export interface IstioConnectionPool {
  /**
   * The most TCP connections to the backend Service at once (`tcp.maxConnections`), per calling
   * Envoy.
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxConnections: 100 }
   */
  readonly maxConnections?: number;
  /**
   * The most HTTP requests queued while they wait for a connection to the backend
   * (`http.http1MaxPendingRequests`; HTTP/1.1 and HTTP/2 alike).
   * @default - Istio's default (no limit)
   * @example connectionPool: { http1MaxPendingRequests: 50 }
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * The most requests in flight to the backend at once (`http.http2MaxRequests`; HTTP/1.1 and
   * HTTP/2 alike).
   * @default - Istio's default (no limit)
   * @example connectionPool: { http2MaxRequests: 1000 }
   */
  readonly http2MaxRequests?: number;
  /**
   * The most requests sent over one connection before it is closed (`http.maxRequestsPerConnection`;
   * 1 turns keep-alive off).
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxRequestsPerConnection: 10 }
   */
  readonly maxRequestsPerConnection?: number;
}

/**
 * Ejection of failing endpoints from the load balancing pool (DestinationRule
 * `outlierDetection`): a pod that fails repeatedly gets no requests for a while.
 */
export interface IstioOutlierDetection {
  /**
   * How many 5xx answers in a row eject an endpoint (`consecutive5xxErrors`).
   * @default - Istio's default (5)
   * @example outlierDetection: { consecutive5xxErrors: 5 }
   */
  readonly consecutive5xxErrors?: number;
  /**
   * How often endpoints are scanned for ejection (`interval`).
   * @default - Istio's default (10s)
   * @example outlierDetection: { interval: Duration.seconds(10) }
   */
  readonly interval?: Duration;
  /**
   * How long an endpoint stays ejected the first time (`baseEjectionTime`); each further ejection
   * multiplies it by the number of times the endpoint was ejected.
   * @default - Istio's default (30s)
   * @example outlierDetection: { baseEjectionTime: Duration.seconds(30) }
   */
  readonly baseEjectionTime?: Duration;
  /**
   * The largest share of the backend's endpoints ejected at once, in percent (`maxEjectionPercent`).
   * @default - Istio's default (10)
   * @example outlierDetection: { maxEjectionPercent: 50 }
   */
  readonly maxEjectionPercent?: number;
}

/**
 * Load balancing, connection pool and outlier detection for every backend Service of the exposure,
 * written as the `trafficPolicy` of a DestinationRule per backend Service.
 */
export interface IstioTrafficPolicy {
  /**
   * How requests are spread over the backend's endpoints (`loadBalancer.simple`): `ROUND_ROBIN`,
   * `LEAST_REQUEST`, `RANDOM`, or `PASSTHROUGH` (to the address the caller asked for).
   * @default - Istio's default (LEAST_REQUEST)
   * @example trafficPolicy: { loadBalancer: 'LEAST_REQUEST' }
   */
  readonly loadBalancer?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH';
  /**
   * Connection and request limits to each backend (circuit breaking).
   * @default - Istio's defaults (no limits)
   * @example trafficPolicy: { connectionPool: { maxConnections: 100 } }
   */
  readonly connectionPool?: IstioConnectionPool;
  /**
   * Ejects failing endpoints from the load balancing pool.
   * @default - no outlier detection
   * @example trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } }
   */
  readonly outlierDetection?: IstioOutlierDetection;
}

/** Options for `ExposureStrategy.istio`. */
export interface IstioStrategyOptions {
  /**
   * The Gateway the VirtualService binds to.
   * @default IstioGateway.create() - a Gateway on the shared ingress gateway (istio: ingressgateway)
   * @example ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) })
   */
  readonly gateway?: IstioGateway;
  /**
   * Also bind the VirtualService to `mesh`, so callers inside the mesh get the same routing.
   * @default false
   * @example ExposureStrategy.istio({ bindToMesh: true })
   */
  readonly bindToMesh?: boolean;
  /**
   * `v1` needs Istio 1.22 or later; `v1beta1` serves older meshes.
   * @default 'v1'
   * @example ExposureStrategy.istio({ apiVersion: 'v1beta1' })
   */
  readonly apiVersion?: 'v1' | 'v1beta1';
  /**
   * The cluster domain of the backends' FQDNs (`name.namespace.svc.<domain>`).
   * @default 'cluster.local'
   * @example ExposureStrategy.istio({ clusterDomain: 'corp.internal' })
   */
  readonly clusterDomain?: string;
  /**
   * Traffic policy for every backend, in a DestinationRule per backend Service.
   * @default - none (a DestinationRule only where subsets need one)
   * @example ExposureStrategy.istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } })
   */
  readonly trafficPolicy?: IstioTrafficPolicy;
  /**
   * The name of the mesh's extension provider that checks requests for `Auth.external`: an
   * `envoyExtAuthzHttp` entry of meshConfig `extensionProviders` whose service, port, path prefix
   * and headers are those the `Auth.external` declares (the mesh's configuration; see the README).
   * @default - none: `Auth.external` is an error
   * @example ExposureStrategy.istio({ externalAuthProvider: 'oauth2-proxy' })
   */
  readonly externalAuthProvider?: string;
}

/** The runtime shape of `IstioStrategyOptions` (a JavaScript caller may pass anything). */
export const ISTIO_OPTIONS_SHAPE = object('the options of ExposureStrategy.istio', {
  gateway: optional({ kind: 'instance', is: (v) => v instanceof IstioGateway, use: 'IstioGateway.create(...) or IstioGateway.existing(...)' }),
  bindToMesh: optional(BOOLEAN),
  apiVersion: optional(STRING),
  clusterDomain: optional(STRING),
  externalAuthProvider: optional(STRING),
  trafficPolicy: optional(object('a traffic policy', {
    loadBalancer: optional(STRING),
    connectionPool: optional(object('a connection pool', {
      maxConnections: optional(NUMBER),
      http1MaxPendingRequests: optional(NUMBER),
      http2MaxRequests: optional(NUMBER),
      maxRequestsPerConnection: optional(NUMBER),
    })),
    outlierDetection: optional(object('an outlier detection', {
      consecutive5xxErrors: optional(NUMBER),
      interval: optional(DURATION),
      baseEjectionTime: optional(DURATION),
      maxEjectionPercent: optional(NUMBER),
    })),
  })),
});
