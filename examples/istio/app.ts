// The seed article's httpbin on Istio, then a bookinfo-style canary of reviews v1 -> v2 with
// retries.
import { App, Chart, Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Backend, CircuitBreaker, ExposedService, ExposureStrategy, IstioGateway, PathMatch, Tls } from 'cdk8s-expose';

export function build(app: App): Chart {
  const chart = new Chart(app, 'bookinfo', { namespace: 'bookinfo' });
  new ExposedService(chart, 'httpbin', {
    strategy: ExposureStrategy.istio(),
    hosts: ['httpbin.example.com'],
    backend: Backend.fromName('httpbin', 8000),
    routes: [{ match: { path: PathMatch.prefix('/status') } }],
  });

  for (const version of ['v1', 'v2']) {
    new kplus.Deployment(chart, `reviews-${version}`, {
      podMetadata: { labels: { app: 'reviews', version } },
      containers: [{
        image: `docker.io/istio/examples-bookinfo-reviews-${version}:1.20.3`,
        portNumber: 9080,
        resources: {
          cpu: { request: kplus.Cpu.millis(100), limit: kplus.Cpu.millis(500) },
          memory: { request: Size.mebibytes(256), limit: Size.mebibytes(512) },
        },
      }],
    });
  }
  const reviews = new kplus.Service(chart, 'reviews', { metadata: { name: 'reviews' }, ports: [{ port: 9080, name: 'http' }] });
  reviews.selectLabel('app', 'reviews');
  new ExposedService(chart, 'reviews-edge', {
    strategy: ExposureStrategy.istio({
      gateway: IstioGateway.create({ namespace: 'istio-system' }),
      bindToMesh: true,
    }),
    circuitBreaker: CircuitBreaker.of({ consecutiveErrors: 5, interval: Duration.seconds(10), ejectionTime: Duration.seconds(30) }),
    hosts: ['reviews.example.com'],
    tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    routes: [{
      backends: [
        { backend: Backend.fromService(reviews, { subset: { name: 'v1', labels: { version: 'v1' } } }), weight: 90 },
        { backend: Backend.fromService(reviews, { subset: { name: 'v2', labels: { version: 'v2' } } }), weight: 10 },
      ],
      timeout: Duration.seconds(10),
      retries: { attempts: 3, perTryTimeout: Duration.seconds(2) },
    }],
  });
  return chart;
}
