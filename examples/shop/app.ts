// The example shop app: one declaration of how the API is exposed, with the strategy picked per
// environment.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ApiGatewayEngine, Backend, ExposedService, ExposureStrategy, IngressController, IstioGateway, PathMatch, Tls } from 'cdk8s-expose';

/** The strategies this example can be synthesized with (`EXPOSURE=...`). */
export const STRATEGIES = {
  'nodePort': () => ExposureStrategy.nodePort(),
  'loadBalancer': () => ExposureStrategy.loadBalancer({ port: 80 }),
  'ingress': () => ExposureStrategy.ingress({ className: 'istio' }),
  'ingress-nginx': () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
  'istio': () => ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) }),
  'gateway-api': () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  'api-gateway': () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) }),
  'api-gateway-kong': () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
};
export type StrategyName = keyof typeof STRATEGIES;

export function buildShop(app: App, strategyName: StrategyName): Chart {
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new kplus.Deployment(chart, 'api', {
    replicas: 2,
    containers: [{
      image: 'ghcr.io/acme/api:1.4.2',
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    }],
  });

  const strategy = STRATEGIES[strategyName]();
  const backend = Backend.fromDeployment(api, { port: 8080 });
  if (strategyName === 'nodePort' || strategyName === 'loadBalancer') {
    // L4 strategies forward connections: hosts, paths and HTTP policies are theirs to reject.
    new ExposedService(chart, 'public', { strategy, backend });
    return chart;
  }

  new ExposedService(chart, 'public', {
    strategy,
    hosts: ['shop.example.com'],
    backend,
    tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    routes: [
      { match: { path: PathMatch.exact('/healthz') } },
      { match: { path: PathMatch.prefix('/api') } },
      { match: { path: PathMatch.prefix('/') }, backend: Backend.fromName('storefront', 80) },
    ],
    // Plain Ingress has no timeouts; every other L7 strategy does.
    ...(strategyName === 'ingress' ? {} : { timeout: Duration.seconds(30) }),
  });
  return chart;
}
