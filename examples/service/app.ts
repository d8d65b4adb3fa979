// A NodePort for a dev cluster and a LoadBalancer for the cloud: L4 only, no hosts or paths.
import { App, Chart, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Backend, ExposedService, ExposureStrategy } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'echo', { namespace: 'echo' });
  const echo = new kplus.Deployment(chart, 'echo', {
    containers: [{
      image: 'ghcr.io/acme/echo:2.3.0',
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(50), limit: kplus.Cpu.millis(200) },
        memory: { request: Size.mebibytes(32), limit: Size.mebibytes(64) },
      },
    }],
  });
  new ExposedService(chart, 'dev', { strategy: ExposureStrategy.nodePort({ nodePort: 30080 }), backend: Backend.fromDeployment(echo) });
  new ExposedService(chart, 'public', {
    strategy: ExposureStrategy.loadBalancer({
      port: 80,
      externalTrafficPolicy: 'Local',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'external' },
    }),
    backend: Backend.fromDeployment(echo),
  });
  return chart;
}
