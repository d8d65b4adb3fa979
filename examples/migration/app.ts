// Moving off ingress-nginx (retired in March 2026): the same declaration, rendered for
// ingress-nginx (today) and for Gateway API on Envoy Gateway (tomorrow), side by side; the strategy
// is the only change. The API's rate limit has a burst of the rate: ingress-nginx's
// `limit-burst-multiplier: 1`, and Envoy Gateway's bucket of the whole rate.
import { App, Chart, Duration } from 'cdk8s';
import { Backend, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController, PathMatch, RateLimit, Tls } from 'cdk8s-expose';

const declaration = (): Omit<ExposedServiceProps, 'strategy'> => ({
  hosts: ['shop.example.com'],
  tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
  backend: Backend.fromName('storefront', 80),
  timeout: Duration.seconds(30),
  cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'] },
  routes: [
    { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rewrite: { path: '/' }, rateLimit: RateLimit.perSecond(20, { burst: 20 }) },
    { match: { path: PathMatch.exact('/old') }, redirect: { scheme: 'https', host: 'shop.example.com', path: '/new', statusCode: 301 } },
    { match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromName('storefront', 80), weight: 90 }, { backend: Backend.fromName('storefront-v2', 80), weight: 10 }] },
  ],
});

export function build(app: App): Chart[] {
  const before = new Chart(app, 'ingress-nginx', { namespace: 'shop' });
  new ExposedService(before, 'shop', { ...declaration(), strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }) });
  const after = new Chart(app, 'gateway-api', { namespace: 'shop-next' });
  new ExposedService(after, 'shop', { ...declaration(), strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }) });
  return [before, after];
}
