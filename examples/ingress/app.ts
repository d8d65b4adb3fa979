// The seed article's example on Ingress v1 (class istio), and a shop on ingress-nginx with its
// annotations.
import { App, Chart, Duration } from 'cdk8s';
import { Backend, ExposedService, ExposureStrategy, IngressController, PathMatch, RateLimit, Tls } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'httpbin', { namespace: 'httpbin' });
  new ExposedService(chart, 'article', {
    strategy: ExposureStrategy.ingress({ className: 'istio' }),
    hosts: ['httpbin.example.com'],
    backend: Backend.fromName('httpbin', 8000),
    routes: [{ match: { path: PathMatch.prefix('/status') } }],
  });
  new ExposedService(chart, 'shop', {
    strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
    hosts: ['shop.example.com'],
    backend: Backend.fromName('storefront', 80),
    tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    timeout: Duration.seconds(30),
    rateLimit: RateLimit.perSecond(20, { burst: 40 }),
    routes: [
      { match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080), rewrite: { path: '/' } },
      { match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromName('storefront', 80), weight: 95 }, { backend: Backend.fromName('storefront-v2', 80), weight: 5 }] },
    ],
  });
  return chart;
}
