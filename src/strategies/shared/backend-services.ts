import { Lazy } from 'cdk8s';
import { kube } from './kube';
import type * as k8s from '../../../imports/k8s';
import { BackendIntent, DeploymentOfBackend } from '../../intent/model';

/** The Service of a Deployment and the ports it serves so far (the array its spec renders at synth). */
interface BackendService {
  readonly service: k8s.KubeService;
  readonly ports: k8s.ServicePort[];
}

// One Service per Deployment, shared by every exposure of it (ports are added as needed).
const servicesByDeployment = new WeakMap<DeploymentOfBackend, BackendService>();

/**
 * Creates (or extends) the ClusterIP Service of `Backend.fromDeployment` backends, named like
 * the Deployment, so that L7 strategies can route to it by name. Ports are named `http-<port>`,
 * `grpc-<port>` or `http2-<port>` (h2c), `https-<port>` or `tls-<port>` with TLS to the backend:
 * Istio selects the protocol from the port name (a TLS port is passed through, not parsed as HTTP).
 * An h2c port also carries `appProtocol: kubernetes.io/h2c`, which Gateway API implementations
 * read (GEP-1911). The Service is a core L1
 * placed under the Deployment, as cdk8s-plus places one (`deployment.exposeViaService`), so the
 * app's cdk8s-plus, whichever version, is not needed to write it.
 */
export function provisionBackendServices(backends: readonly BackendIntent[]): k8s.KubeService[] {
  const created: k8s.KubeService[] = [];
  for (const backend of backends) {
    const deployment = backend.deployment;
    if (deployment === undefined) continue;
    let entry = servicesByDeployment.get(deployment);
    if (entry === undefined) {
      const ports: k8s.ServicePort[] = [];
      const service = new (kube().KubeService)(deployment, 'ExposedServiceBackend', {
        metadata: { name: backend.name },
        spec: {
          externalIPs: [],
          ports,
          // Read at synth: the Deployment's pod labels may still change after this declaration.
          selector: Lazy.any({ produce: () => ({ ...deployment.matchLabels }) }),
          type: 'ClusterIP',
        },
      });
      entry = { service, ports };
      servicesByDeployment.set(deployment, entry);
    }
    if (!entry.ports.some((p) => p.port === backend.port)) {
      entry.ports.push({
        name: `${portNamePrefix(backend)}-${backend.port}`,
        appProtocol: backend.protocol === 'h2c' ? 'kubernetes.io/h2c' : undefined,
        port: backend.port,
        targetPort: kube().IntOrString.fromNumber(backend.targetPort ?? backend.port),
      });
    }
    if (!created.includes(entry.service)) created.push(entry.service);
  }
  return created;
}

/**
 * Istio's protocol prefix of a port: http2 for h2c, https for HTTP over TLS, tls (opaque TLS) for
 * gRPC over TLS (h2c is never declared with TLS).
 */
export function portNamePrefix(backend: BackendIntent): string {
  if (backend.tls === undefined) return backend.protocol === 'h2c' ? 'http2' : backend.protocol;
  return backend.protocol === 'grpc' ? 'tls' : 'https';
}
