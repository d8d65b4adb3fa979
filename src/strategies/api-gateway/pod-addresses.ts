import { Lazy } from 'cdk8s';
import { Construct } from 'constructs';
import type * as k8s from '../../../imports/k8s';
import { Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { BackendIntent, describeAffinity, ExposureIntent } from '../../intent/model';
import { portNamePrefix } from '../shared/backend-services';
import { kube } from '../shared/kube';

/**
 * Where an engine reaches the pods of a backend one by one: a headless Service (no virtual
 * address: its DNS name resolves to the ready pods' addresses) selecting the backend's pods, on
 * the port the pods listen on.
 */
export interface PodAddresses {
  readonly name: string;
  readonly namespace?: string;
  readonly port: number;
}

/** The headless Services of an exposure, and the pod addresses of each backend key. */
export interface PodAddressServices {
  readonly services: readonly k8s.KubeService[];
  readonly byBackend: ReadonlyMap<string, PodAddresses>;
}

/** The backends of routes with session affinity: a hash at the gateway has to tell their pods apart. */
export function affinityBackends(intent: ExposureIntent): BackendIntent[] {
  const backends = new Map<string, BackendIntent>();
  for (const route of intent.routes) {
    if (route.affinity === undefined || route.action.kind !== 'forward') continue;
    for (const { backend } of route.action.backends) backends.set(backend.key, backend);
  }
  return [...backends.values()];
}

/**
 * The library writes a headless Service only for a backend whose pods it knows (a Service's
 * selector, a Deployment's labels): `Backend.fromName` names a Service, not its pods.
 */
export function podAddressProblems(intent: ExposureIntent, engine: string): Problem[] {
  const problems: Problem[] = [];
  for (const route of intent.routes) {
    if (route.affinity === undefined || route.action.kind !== 'forward') continue;
    const field = route.sources.affinity!;
    for (const { backend } of route.action.backends) {
      const affinity = describeAffinity(route.affinity);
      if (backend.podLabels === undefined) {
        problems.push({
          field,
          message: `apiGateway (${engine}) hashes ${affinity} over the pods of backend "${backend.name}", through a headless Service the library creates `
            + 'with the pods\' labels; Backend.fromName names a Service, not its pods: declare the backend with Backend.fromService or Backend.fromDeployment',
        });
      } else if (Object.keys(backend.podLabels()).length === 0) {
        problems.push({
          field,
          message: `apiGateway (${engine}) hashes ${affinity} over the pods of backend "${backend.name}", through a headless Service with the same selector; `
            + `Service "${backend.name}" has no selector: give it one, or declare the backend with Backend.fromDeployment`,
        });
      }
    }
  }
  return problems;
}

/**
 * A headless Service per affinity backend, in the backend's namespace, named after the exposure
 * and the backend, selecting the backend's pods (read at synth, as the backend's own Service is)
 * on the container port behind the backend's port: a headless Service forwards nothing, its
 * clients connect to the pods.
 */
export function renderPodAddressServices(scope: Construct, intent: ExposureIntent): PodAddressServices {
  const services: k8s.KubeService[] = [];
  const byBackend = new Map<string, PodAddresses>();
  for (const backend of affinityBackends(intent)) {
    const podLabels = backend.podLabels;
    if (podLabels === undefined) throw new Error(`apiGateway: the check let through affinity to backend ${backend.key}, whose pods are unknown`);
    const port = backend.targetPort ?? backend.port;
    const name = resourceName(scope, `${backend.name}-${port}-pods`);
    const namespace = backend.namespace ?? intent.namespace;
    services.push(new (kube().KubeService)(scope, `PodAddresses-${name}`, {
      metadata: { name, namespace },
      spec: {
        clusterIp: 'None',
        ports: [{ name: `${portNamePrefix(backend)}-${port}`, port, targetPort: kube().IntOrString.fromNumber(port) }],
        selector: Lazy.any({ produce: () => ({ ...podLabels() }) }),
      },
    }));
    byBackend.set(backend.key, { name, namespace: backend.namespace, port });
  }
  return { services, byBackend };
}
