import { Construct } from 'constructs';
import { GatewayEngine, streamContainerPort } from './engine';
import { renderGatewayMetrics } from './metrics-resources';
import { alertThresholds, GatewayMonitoring, monitoringProblems } from './monitoring';
import { renderPodAddressServices } from './pod-addresses';
import { GatewayWorkload, GatewayWorkloadOptions, renderGatewayWorkload, workloadProblems } from './workload';
import type * as certManager from '../../../imports/cert-manager-cert-manager.io';
import type * as k8s from '../../../imports/k8s';
import type * as promOperator from '../../../imports/prometheus-operator-monitoring.coreos.com';
import { distinctProblems, Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { ExposureIntent, RouteIntent, translatesGrpc } from '../../intent/model';
import { Front, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certificate as certificateFor } from '../shared/cert-manager';

/** What apiGateway synthesizes (escape hatches), besides what its front (`exposedVia`) synthesizes. */
export interface ApiGatewayResources {
  /** The gateway Deployment. */
  readonly gatewayDeployment?: k8s.KubeDeployment;
  /** Behind an L7 front (ingress, istio, gatewayApi): the ClusterIP Service it routes to. */
  readonly gatewayService?: k8s.KubeService;
  /** The ConfigMap with the engine's configuration. */
  readonly gatewayConfig?: k8s.KubeConfigMap;
  /** Keeps a gateway pod up through voluntary disruptions. */
  readonly gatewayDisruptionBudget?: k8s.KubePodDisruptionBudget;
  /** With `autoscaling`. */
  readonly gatewayAutoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  /** With `isolateBackends`: one per backend. */
  readonly networkPolicies?: readonly k8s.KubeNetworkPolicy[];
  /** With `Tls.certManager`: the Certificate the gateway (or its front) serves. */
  readonly certificate?: certManager.Certificate;
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly k8s.KubeService[];
  /** With session affinity (Kong): a headless Service per backend, through which the gateway reaches its pods one by one. */
  readonly podAddressServices?: readonly k8s.KubeService[];
  /** With `monitoring`: the ClusterIP Service of the gateway's metrics port. */
  readonly gatewayMetricsService?: k8s.KubeService;
  /** With `monitoring.serviceMonitor`: the ServiceMonitor that scrapes it. */
  readonly serviceMonitor?: promOperator.ServiceMonitor;
  /** With `monitoring.alerts`: the gateway's alerts. */
  readonly prometheusRule?: promOperator.PrometheusRule;
}

/** The default front of a gateway: a strategy on `port` (a LoadBalancer Service); without HTTP routes, none. */
export type DefaultFront = (port?: number) => StrategyRenderer;

/**
 * apiGateway: deploys an API gateway (the engine's proxy, configured for the intent), exposed by
 * another strategy (`exposedVia`, its front). The front renders a derived intent (see
 * `frontIntent`): one route to the gateway, with the exposure's hosts and TLS when the front can
 * express them (ingress, istio, gatewayApi). Behind an L4 front (a Service) the gateway serves the
 * hosts and terminates TLS.
 */
export class ApiGatewayRenderer implements StrategyRenderer {
  public readonly name: string;
  public readonly capabilities;
  public readonly problems: readonly string[];
  public readonly references = [];
  // The workload of each exposure rendered, for its front's Service selector (read at synth).
  private readonly workloads = new WeakMap<Construct, GatewayWorkload>();

  constructor(
    private readonly engine: GatewayEngine,
    private readonly exposedVia: StrategyRenderer | undefined,
    private readonly workload: GatewayWorkloadOptions,
    private readonly defaultFront: DefaultFront,
    private readonly monitoring?: GatewayMonitoring,
  ) {
    this.name = `apiGateway (${engine.name})`;
    this.capabilities = engine.capabilities;
    this.problems = [
      ...engine.problems,
      ...workloadProblems(workload),
      ...monitoringProblems(monitoring),
      // The alerts select the series by the job prometheus-operator names after the metrics Service.
      ...(monitoring?.alerts !== undefined && monitoring.serviceMonitor !== true
        ? ['monitoring.alerts read the series the ServiceMonitor scrapes (job = the metrics Service); set monitoring.serviceMonitor: true'] : []),
      // A strategy with a front of its own deploys a gateway: gateways are not chained.
      ...(exposedVia?.front !== undefined ? ['exposedVia is an API gateway; expose the gateway with loadBalancer, nodePort, ingress, istio or gatewayApi'] : []),
      ...(exposedVia?.problems ?? []).map((p) => `exposedVia: ${p}`),
    ];
  }

  /** The gateway serves this exposure only; what its front claims is its front's. */
  public claims(): undefined {
    return undefined;
  }

  /** What the engine cannot express. A route inheriting a policy repeats its problem: each is told once. */
  public check(intent: ExposureIntent): Problem[] {
    return distinctProblems([
      ...this.engine.check(intent), ...this.clientAddressProblems(intent), ...this.clientCertificateProblems(intent),
      ...this.grpcFrontProblems(intent), ...this.monitoringProblems(intent),
    ]);
  }

  /** True when the front is L4 (a Service): the gateway then serves the hosts and terminates TLS. */
  private get l4Front(): boolean {
    return this.exposedVia === undefined || this.exposedVia.capabilities.tls === 'none';
  }

  /**
   * The port the front sends the gRPC routes to, when the gateway serves them in cleartext on one
   * of their own (behind an L7 front); undefined where they share the HTTPS port (TLS at the
   * gateway, HTTP/2 by ALPN) or the exposure has none.
   */
  private grpcPort(intent: ExposureIntent): number | undefined {
    return nativeGrpcRoutes(intent).length > 0 && !this.l4Front ? this.engine.ports.grpc : undefined;
  }

  /**
   * gRPC reaches the gateway over HTTP/2: behind an L4 front in TLS on the HTTPS port (ALPN), so
   * without TLS there is no port for it; behind an L7 front on the gRPC port, to which the front
   * sends the gRPC routes' matches, so a gRPC route on every path would leave none to HTTP routes.
   */
  private grpcFrontProblems(intent: ExposureIntent): Problem[] {
    const grpc = nativeGrpcRoutes(intent);
    const field = (r: RouteIntent) => r.sources.protocol ?? `${r.field}.protocol`;
    if (grpc.length === 0) return [];
    if (this.l4Front && intent.tls === undefined) {
      const front = this.exposedVia?.name ?? 'the default loadBalancer front';
      return [{
        field: field(grpc[0]),
        message: `gRPC reaches the gateway over HTTP/2, and behind ${front} without TLS the gateway's one port speaks HTTP/1.1; `
          + 'declare tls (the gateway then negotiates HTTP/2 on its HTTPS port by ALPN), or expose the gateway with ingress (ingress-nginx), istio or gatewayApi, '
          + 'which send the gRPC routes to its gRPC port',
      }];
    }
    const everyPath = grpc.find((r) => r.match.path.kind === 'prefix' && r.match.path.value === '/');
    if (this.l4Front || everyPath === undefined || grpc.length === intent.routes.length) return [];
    return [{
      field: `${everyPath.field}.match.path`,
      message: `behind ${this.exposedVia!.name} the front sends the gRPC routes' paths to the gateway's gRPC port and the rest to its HTTP port, `
        + 'and this gRPC route takes every path; match its services (PathMatch.prefix(\'/package.Service\'))',
    }];
  }

  /** The metrics count HTTP requests: an exposure of streams only would have none. */
  private monitoringProblems(intent: ExposureIntent): Problem[] {
    return this.monitoring === undefined || intent.routes.length > 0 ? [] : [{
      field: 'routes',
      message: `the ${this.name} strategy's monitoring counts HTTP requests, and the exposure has no HTTP routes (streams are not counted); leave monitoring unset`,
    }];
  }

  /**
   * A client certificate is verified where TLS terminates: behind an L7 front that is the front,
   * and the gateway, reached over plain HTTP, sees none.
   */
  private clientCertificateProblems(intent: ExposureIntent): Problem[] {
    const l4 = this.exposedVia === undefined || this.exposedVia.capabilities.tls === 'none';
    return l4 || intent.tls?.clientCertificates === undefined ? [] : [{
      field: 'tls.clientCertificates',
      message: `behind ${this.exposedVia!.name} TLS ends at the front, so the gateway sees no client certificate; `
        + 'expose the gateway with loadBalancer or nodePort (it then terminates TLS), or declare the exposure with the front\'s strategy itself',
    }];
  }

  /**
   * Behind an L7 front (ingress, istio, gatewayApi) every connection comes from the front's pods:
   * access lists would compare their address, not the client's, and client IP affinity would hash
   * it, unless the engine believes the front's X-Forwarded-For (`trustedProxies`). Behind a Service the connection's address is the
   * client's (`externalTrafficPolicy: Local`, rendered by the front).
   */
  private clientAddressProblems(intent: ExposureIntent): Problem[] {
    const l4 = this.exposedVia === undefined || this.exposedVia.capabilities.tls === 'none';
    if (l4 || this.engine.trustedProxies.length > 0) return [];
    return [...new Set(clientAddressFields(intent))].map((field) => ({
      field,
      message: `behind ${this.exposedVia!.name} the gateway sees the front's address, not the client's; set the engine's trustedProxies to the addresses `
        + 'the front connects from (its pods\' network), so that the client address comes from X-Forwarded-For',
    }));
  }

  /** The gateway's front, and the gateway's Service port it routes to. */
  public front(scope: Construct, intent: ExposureIntent): Front {
    const l4 = this.l4Front;
    const port = intent.tls !== undefined && l4 ? this.engine.ports.https : this.engine.ports.http;
    const httpPort = intent.routes.length === 0 ? undefined : port === this.engine.ports.https ? 443 : 80;
    return {
      renderer: this.exposedVia ?? this.defaultFront(httpPort),
      target: {
        name: resourceName(scope, 'gateway'),
        port,
        l4,
        podLabels: () => ({ ...this.workloads.get(scope)!.podLabels }),
        needsClientAddress: clientAddressFields(intent).length > 0,
        streamTargetPort: streamContainerPort,
        largestBodyBytes: Math.max(this.engine.defaultMaxBodyBytes, ...intent.routes.map((r) => r.maxRequestBodyBytes ?? 0)),
        grpcPort: this.grpcPort(intent),
      },
    };
  }

  public render(scope: Construct, intent: ExposureIntent): ApiGatewayResources {
    // An L4 front (a Service) has no hosts and no TLS: the gateway does both, TLS on its HTTPS port.
    const l4Front = this.exposedVia === undefined || this.exposedVia.capabilities.tls === 'none';
    const tlsAtGateway = intent.tls !== undefined && l4Front;
    const tls = tlsAtGateway ? { secretName: intent.tls!.secretName, redirectCode: intent.tls!.redirectCode ?? 301 } : undefined;
    const podAddresses = renderPodAddressServices(scope, intent);
    const alerts = this.monitoring?.alerts;
    const metrics = this.monitoring === undefined ? undefined
      : { latencyObjectiveSeconds: alerts === undefined ? undefined : alertThresholds(alerts).latencyP99Seconds };
    const config = this.engine.configure({ intent, tls, podAddresses: podAddresses.byBackend, metrics });
    const backendServices = provisionBackendServices(intent.backends);
    // cert-manager issues the certificate the gateway serves, into the Secret it mounts.
    const certificate = tlsAtGateway && intent.tls!.certManager ? certificateFor(scope, intent) : undefined;
    const port = tlsAtGateway ? config.httpsPort : config.httpPort;
    // An L7 front routes to the gateway by Service name; an L4 front is itself the gateway's Service.
    const grpcPort = this.grpcPort(intent);
    // The HTTP port carries the HTTP routes, and the gRPC routes too where they have no port of their own.
    const httpRoutes = intent.routes.length > nativeGrpcRoutes(intent).length || (intent.routes.length > 0 && grpcPort === undefined);
    const service = l4Front ? undefined : { httpPort: httpRoutes ? port : undefined, grpcPort };
    const workload = renderGatewayWorkload(scope, intent, config, this.workload, service);
    this.workloads.set(scope, workload);
    const monitoring = this.monitoring === undefined || config.metrics === undefined ? undefined : renderGatewayMetrics(scope, {
      monitoring: this.monitoring,
      endpoint: config.metrics,
      names: this.engine.metricNames,
      podLabels: workload.podLabels as Record<string, string>,
      deployment: workload.name,
      namespace: intent.namespace,
    });
    return {
      gatewayMetricsService: monitoring?.service,
      serviceMonitor: monitoring?.serviceMonitor,
      prometheusRule: monitoring?.prometheusRule,
      certificate,
      backendServices,
      podAddressServices: podAddresses.services.length > 0 ? podAddresses.services : undefined,
      gatewayDeployment: workload.deployment,
      gatewayService: workload.service,
      gatewayConfig: workload.configMap,
      gatewayDisruptionBudget: workload.podDisruptionBudget,
      gatewayAutoscaler: workload.autoscaler,
      networkPolicies: workload.networkPolicies,
    };
  }
}


/** The routes of native gRPC clients (HTTP/2); gRPC-Web and JSON clients speak HTTP to the gateway. */
function nativeGrpcRoutes(intent: ExposureIntent): RouteIntent[] {
  return intent.routes.filter((r) => r.protocol === 'grpc' && !translatesGrpc(r));
}

/** Where the exposure declares what reads the client address: access lists, client IP affinity. */
function clientAddressFields(intent: ExposureIntent): string[] {
  return intent.routes.flatMap((r) => [
    ...(r.access !== undefined ? [r.sources.access!] : []),
    ...(r.affinity?.kind === 'client-ip' ? [r.sources.affinity!] : []),
  ]);
}
