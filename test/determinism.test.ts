import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Backend, ExposedService, ExposureStrategy, IngressController, PathMatch, RateLimit, Tls } from '../src';
import { synthChecked } from './support/synth';

/** One app with every strategy of the library, built from scratch each time. */
function build(): App {
  const app = Testing.app();
  const chart = new Chart(app, 'shop', { namespace: 'shop' });
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.4.2', portNumber: 8080 }] });
  new ExposedService(chart, 'node', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromDeployment(api) });
  new ExposedService(chart, 'lb', { strategy: ExposureStrategy.loadBalancer({ port: 80 }), backend: Backend.fromDeployment(api) });
  new ExposedService(chart, 'public', {
    strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
    hosts: ['shop.example.com', 'www.shop.example.com'],
    backend: Backend.fromDeployment(api),
    tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }),
    rateLimit: RateLimit.perSecond(20, { burst: 40 }),
    routes: [
      { match: { path: PathMatch.prefix('/api') }, timeout: Duration.seconds(10), rewrite: { path: '/' } },
      { match: { path: PathMatch.prefix('/') }, backends: [{ backend: Backend.fromDeployment(api), weight: 95 }, { backend: Backend.fromName('web-v2', 80), weight: 5 }] },
    ],
  });
  return app;
}

describe('determinism', () => {
  test('the same program gives byte-identical YAML', () => {
    const first = build();
    synthChecked(first);
    expect(Testing.synth(build().charts[0])).toEqual(Testing.synth(first.charts[0]));
    expect(first.synthYaml()).toBe(build().synthYaml());
  });
});
