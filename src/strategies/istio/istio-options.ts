import { Duration } from 'cdk8s';
import { IstioGateway } from './istio-gateway';
import { BOOLEAN, DURATION, NUMBER, object, optional, STRING } from '../../core/runtime-shape';

/** Connection limits to each backend (DestinationRule connectionPool). */
export interface IstioConnectionPool {
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxConnections: 100 }
   */
  readonly maxConnections?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { http1MaxPendingRequests: 50 }
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { http2MaxRequests: 1000 }
   */
  readonly http2MaxRequests?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxRequestsPerConnection: 10 }
   */
  readonly maxRequestsPerConnection?: number;
}

/** Ejection of failing endpoints (DestinationRule outlierDetection). */
export interface IstioOutlierDetection {
  /**
   * @default - Istio's default (5)
   * @example outlierDetection: { consecutive5xxErrors: 5 }
   */
  readonly consecutive5xxErrors?: number;
  /**
   * @default - Istio's default (10s)
   * @example outlierDetection: { interval: Duration.seconds(10) }
   */
  readonly interval?: Duration;
  /**
   * @default - Istio's default (30s)
   * @example outlierDetection: { baseEjectionTime: Duration.seconds(30) }
   */
  readonly baseEjectionTime?: Duration;
  /**
   * @default - Istio's default (10)
   * @example outlierDetection: { maxEjectionPercent: 50 }
   */
  readonly maxEjectionPercent?: number;
}

/** Load balancing, connection pool and outlier detection for the backends (DestinationRule). */
export interface IstioTrafficPolicy {
  /**
   * @default - Istio's default (LEAST_REQUEST)
   * @example trafficPolicy: { loadBalancer: 'LEAST_REQUEST' }
   */
  readonly loadBalancer?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH';
  /**
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
}

/** The runtime shape of `IstioStrategyOptions` (a JavaScript caller may pass anything). */
export const ISTIO_OPTIONS_SHAPE = object('the options of ExposureStrategy.istio', {
  gateway: optional({ kind: 'instance', is: (v) => v instanceof IstioGateway, use: 'IstioGateway.create(...) or IstioGateway.existing(...)' }),
  bindToMesh: optional(BOOLEAN),
  apiVersion: optional(STRING),
  clusterDomain: optional(STRING),
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
