// Gateway API: a Gateway of class eg (Envoy Gateway) with TLS from cert-manager, and routes that
// attach to a shared Gateway run by the platform team.
import { App, Chart, Duration } from 'cdk8s';
import { Backend, ExposedService, ExposureStrategy, HeaderMatch, PathMatch, Tls } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'store', { namespace: 'store' });
  new ExposedService(chart, 'public', {
    strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
    hosts: ['store.example.com'],
    tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    backend: Backend.fromName('web', 80),
    cors: { allowOrigins: ['https://app.example.com'], allowMethods: ['GET', 'POST'], maxAge: Duration.hours(1) },
    routes: [
      { match: { path: PathMatch.prefix('/api'), headers: [HeaderMatch.exact('x-canary', 'true')] }, backend: Backend.fromName('api-v2', 8080), timeout: Duration.seconds(10) },
      { match: { path: PathMatch.prefix('/api') }, backends: [{ backend: Backend.fromName('api', 8080), weight: 9 }, { backend: Backend.fromName('api-v2', 8080), weight: 1 }] },
      { match: { path: PathMatch.exact('/old-cart') }, redirect: { path: '/cart', statusCode: 301 } },
      { match: { path: PathMatch.prefix('/') }, requestHeaders: { set: { 'x-store': 'eu' } } },
    ],
  });
  new ExposedService(chart, 'internal', {
    strategy: ExposureStrategy.gatewayApi({ gateway: { name: 'internal', namespace: 'infra', sectionName: 'http' } }),
    hosts: ['store.internal.example.com'],
    backend: Backend.fromName('admin', 8080),
  });
  return chart;
}
