// One declaration, the strategy picked per environment (ENVIRONMENT=dev|staging|prod, default
// dev): dev on a plain Ingress, staging on Gateway API, prod on Istio with an API gateway behind it.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { ApiGatewayEngine, Backend, ExposedService, ExposureStrategy, PathMatch } from 'cdk8s-expose';

export const ENVIRONMENTS = {
  dev: () => ExposureStrategy.ingress({ className: 'nginx' }),
  staging: () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  prod: () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() }),
};
export type Environment = keyof typeof ENVIRONMENTS;

export function build(app: App, environment: Environment = (process.env.ENVIRONMENT as Environment) ?? 'dev'): Chart {
  const strategy = ENVIRONMENTS[environment];
  if (strategy === undefined) throw new Error(`ENVIRONMENT=${environment} is not one of ${Object.keys(ENVIRONMENTS).join(', ')}`);
  const chart = new Chart(app, `shop-${environment}`, { namespace: 'shop' });
  const api = new kplus.Deployment(chart, 'api', {
    containers: [{
      image: 'ghcr.io/acme/api:1.4.2',
      portNumber: 8080,
      resources: {
        cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
        memory: { request: Size.mebibytes(128), limit: Size.mebibytes(256) },
      },
    }],
  });
  // The declaration: the same in every environment.
  new ExposedService(chart, 'public', {
    strategy: strategy(),
    hosts: [`${environment === 'prod' ? '' : `${environment}.`}shop.example.com`],
    backend: Backend.fromDeployment(api),
    routes: [{ match: { path: PathMatch.prefix('/api') } }, { match: { path: PathMatch.exact('/healthz') } }],
    ...(environment === 'dev' ? {} : { timeout: Duration.seconds(15) }),
  });
  return chart;
}
