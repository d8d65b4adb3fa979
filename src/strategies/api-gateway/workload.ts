import { createHash } from 'crypto';
import { ApiObject, Duration, JsonPatch, Lazy, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { EngineConfig } from './engine';
import { ExposureIntent } from '../../intent/model';
import { resourceName } from '../../naming';

const k8s = kplus.k8s;

/** Autoscaling of the gateway on CPU. */
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
   * @default - requests 100m CPU / 128Mi, limits 1 CPU / 256Mi
   * @example resources: { cpu: { request: Cpu.millis(250), limit: Cpu.units(2) } }
   */
  readonly resources?: kplus.ContainerResources;
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
  readonly deployment: kplus.Deployment;
  readonly configMap: kplus.ConfigMap;
  readonly podDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  readonly autoscaler?: kplus.HorizontalPodAutoscaler;
  readonly networkPolicies: readonly kplus.k8s.KubeNetworkPolicy[];
}

const DEFAULT_RESOURCES: kplus.ContainerResources = {
  cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.units(1) },
  memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
};

/** Problems with the workload options (context-free). */
export function workloadProblems(options: GatewayWorkloadOptions): string[] {
  const problems: string[] = [];
  const { replicas, autoscaling } = options;
  if (replicas !== undefined && (!Number.isInteger(replicas) || replicas < 1)) problems.push(`replicas ${replicas} is not a pod count; use a whole number of at least 1`);
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

/**
 * The hardened gateway Deployment for an engine's configuration: non-root, read-only root
 * filesystem with emptyDirs where the engine writes, no privilege escalation, all capabilities
 * dropped, seccomp RuntimeDefault, resources, probes on the internal status port, pods spread
 * across nodes, a PodDisruptionBudget, and a checksum of the configuration so pods roll when it
 * changes.
 */
export function renderGatewayWorkload(scope: Construct, intent: ExposureIntent, config: EngineConfig,
  options: GatewayWorkloadOptions): GatewayWorkload {
  const name = resourceName(scope, 'gateway');
  const configMap = new kplus.ConfigMap(scope, 'GatewayConfig', { metadata: { name: resourceName(scope, 'gateway-config') }, data: { ...config.files } });
  // Pods roll when the configuration or the credentials script changes.
  const checksum = createHash('sha256').update(JSON.stringify([Object.entries(config.files).sort(), config.initScript ?? ''])).digest('hex');
  // With autoscaling the HorizontalPodAutoscaler owns the replica count.
  const replicas = options.autoscaling ? undefined : options.replicas ?? 2;
  const minimum = options.autoscaling?.minReplicas ?? replicas ?? 2;

  const deployment = new kplus.Deployment(scope, 'Gateway', {
    metadata: { name },
    replicas,
    podMetadata: { annotations: { 'checksum/config': checksum } },
    automountServiceAccountToken: false,
    securityContext: { ensureNonRoot: true, user: config.runAsUser, group: config.runAsUser, fsGroup: config.runAsUser },
  });
  const probe = (failureThreshold: number) => kplus.Probe.fromHttpGet(config.healthPath, {
    port: config.statusPort, periodSeconds: Duration.seconds(10), failureThreshold,
  });
  const securityContext: kplus.ContainerSecurityContextProps = {
    ensureNonRoot: true,
    user: config.runAsUser,
    group: config.runAsUser,
    readOnlyRootFilesystem: true,
    allowPrivilegeEscalation: false,
    privileged: false,
  };
  const container = deployment.addContainer({
    name: 'gateway',
    image: config.image,
    args: config.args ? [...config.args] : undefined,
    imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
    ports: [
      { number: config.httpPort, name: 'http' },
      { number: config.httpsPort, name: 'https' },
      { number: config.statusPort, name: 'status' },
    ],
    envVariables: Object.fromEntries(Object.entries(config.env ?? {}).map(([k, v]) => [k, kplus.EnvValue.fromValue(v)])),
    securityContext,
    resources: options.resources ?? DEFAULT_RESOURCES,
    liveness: probe(3),
    readiness: probe(1),
    startup: probe(30),
  });
  container.mount(config.configDir, kplus.Volume.fromConfigMap(scope, 'GatewayConfigVolume', configMap, { name: 'config' }), { readOnly: true });
  config.writablePaths.forEach((path, i) => container.mount(path, kplus.Volume.fromEmptyDir(scope, `GatewayScratch${i}`, `scratch-${i}`)));
  const secretVolumes = config.secretMounts.map((m, i) =>
    kplus.Volume.fromSecret(scope, `GatewaySecret${i}`, kplus.Secret.fromSecretName(scope, `GatewaySecretRef${i}`, m.secretName), { name: `secret-${i}` }));
  config.secretMounts.forEach((m, i) => container.mount(m.mountPath, secretVolumes[i], { readOnly: true }));
  if (config.initScript !== undefined && config.generatedDir !== undefined) {
    // Renders the credentials from the mounted Secrets into memory, before the proxy starts.
    const generated = kplus.Volume.fromEmptyDir(scope, 'GatewayCredentials', 'credentials', { medium: kplus.EmptyDirMedium.MEMORY });
    const init = deployment.addInitContainer({
      name: 'credentials',
      image: config.image,
      command: ['/bin/sh', '-c', config.initScript],
      imagePullPolicy: kplus.ImagePullPolicy.IF_NOT_PRESENT,
      securityContext,
      resources: {
        cpu: { request: kplus.Cpu.millis(10), limit: kplus.Cpu.millis(100) },
        memory: { request: Size.mebibytes(16), limit: Size.mebibytes(64) },
      },
    });
    init.mount(config.generatedDir, generated);
    container.mount(config.generatedDir, generated, { readOnly: true });
    config.secretMounts.forEach((m, i) => init.mount(m.mountPath, secretVolumes[i], { readOnly: true }));
  }
  // Spread the pods over nodes, as a preference so a small cluster still schedules them.
  deployment.scheduling.spread({ topology: kplus.Topology.HOSTNAME, weight: 100 });
  // Not in cdk8s-plus's typed API: drop every capability, and the runtime's default seccomp profile.
  const apiObject = ApiObject.of(deployment);
  apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/containers/0/securityContext/capabilities', { drop: ['ALL'] }));
  if (config.initScript !== undefined) {
    apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/initContainers/0/securityContext/capabilities', { drop: ['ALL'] }));
  }
  apiObject.addJsonPatch(JsonPatch.add('/spec/template/spec/securityContext/seccompProfile', { type: 'RuntimeDefault' }));

  const selector = Lazy.any({ produce: () => ({ ...deployment.matchLabels }) });
  const podDisruptionBudget = minimum < 2 ? undefined : new k8s.KubePodDisruptionBudget(scope, 'GatewayDisruptionBudget', {
    metadata: { name },
    spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selector } },
  });
  const autoscaler = options.autoscaling === undefined ? undefined : new kplus.HorizontalPodAutoscaler(scope, 'GatewayAutoscaler', {
    metadata: { name },
    target: deployment,
    minReplicas: options.autoscaling.minReplicas,
    maxReplicas: options.autoscaling.maxReplicas,
    metrics: [kplus.Metric.resourceCpu(kplus.MetricTarget.averageUtilization(options.autoscaling.cpuUtilization ?? 70))],
  });

  const networkPolicies = options.isolateBackends ? isolateBackends(scope, intent, deployment) : [];
  return { deployment, configMap, podDisruptionBudget, autoscaler, networkPolicies };
}

/** Lets only the gateway's pods reach each backend whose pods are known. */
function isolateBackends(scope: Construct, intent: ExposureIntent, gateway: kplus.Deployment): kplus.k8s.KubeNetworkPolicy[] {
  const byPods = new Map<string, { namespace?: string; podLabels: () => Record<string, string>; ports: Set<number>; name: string }>();
  for (const b of intent.backends) {
    if (b.podLabels === undefined) continue;
    const key = `${b.namespace ?? ''}/${b.name}`;
    const entry = byPods.get(key) ?? { namespace: b.namespace, podLabels: b.podLabels, ports: new Set<number>(), name: b.name };
    entry.ports.add(b.targetPort ?? b.port);
    byPods.set(key, entry);
  }
  return [...byPods.values()].map((b) => new k8s.KubeNetworkPolicy(scope, `IsolateBackend-${b.namespace ?? ''}-${b.name}`, {
    metadata: { name: resourceName(scope, `isolate-${b.name}`), namespace: b.namespace },
    spec: {
      podSelector: { matchLabels: Lazy.any({ produce: () => b.podLabels() }) },
      policyTypes: ['Ingress'],
      ingress: [{
        from: [{
          podSelector: { matchLabels: Lazy.any({ produce: () => ({ ...gateway.matchLabels }) }) },
          ...(b.namespace !== intent.namespace && intent.namespace !== undefined
            ? { namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': intent.namespace } } } : {}),
        }],
        ports: [...b.ports].sort((x, y) => x - y).map((port) => ({ port: k8s.IntOrString.fromNumber(port), protocol: 'TCP' })),
      }],
    },
  }));
}
