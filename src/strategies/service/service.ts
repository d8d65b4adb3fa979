import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import { LOAD_BALANCER_ROW, NODE_PORT_ROW } from './capabilities';
import type * as k8s from '../../../imports/k8s';
import { Problem } from '../../core/errors';
import { NUMBER, object, optional, STRING, STRING_RECORD } from '../../core/runtime-shape';
import { portProblem, problemsOf } from '../../core/validators';
import { BackendIntent, backendField, ExposureIntent, tcpStreams } from '../../intent/model';
import { StrategyRenderer } from '../contract';
import { kube } from '../shared/kube';
import { optionProblems } from '../shared/option-shapes';

/** Options for `ExposureStrategy.nodePort`. */
export interface NodePortStrategyOptions {
  /**
   * The port opened on every node (30000-32767).
   * @default - allocated by Kubernetes
   * @example ExposureStrategy.nodePort({ nodePort: 30080 })
   */
  readonly nodePort?: number;
  /**
   * The Service port.
   * @default - the backend's port
   * @example ExposureStrategy.nodePort({ port: 80 })
   */
  readonly port?: number;
}

/** Options for `ExposureStrategy.loadBalancer`. */
export interface LoadBalancerStrategyOptions {
  /**
   * The port the load balancer listens on.
   * @default - the backend's port
   * @example ExposureStrategy.loadBalancer({ port: 443 })
   */
  readonly port?: number;
  /**
   * Annotations for the cloud's load balancer controller (scheme, TLS, health checks, ...).
   * @default - none
   * @example ExposureStrategy.loadBalancer({ annotations: { 'service.beta.kubernetes.io/aws-load-balancer-scheme': 'internet-facing' } })
   */
  readonly annotations?: Record<string, string>;
  /**
   * The load balancer implementation (`spec.loadBalancerClass`).
   * @default - the cluster's default
   * @example ExposureStrategy.loadBalancer({ loadBalancerClass: 'service.k8s.aws/nlb' })
   */
  readonly loadBalancerClass?: string;
  /**
   * `Local` keeps the client's source address and skips a second hop, at the cost of uneven spread.
   * @default 'Cluster'
   * @example ExposureStrategy.loadBalancer({ externalTrafficPolicy: 'Local' })
   */
  readonly externalTrafficPolicy?: 'Cluster' | 'Local';
}

const NODE_PORT_OPTIONS = object('the options of ExposureStrategy.nodePort', { nodePort: optional(NUMBER), port: optional(NUMBER) });
const LOAD_BALANCER_OPTIONS = object('the options of ExposureStrategy.loadBalancer', {
  port: optional(NUMBER), annotations: optional(STRING_RECORD), loadBalancerClass: optional(STRING), externalTrafficPolicy: optional(STRING),
});

/** What nodePort and loadBalancer synthesize (escape hatches). */
export interface ServiceResources {
  /** nodePort / loadBalancer: the Service. */
  readonly service?: k8s.KubeService;
}

/**
 * nodePort and loadBalancer: one Service of that type selecting the backend's pods. An L4
 * strategy: every L7 feature is a capability error (see the matrix).
 */
export class ServiceRenderer implements StrategyRenderer {
  public static nodePort(options: NodePortStrategyOptions): ServiceRenderer {
    const types = optionProblems(options, NODE_PORT_OPTIONS);
    if (types.length > 0) return new ServiceRenderer('nodePort', {}, types);
    const { nodePort, port } = options;
    return new ServiceRenderer('nodePort', { port, nodePort }, problemsOf(
      nodePort === undefined || (Number.isInteger(nodePort) && nodePort >= 30000 && nodePort <= 32767)
        ? undefined : `nodePort ${nodePort} is outside the NodePort range; use 30000-32767`,
      port === undefined ? undefined : portProblem(port),
    ));
  }

  public static loadBalancer(options: LoadBalancerStrategyOptions): ServiceRenderer {
    const types = optionProblems(options, LOAD_BALANCER_OPTIONS);
    if (types.length > 0) return new ServiceRenderer('loadBalancer', {}, types);
    const { port, externalTrafficPolicy } = options;
    return new ServiceRenderer('loadBalancer', options, problemsOf(
      port === undefined ? undefined : portProblem(port),
      externalTrafficPolicy === undefined || externalTrafficPolicy === 'Cluster' || externalTrafficPolicy === 'Local'
        ? undefined : `externalTrafficPolicy "${externalTrafficPolicy}" is not a policy; use "Cluster" or "Local"`,
    ));
  }

  public readonly capabilities;
  public readonly references = [];
  public readonly selectsPods = true;

  private constructor(
    public readonly name: 'nodePort' | 'loadBalancer',
    private readonly options: NodePortStrategyOptions & LoadBalancerStrategyOptions,
    public readonly problems: readonly string[],
  ) {
    this.capabilities = (name === 'nodePort' ? NODE_PORT_ROW : LOAD_BALANCER_ROW).capabilities;
  }

  /**
   * The capability row says the rest (at most one catch-all route to one backend whose pods are
   * known, and TCP ports): a front whose workload compares client addresses cannot let nodes
   * replace them; one Service selects the pods of one backend, on distinct ports.
   */
  public check(intent: ExposureIntent): Problem[] {
    return [
      ...(intent.preserveClientAddress && this.options.externalTrafficPolicy === 'Cluster' ? [{
        field: 'exposedVia',
        message: 'externalTrafficPolicy "Cluster" lets nodes replace the client\'s address with their own, and the access lists behind it compare it; '
          + 'use "Local" or leave it unset',
      }] : []),
      ...this.portProblems(intent),
    ];
  }

  /** The Service's ports, each with the field that declared it: the route's first, then the TCP ports. */
  private ports(intent: ExposureIntent): { field: string; port: number; backend: BackendIntent; protocol: string }[] {
    const route = intent.routes[0];
    const forward = route?.action.kind === 'forward' && route.action.backends.length === 1 ? route.action.backends[0].backend : undefined;
    return [
      ...(forward ? [{
        field: backendField(intent, forward), port: this.options.port ?? forward.port, backend: forward, protocol: forward.protocol,
      }] : []),
      ...tcpStreams(intent).map((s) => ({ field: s.field, port: s.port, backend: s.backend, protocol: `tcp-${s.port}` })),
    ];
  }

  private portProblems(intent: ExposureIntent): Problem[] {
    if (intent.streams.length === 0) return [];
    const ports = this.ports(intent);
    const problems: Problem[] = [];
    const first = ports[0];
    const pods = (b: BackendIntent) => `${b.namespace ?? ''}/${b.name}`;
    for (const p of ports.slice(1)) {
      if (pods(p.backend) !== pods(first.backend) || p.backend.subset !== undefined) {
        problems.push({
          field: `${p.field}.backend`,
          message: `a ${this.name} Service selects the pods of one backend, and ${first.field} is "${first.backend.name}"; `
          + 'declare this port in an exposure of its own, or send it to the same backend',
        });
      } else if (p.port === first.port) {
        problems.push({ field: `${p.field}.port`, message: `${p.port} is the Service port of ${first.field} already; use another port` });
      }
    }
    if (intent.routes.length === 0 && this.options.port !== undefined) {
      problems.push({ field: 'strategy', message: 'port is the Service port of the HTTP route, and the exposure declares none (each TcpPort names its own port); remove port' });
    }
    if (this.options.nodePort !== undefined && ports.length > 1) {
      problems.push({ field: 'strategy', message: `nodePort names one port, and the Service has ${ports.length}; remove nodePort (Kubernetes allocates one per port)` });
    }
    if (intent.routes[0]?.access?.allow !== undefined) {
      problems.push({
        field: intent.routes[0].sources.access!,
        message: 'loadBalancerSourceRanges would restrict every port of the Service, the TCP ports too; '
        + 'declare the TCP ports in an exposure of their own',
      });
    }
    if (intent.routes[0]?.affinity !== undefined) {
      problems.push({
        field: intent.routes[0].sources.affinity!,
        message: 'sessionAffinity: ClientIP would pin every port of the Service, the TCP ports too; declare the TCP ports in an exposure of their own',
      });
    }
    return problems;
  }

  /** A Service of its own: nothing shared. */
  public claims(): undefined {
    return undefined;
  }

  public render(scope: Construct, intent: ExposureIntent): ServiceResources {
    // The checks left at most one catch-all route forwarding to one backend, and TCP ports to the same pods.
    const route = intent.routes[0];
    if (route !== undefined && (route.action.kind !== 'forward' || route.action.backends.length !== 1)) {
      throw new Error(`${this.name}: the capability check let a route through that is not a single forward`);
    }
    const ports = this.ports(intent);
    const podLabels = ports[0].backend.podLabels!;
    const options = this.options;
    const annotations = options.annotations === undefined ? undefined : sortedRecord(options.annotations);
    const { IntOrString, KubeService } = kube();
    const service = new KubeService(scope, 'Service', {
      metadata: { name: intent.name, annotations },
      spec: {
        type: this.name === 'nodePort' ? 'NodePort' : 'LoadBalancer',
        // Read at synth: a Service's selector may still change after this declaration.
        selector: Lazy.any({ produce: () => sortedRecord(podLabels()) }),
        ports: ports.map(({ port, backend, protocol }) => ({
          // Istio's protocol name: http2 for h2c.
          name: protocol === 'h2c' ? 'http2' : protocol,
          // Lets load balancers and meshes speak HTTP/2 cleartext to gRPC and h2c pods.
          appProtocol: protocol === 'grpc' || protocol === 'h2c' ? 'kubernetes.io/h2c' : undefined,
          protocol: 'TCP',
          port,
          targetPort: IntOrString.fromNumber(backend.targetPort ?? backend.port),
          nodePort: options.nodePort,
        })),
        // The capability row refuses deny lists and a nodePort's allow list: what is left is an allow list of a LoadBalancer.
        loadBalancerSourceRanges: route?.access?.allow === undefined ? undefined : [...route.access.allow],
        loadBalancerClass: options.loadBalancerClass,
        // The client's source address reaches the pods only from a node that runs one of them.
        externalTrafficPolicy: options.externalTrafficPolicy ?? (intent.preserveClientAddress ? 'Local' : undefined),
        // The capability row lets client IP affinity through alone: kube-proxy's own, for 3 hours (its default) after the last connection.
        sessionAffinity: route?.affinity === undefined ? undefined : 'ClientIP',
      },
    });
    return { service };
  }
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}
