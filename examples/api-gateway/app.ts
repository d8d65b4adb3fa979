// An API product: keys per consumer, rate limits per key, CORS, a cache and usage logs, on the
// NGINX engine behind a LoadBalancer (which also caps the connections to each backend), and the
// same API on Kong behind Gateway API.
import { App, Chart, Duration } from 'cdk8s';
import { ApiGatewayEngine, Auth, Backend, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, PathMatch, RateLimit, Tls } from 'cdk8s-expose';

/** The declaration both engines serve. Secrets hold one key per consumer: never in this code. */
const api = (): Omit<ExposedServiceProps, 'strategy'> => ({
  hosts: ['api.example.com'],
  tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
  backend: Backend.fromName('orders', 8080),
  auth: Auth.apiKey({ secret: 'api-consumers' }),
  rateLimit: RateLimit.perMinute(600, { key: 'api-key' }),
  cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], allowHeaders: ['x-api-key'] },
  timeout: Duration.seconds(10),
  routes: [
    { match: { path: PathMatch.prefix('/v1') }, backend: Backend.fromName('orders-v1', 8080), rewrite: { path: '/' } },
    { match: { path: PathMatch.prefix('/v2') }, backend: Backend.fromName('orders', 8080), rewrite: { path: '/' } },
    { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'api-admins' }), rateLimit: RateLimit.perMinute(60) },
  ],
});

export function build(app: App): Chart {
  const chart = new Chart(app, 'orders', { namespace: 'orders' });
  new ExposedService(chart, 'nginx', {
    ...api(),
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ cacheTtl: Duration.seconds(30) }), isolateBackends: true }),
    // At most 200 requests in flight to each backend Service; more get 502 at once (Kong has no such limit).
    circuitBreaker: CircuitBreaker.of({ maxConnections: 200 }),
  });
  new ExposedService(chart, 'kong', {
    ...api(),
    hosts: ['api-kong.example.com'],
    strategy: ExposureStrategy.apiGateway({
      engine: ApiGatewayEngine.kong(),
      exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
      autoscaling: { minReplicas: 2, maxReplicas: 6 },
    }),
  });
  return chart;
}
