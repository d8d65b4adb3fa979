import { createHash } from 'crypto';
import { Lazy, Names, Size, SizeRoundingBehavior } from 'cdk8s';
import { Construct } from 'constructs';
import { EngineConfig, MetricsSidecar, SecretMount } from './engine';
import type * as k8s from '../../../imports/k8s';
import { resourceName } from '../../core/naming';
import { BOOLEAN, Field, NUMBER, object, optional, required, Shape, SIZE } from '../../core/runtime-shape';
import { ExposureIntent } from '../../intent/model';
import { kube } from '../shared/kube';

/**
 * A non-negative Kubernetes quantity (apimachinery's `resource.Quantity` grammar: a decimal number
 * with an exponent, a decimal SI suffix or a binary one), as a CPU amount is written.
 */
const QUANTITY = /^\+?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+|[numkMGTPE]|[KMGTPE]i)?$/;

/** A CPU amount (by shape: a cdk8s-plus `Cpu` of any version, or `{ amount }`), its amount a quantity. */
const CPU: Shape = {
  kind: 'instance',
  is: (v) => { const amount = (v as { amount?: unknown } | null)?.amount; return typeof amount === 'string' && QUANTITY.test(amount); },
  use: "Cpu.millis(n) or Cpu.units(n) of cdk8s-plus, or { amount: '250m' } (a Kubernetes quantity)",
};

/** An amount of CPU: a cdk8s-plus `Cpu` (`Cpu.millis(250)`, `Cpu.units(2)`) of any version, or `{ amount: '250m' }`. */
export interface CpuAmount {
  /**
   * The amount as a Kubernetes quantity: `250m` (millicores), `2` (cores).
   * @example resources: { cpu: { request: { amount: '250m' } } }
   */
  readonly amount: string;
}

/** A CPU request and limit. */
export interface GatewayCpuRequirements {
  /**
   * The CPU the scheduler reserves for each gateway pod.
   * @default - none
   * @example resources: { cpu: { request: Cpu.millis(250) } }
   */
  readonly request?: CpuAmount;
  /**
   * The most CPU a gateway pod may use (it is throttled above it).
   * @default - none
   * @example resources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(2) } }
   */
  readonly limit?: CpuAmount;
}

/** A request and limit of memory or ephemeral storage, as cdk8s `Size`s. */
export interface GatewaySizeRequirements {
  /**
   * The amount the scheduler reserves for each gateway pod.
   * @default - none
   * @example resources: { memory: { request: Size.mebibytes(256) } }
   */
  readonly request?: Size;
  /**
   * The most a gateway pod may use (memory: the container is killed above it; ephemeral storage: the pod is evicted).
   * @default - none
   * @example resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } }
   */
  readonly limit?: Size;
}

/**
 * The gateway container's resources: cdk8s-plus's `ContainerResources` of any version fits,
 * as does a literal (`{ cpu: { request: { amount: '250m' } } }`). What is set replaces the whole
 * default (requests 100m CPU / 128Mi, limits 1 CPU / 256Mi).
 */
export interface GatewayResourceRequirements {
  /**
   * CPU request and limit.
   * @default - none
   * @example resources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(2) } }
   */
  readonly cpu?: GatewayCpuRequirements;
  /**
   * Memory request and limit (written in Mi).
   * @default - none
   * @example resources: { memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) } }
   */
  readonly memory?: GatewaySizeRequirements;
  /**
   * Ephemeral storage request and limit (written in Gi).
   * @default - none
   * @example resources: { ephemeralStorage: { limit: Size.gibibytes(1) } }
   */
  readonly ephemeralStorage?: GatewaySizeRequirements;
}

/**
 * Autoscaling of the gateway on CPU: a HorizontalPodAutoscaler (`autoscaling/v2`) on the gateway
 * Deployment. It scales up by at most 4 pods or 200% a minute, whichever is more, and down after
 * 5 minutes of lower load.
 */
export interface GatewayAutoscaling {
  /**
   * The fewest gateway pods (2 or more keeps the PodDisruptionBudget useful).
   * @example autoscaling: { minReplicas: 2, maxReplicas: 10 }
   */
  readonly minReplicas: number;
  /**
   * The most gateway pods.
   * @example autoscaling: { minReplicas: 2, maxReplicas: 10 }
   */
  readonly maxReplicas: number;
  /**
   * The average CPU use the autoscaler keeps the gateway pods at, in percent of their CPU request
   * (1-100).
   * @default 70
   * @example autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 60 }
   */
  readonly cpuUtilization?: number;
}

/** Options of the gateway workload, shared by every engine. */
export interface GatewayWorkloadOptions {
  /**
   * Gateway pods. At least 2 keeps the gateway up through a node drain (a PodDisruptionBudget
   * keeps one).
   * @default 2
   * @example replicas: 3
   */
  readonly replicas?: number;
  /**
   * CPU, memory and ephemeral storage requests and limits of the gateway container. The CPU
   * request is what `autoscaling.cpuUtilization` is a percentage of.
   * @default - requests 100m CPU / 128Mi, limits 1 CPU / 256Mi
   * @example resources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(2) } }
   */
  readonly resources?: GatewayResourceRequirements;
  /**
   * A HorizontalPodAutoscaler instead of a fixed replica count.
   * @default - fixed `replicas`
   * @example autoscaling: { minReplicas: 2, maxReplicas: 10 }
   */
  readonly autoscaling?: GatewayAutoscaling;
  /**
   * A NetworkPolicy per backend that lets only the gateway reach its pods (backends whose pods
   * the app knows: `Backend.fromDeployment` and `Backend.fromService`).
   * @default false
   * @example isolateBackends: true
   */
  readonly isolateBackends?: boolean;
}

/** The synthesized gateway workload. */
export interface GatewayWorkload {
  /** The name of the Deployment (and of its Service, PodDisruptionBudget and autoscaler). */
  readonly name: string;
  /** The labels of the gateway's pods. */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly deployment: k8s.KubeDeployment;
  readonly configMap: k8s.KubeConfigMap;
  readonly service?: k8s.KubeService;
  readonly podDisruptionBudget?: k8s.KubePodDisruptionBudget;
  readonly autoscaler?: k8s.KubeHorizontalPodAutoscalerV2;
  readonly networkPolicies: readonly k8s.KubeNetworkPolicy[];
}

const DEFAULT_RESOURCES: GatewayResourceRequirements = {
  cpu: { request: { amount: '100m' }, limit: { amount: '1' } },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};
const METRICS_RESOURCES: GatewayResourceRequirements = {
  cpu: { request: { amount: '10m' }, limit: { amount: '200m' } },
  memory: { request: Size.mebibytes(32), limit: Size.mebibytes(128) },
};
const INIT_RESOURCES: GatewayResourceRequirements = {
  cpu: { request: { amount: '10m' }, limit: { amount: '100m' } },
  memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
};
// The defaults as Kubernetes quantities, converted on first use (the L1 module is loaded then) and
// shared by every gateway without `resources` and every credentials init container (cdk8s copies
// props when it renders them).
type Requirements = {
  readonly gateway?: k8s.ResourceRequirements; readonly init?: k8s.ResourceRequirements; readonly metrics?: k8s.ResourceRequirements;
};
let defaultRequirements: Requirements | undefined;
function defaults(): Requirements {
  defaultRequirements ??= {
    gateway: resourceRequirements(DEFAULT_RESOURCES), init: resourceRequirements(INIT_RESOURCES), metrics: resourceRequirements(METRICS_RESOURCES),
  };
  return defaultRequirements;
}

/** The runtime shape of `GatewayWorkloadOptions` (a JavaScript caller may pass anything). */
export const WORKLOAD_OPTIONS_FIELDS: Record<string, Field> = {
  replicas: optional(NUMBER),
  resources: optional(object('container resources', {
    cpu: optional(object('a CPU request and limit', { request: optional(CPU), limit: optional(CPU) })),
    memory: optional(object('a memory request and limit', { request: optional(SIZE), limit: optional(SIZE) })),
    ephemeralStorage: optional(object('an ephemeral storage request and limit', { request: optional(SIZE), limit: optional(SIZE) })),
  })),
  autoscaling: optional(object('an autoscaling range', { minReplicas: required(NUMBER), maxReplicas: required(NUMBER), cpuUtilization: optional(NUMBER) })),
  isolateBackends: optional(BOOLEAN),
};

const INT32_MAX = 2_147_483_647;

/** Problems with the workload options (context-free). */
export function workloadProblems(options: GatewayWorkloadOptions): string[] {
  const problems: string[] = [];
  const { replicas, autoscaling } = options;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 1)) problems.push(`replicas ${replicas} is not a pod count; use a whole number of at least 1`);
  // Replica counts are int32 in the Deployment and HorizontalPodAutoscaler schemas.
  for (const [what, count] of [['replicas', replicas], ['autoscaling.maxReplicas', autoscaling?.maxReplicas]] as const) {
    if (typeof count === 'number' && count > INT32_MAX) problems.push(`${what} ${count} is more than ${INT32_MAX}, the most Kubernetes counts`);
  }
  if (autoscaling !== undefined) {
    const { minReplicas, maxReplicas, cpuUtilization } = autoscaling;
    if (!Number.isInteger(minReplicas) || minReplicas < 1 || !Number.isInteger(maxReplicas) || maxReplicas < minReplicas) {
      problems.push(`autoscaling from ${minReplicas} to ${maxReplicas} replicas is not a range; use whole numbers with 1 <= minReplicas <= maxReplicas`);
    }
    if (cpuUtilization !== undefined && (!Number.isInteger(cpuUtilization) || cpuUtilization < 1 || cpuUtilization > 100)) {
      problems.push(`cpuUtilization ${cpuUtilization} is not a percentage; use 1-100`);
    }
    if (replicas !== undefined) problems.push('set replicas or autoscaling, not both');
  }
  return problems;
}

/** The ports of the gateway's ClusterIP Service, for a front that routes to it by name. */
export interface GatewayServicePorts {
  /** The port of HTTP traffic, when the exposure has HTTP routes. */
  readonly httpPort?: number;
  /** The port of gRPC traffic in cleartext (h2c), when the engine serves it on one (`EngineConfig.grpcPort`). */
  readonly grpcPort?: number;
}

/** The label that selects the gateway's pods (cdk8s-plus's convention, kept so selectors never change). */
const ADDRESS_LABEL = 'cdk8s.io/metadata.addr';

/**
 * The hardened gateway Deployment for an engine's configuration: non-root, read-only root
 * filesystem with emptyDirs where the engine writes, no privilege escalation, all capabilities
 * dropped, seccomp RuntimeDefault, resources, probes on the internal status port, pods spread
 * across nodes, a PodDisruptionBudget, and a checksum of the configuration so pods roll when it
 * changes. `service`: also a ClusterIP Service on its HTTP port and the streams' ports, for fronts
 * that route by name.
 *
 * Built from the typed L1s directly: the workload is fixed, so cdk8s-plus's L2s (lazy specs,
 * volume and container objects, JSON patches for what they cannot express) only added synth time.
 */
export function renderGatewayWorkload(scope: Construct, intent: ExposureIntent, config: EngineConfig,
  options: GatewayWorkloadOptions, service?: GatewayServicePorts): GatewayWorkload {
  const { KubeConfigMap, KubeDeployment, KubeService, KubePodDisruptionBudget, KubeHorizontalPodAutoscalerV2 } = kube();
  const name = resourceName(scope, 'gateway');
  const configMap = new KubeConfigMap(scope, 'GatewayConfig', {
    metadata: { name: resourceName(scope, 'gateway-config') },
    data: { ...config.files },
    immutable: false,
  });
  // Pods roll when the configuration or the credentials script changes.
  const checksum = createHash('sha256').update(JSON.stringify([Object.entries(config.files).sort(), config.initScript ?? ''])).digest('hex');
  // With autoscaling the HorizontalPodAutoscaler owns the replica count.
  const replicas = options.autoscaling ? undefined : options.replicas ?? 2;
  const minimum = options.autoscaling?.minReplicas ?? replicas ?? 2;

  // Filled in below, once the Deployment has its construct path: the value is derived from it
  // (as cdk8s-plus derives it), so the selector, immutable on a Deployment, stays what it was.
  const podLabels: Record<string, string> = {};
  const deployment = new KubeDeployment(scope, 'Gateway', {
    metadata: { name },
    spec: {
      minReadySeconds: 0,
      progressDeadlineSeconds: 600,
      replicas,
      selector: { matchLabels: podLabels },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: kube().IntOrString.fromString('25%'), maxUnavailable: kube().IntOrString.fromString('25%') } },
      template: {
        metadata: { annotations: { 'checksum/config': checksum }, labels: podLabels },
        spec: podSpec(config, options, podLabels, configMap.name, intent.namespace),
      },
    },
  });
  podLabels[ADDRESS_LABEL] = Names.toLabelValue(deployment);

  const ports: { name: string; port: number; containerPort: number; appProtocol?: string }[] = [
    ...service?.httpPort === undefined ? [] : [{ name: `http-${service.httpPort}`, port: service.httpPort, containerPort: service.httpPort }],
    // Named grpc- for Istio, and kubernetes.io/h2c for Gateway API implementations and load balancers: the front speaks HTTP/2 cleartext to it.
    ...service?.grpcPort === undefined ? [] : [{ name: `grpc-${service.grpcPort}`, port: service.grpcPort, containerPort: service.grpcPort, appProtocol: 'kubernetes.io/h2c' }],
    ...config.streamListeners ?? [],
  ];
  const gatewayService = service === undefined ? undefined : new KubeService(scope, 'GatewayService', {
    metadata: { name },
    spec: {
      externalIPs: [],
      ports: ports.map((p) => ({
        name: p.name, port: p.port, targetPort: kube().IntOrString.fromNumber(p.containerPort), appProtocol: p.appProtocol,
      })),
      selector: podLabels,
      type: 'ClusterIP',
    },
  });
  const podDisruptionBudget = minimum < 2 ? undefined : new KubePodDisruptionBudget(scope, 'GatewayDisruptionBudget', {
    metadata: { name },
    spec: { minAvailable: kube().IntOrString.fromNumber(1), selector: { matchLabels: podLabels } },
  });
  const autoscaler = options.autoscaling === undefined ? undefined : new KubeHorizontalPodAutoscalerV2(scope, 'GatewayAutoscaler', {
    metadata: { name },
    spec: autoscalerSpec(name, options.autoscaling),
  });

  const networkPolicies = options.isolateBackends ? isolateBackends(scope, intent, podLabels) : [];
  return { name, podLabels, deployment, configMap, service: gatewayService, podDisruptionBudget, autoscaler, networkPolicies };
}

/** The gateway pod: the proxy, and (with credentials) the init container that renders them. */
/** The volume of a mounted Secret or ConfigMap, projecting only `keys` when set. */
function mountedVolume(m: SecretMount, name: string): k8s.Volume {
  const items = m.keys?.map((key) => ({ key, path: key }));
  return m.configMap ? { name, configMap: { name: m.secretName, items } } : { name, secret: { secretName: m.secretName, items } };
}

function podSpec(config: EngineConfig, options: GatewayWorkloadOptions, podLabels: Record<string, string>, configMapName: string,
  namespace: string | undefined): k8s.PodSpec {
  const securityContext = containerSecurityContext(config.runAsUser);
  const credentials = config.initScript !== undefined && config.generatedDir !== undefined ? config.generatedDir : undefined;
  const secretMounts = config.secretMounts.map((m, i) => ({ name: `secret-${i}`, mountPath: m.mountPath, readOnly: true }));
  const gateway = gatewayContainer(config, options, securityContext, secretMounts, credentials);
  // Renders the credentials from the mounted Secrets into memory, before the proxy starts. A
  // script that reads the configuration (Kong's copies kong.yml to append the consumers) gets it
  // read-only, as the proxy does.
  const init: k8s.Container | undefined = credentials === undefined ? undefined : {
    name: 'credentials',
    image: config.image,
    imagePullPolicy: 'IfNotPresent',
    volumeMounts: [
      { name: 'credentials', mountPath: credentials },
      ...(config.initReadsConfig ? [{ name: 'config', mountPath: config.configDir, readOnly: true }] : []),
      ...secretMounts,
    ],
    command: ['/bin/sh', '-c', config.initScript!],
    resources: defaults().init,
    securityContext,
  };
  const sidecar = config.metrics?.sidecar;
  return {
    restartPolicy: 'Always',
    containers: [gateway, ...(sidecar === undefined ? [] : [metricsContainer(sidecar, config.metrics!.port, securityContext)])],
    securityContext: {
      fsGroup: config.runAsUser,
      fsGroupChangePolicy: 'Always',
      runAsGroup: config.runAsUser,
      runAsNonRoot: true,
      runAsUser: config.runAsUser,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: init && [init],
    volumes: [
      { name: 'config', configMap: { name: configMapName } },
      ...config.writablePaths.map((_, i) => ({ name: `scratch-${i}`, emptyDir: {} })),
      ...config.secretMounts.map((m, i) => mountedVolume(m, `secret-${i}`)),
      ...(credentials === undefined ? [] : [{ name: 'credentials', emptyDir: { medium: 'Memory' } }]),
      // The exporter's program only, not the proxy's configuration.
      ...(sidecar === undefined ? [] : [{
        name: 'metrics-program', configMap: { name: configMapName, items: sidecar.files.map((key) => ({ key, path: key })) },
      }]),
    ],
    affinity: spreadOverNodes(podLabels, namespace),
    dnsPolicy: 'ClusterFirst',
    setHostnameAsFqdn: false,
    automountServiceAccountToken: false,
    hostNetwork: false,
    terminationGracePeriodSeconds: 30,
  };
}

/** Every container of the gateway pod: non-root, read-only root filesystem, no privilege, no capability. */
function containerSecurityContext(runAsUser: number): k8s.SecurityContext {
  return {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ['ALL'] },
    privileged: false,
    readOnlyRootFilesystem: true,
    runAsGroup: runAsUser,
    runAsNonRoot: true,
    runAsUser,
  };
}

/**
 * The proxy: its ports, the configuration, emptyDirs where it writes, the Secrets and (with
 * credentials) what the init container rendered, probes on the internal status port.
 */
function gatewayContainer(config: EngineConfig, options: GatewayWorkloadOptions, securityContext: k8s.SecurityContext,
  secretMounts: k8s.VolumeMount[], credentials: string | undefined): k8s.Container {
  const probe = (failureThreshold: number): k8s.Probe => ({
    failureThreshold,
    httpGet: { path: config.healthPath, port: kube().IntOrString.fromNumber(config.statusPort), scheme: 'HTTP' },
    periodSeconds: 10,
  });
  const env = Object.entries(config.env ?? {}).map(([envName, value]) => ({ name: envName, value }));
  return {
    name: 'gateway',
    image: config.image,
    imagePullPolicy: 'IfNotPresent',
    ports: [
      { containerPort: config.httpPort, name: 'http' },
      { containerPort: config.httpsPort, name: 'https' },
      { containerPort: config.statusPort, name: 'status' },
      ...(config.grpcPort === undefined ? [] : [{ containerPort: config.grpcPort, name: 'grpc' }]),
      ...(config.streamListeners ?? []).map((l) => ({ containerPort: l.containerPort, name: l.name })),
    ],
    volumeMounts: [
      { name: 'config', mountPath: config.configDir, readOnly: true },
      ...config.writablePaths.map((path, i) => ({ name: `scratch-${i}`, mountPath: path })),
      ...secretMounts,
      ...(credentials === undefined ? [] : [{ name: 'credentials', mountPath: credentials, readOnly: true }]),
    ],
    args: config.args ? [...config.args] : undefined,
    env: env.length > 0 ? env : undefined,
    readinessProbe: probe(1),
    livenessProbe: probe(3),
    startupProbe: probe(30),
    resources: options.resources === undefined ? defaults().gateway : resourceRequirements(options.resources),
    securityContext,
  };
}

/**
 * The metrics exporter beside the proxy, hardened as the proxy is (same user, read-only root
 * filesystem, nothing it can escalate to): its program read-only from the ConfigMap, its own
 * resources, probes on its metrics port (named `metrics`, which the metrics Service targets).
 */
function metricsContainer(sidecar: MetricsSidecar, port: number, securityContext: k8s.SecurityContext): k8s.Container {
  const probe = (failureThreshold: number): k8s.Probe => ({
    failureThreshold,
    httpGet: { path: sidecar.healthPath, port: kube().IntOrString.fromNumber(port), scheme: 'HTTP' },
    periodSeconds: 10,
  });
  return {
    name: 'metrics',
    image: sidecar.image,
    imagePullPolicy: 'IfNotPresent',
    args: [...sidecar.args],
    ports: [{ containerPort: port, name: 'metrics' }],
    volumeMounts: [{ name: 'metrics-program', mountPath: sidecar.mountPath, readOnly: true }],
    readinessProbe: probe(1),
    livenessProbe: probe(3),
    resources: defaults().metrics,
    securityContext,
  };
}

/** Spread the pods over nodes, as a preference so a small cluster still schedules them. */
function spreadOverNodes(podLabels: Record<string, string>, namespace: string | undefined): k8s.Affinity {
  return {
    podAntiAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [{
        weight: 100,
        podAffinityTerm: { labelSelector: { matchLabels: podLabels }, namespaces: namespace === undefined ? undefined : [namespace], topologyKey: 'kubernetes.io/hostname' },
      }],
    },
  };
}

/** Lets only the gateway's pods reach each backend whose pods are known. */
function isolateBackends(scope: Construct, intent: ExposureIntent, gatewayPodLabels: Record<string, string>): k8s.KubeNetworkPolicy[] {
  const byPods = new Map<string, { namespace?: string; podLabels: () => Record<string, string>; ports: Set<number>; name: string }>();
  for (const b of intent.backends) {
    if (b.podLabels === undefined) continue;
    const key = `${b.namespace ?? ''}/${b.name}`;
    const entry = byPods.get(key) ?? { namespace: b.namespace, podLabels: b.podLabels, ports: new Set<number>(), name: b.name };
    entry.ports.add(b.targetPort ?? b.port);
    byPods.set(key, entry);
  }
  const { KubeNetworkPolicy } = kube();
  return [...byPods.values()].map((b) => new KubeNetworkPolicy(scope, `IsolateBackend-${b.namespace ?? ''}-${b.name}`, {
    metadata: { name: resourceName(scope, `isolate-${b.name}`), namespace: b.namespace },
    spec: {
      podSelector: { matchLabels: Lazy.any({ produce: () => b.podLabels() }) },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          podSelector: { matchLabels: gatewayPodLabels },
          ...(b.namespace !== intent.namespace && intent.namespace !== undefined
            ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': intent.namespace } } } : {}),
        }],
        ports: [...b.ports].sort((x, y) => x - y).map((port) => ({ port: kube().IntOrString.fromNumber(port), protocol: 'TCP' })),
      }],
    },
  }));
}

/** Requests and limits as Kubernetes quantities (memory in Mi, ephemeral storage in Gi, as cdk8s-plus writes them). */
function resourceRequirements(resources: GatewayResourceRequirements): k8s.ResourceRequirements | undefined {
  const quantities = (pick: 'request' | 'limit') => {
    const q: Record<string, k8s.Quantity> = {};
    const cpu = resources.cpu?.[pick];
    const memory = resources.memory?.[pick];
    const storage = resources.ephemeralStorage?.[pick];
    if (cpu) q.cpu = kube().Quantity.fromString(cpu.amount);
    if (memory) q.memory = kube().Quantity.fromString(binaryQuantity(memory, 'Mi'));
    if (storage) q['ephemeral-storage'] = kube().Quantity.fromString(binaryQuantity(storage, 'Gi'));
    return Object.keys(q).length > 0 ? q : undefined;
  };
  const limits = quantities('limit');
  const requests = quantities('request');
  return limits || requests ? { limits, requests } : undefined;
}

/**
 * A size as a Kubernetes quantity in `unit` when it is a whole number of them (as cdk8s-plus writes
 * memory in Mi and ephemeral storage in Gi), else in the largest smaller unit it is whole in, else
 * in bytes: no size is rounded or refused (cdk8s-plus threw on `Size.mebibytes(500)` of storage).
 */
function binaryQuantity(size: Size, unit: 'Mi' | 'Gi'): string {
  const kib = size.toKibibytes({ rounding: SizeRoundingBehavior.NONE });
  const units: readonly (readonly [string, number])[] = unit === 'Gi' ? [['Gi', 1024 * 1024], ['Mi', 1024], ['Ki', 1]] : [['Mi', 1024], ['Ki', 1]];
  const whole = units.find(([, per]) => Number.isInteger(kib / per));
  return whole === undefined ? `${kib * 1024}` : `${kib / whole[1]}${whole[0]}`;
}

/**
 * Scales on CPU. Up: at most 4 pods or 200% per minute, whichever is more; down: after 5 minutes
 * of lower load, at most `minReplicas` pods per 5 minutes (cdk8s-plus's defaults).
 */
function autoscalerSpec(name: string, autoscaling: GatewayAutoscaling): k8s.HorizontalPodAutoscalerSpecV2 {
  return {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
    minReplicas: autoscaling.minReplicas,
    maxReplicas: autoscaling.maxReplicas,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: autoscaling.cpuUtilization ?? 70 } } }],
    behavior: {
      scaleUp: {
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 0,
        policies: [{ type: 'Pods', value: 4, periodSeconds: 60 }, { type: 'Percent', value: 200, periodSeconds: 60 }],
      },
      scaleDown: {
        selectPolicy: 'Max',
        stabilizationWindowSeconds: 300,
        policies: [{ type: 'Pods', value: autoscaling.minReplicas, periodSeconds: 300 }],
      },
    },
  };
}
