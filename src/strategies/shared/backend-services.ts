import * as kplus from 'cdk8s-plus-27';
import { BackendIntent } from '../../intent/model';

// One Service per Deployment, shared by every exposure of it (ports are added as needed).
const servicesByDeployment = new WeakMap<kplus.Deployment, kplus.Service>();

/**
 * Creates (or extends) the ClusterIP Service of `Backend.fromDeployment` backends, named like
 * the Deployment, so that L7 strategies can route to it by name. Ports are named `http-<port>`
 * or `grpc-<port>`: Istio selects the protocol from the port name.
 */
export function provisionBackendServices(backends: readonly BackendIntent[]): kplus.Service[] {
  const created: kplus.Service[] = [];
  for (const backend of backends) {
    const deployment = backend.deployment;
    if (deployment === undefined) continue;
    let service = servicesByDeployment.get(deployment);
    if (service === undefined) {
      service = new kplus.Service(deployment, 'ExposedServiceBackend', {
        metadata: { name: backend.name },
        selector: deployment,
        ports: [],
      });
      servicesByDeployment.set(deployment, service);
    }
    if (!service.ports.some((p) => p.port === backend.port)) {
      service.bind(backend.port, { name: `${backend.protocol}-${backend.port}`, targetPort: backend.targetPort });
    }
    if (!created.includes(service)) created.push(service);
  }
  return created;
}
