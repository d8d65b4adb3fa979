import { Testing, Chart } from 'cdk8s';
import { ApiGatewayEngine, Backend, ExposedService, ExposureError, ExposureStrategy, IstioGateway, PathMatch } from '../src';
import { synthChecked } from './support/synth';

/** Two exposures in one app; returns the error of the second, if any. */
type Props = ConstructorParameters<typeof ExposedService>[2];

function both(first: Props, second: Props, sameChart = true): Error | undefined {
  const app = Testing.app();
  const a = new Chart(app, 'team-a', { namespace: 'team-a' });
  const b = sameChart ? a : new Chart(app, 'team-b', { namespace: 'team-b' });
  new ExposedService(a, 'shop', first);
  try {
    new ExposedService(b, 'shop-v2', second);
  } catch (e) {
    return e as Error;
  }
  synthChecked(app);
  return undefined;
}

const nginx = () => ExposureStrategy.ingress({ className: 'nginx' });
const web = () => Backend.fromName('web', 80);

describe('conflicts across ExposedServices', () => {
  test('the same host and path on one ingress class fail with both construct paths', () => {
    const error = both(
      { strategy: nginx(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/api') } }] },
      { strategy: nginx(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/api') } }] },
      false,
    );
    expect(error).toBeInstanceOf(ExposureError);
    expect(error!.message).toBe('ExposedService team-b/shop-v2: routes[0]: host shop.example.com with path prefix /api on ingress class nginx is already claimed by ExposedService team-a/shop; give one of them another host or path');
  });

  test('other paths, other hosts, other classes do not conflict', () => {
    expect(both({ strategy: nginx(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/api') } }] },
      { strategy: nginx(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/cart') } }] })).toBeUndefined();
    expect(both({ strategy: nginx(), hosts: ['shop.example.com'], backend: web() }, { strategy: nginx(), hosts: ['www.example.com'], backend: web() })).toBeUndefined();
    expect(both({ strategy: nginx(), hosts: ['shop.example.com'], backend: web() },
      { strategy: ExposureStrategy.ingress({ className: 'traefik' }), hosts: ['shop.example.com'], backend: web() })).toBeUndefined();
  });

  test('Istio: exposures on the same gateway workload conflict; a Gateway API exposure with its own Gateway does not', () => {
    expect(both({ strategy: ExposureStrategy.istio(), hosts: ['shop.example.com'], backend: web() },
      { strategy: ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'edge' }) }), hosts: ['shop.example.com'], backend: web() })!.message)
      .toBe('ExposedService team-a/shop-v2: routes: host shop.example.com with path prefix / on Istio gateway workload {"istio":"ingressgateway"} is already claimed by ExposedService team-a/shop; give one of them another host or path');
    expect(both({ strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), hosts: ['shop.example.com'], backend: web() },
      { strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), hosts: ['shop.example.com'], backend: web() })).toBeUndefined();
  });

  test('Gateway API: routes on one existing Gateway conflict', () => {
    const shared = () => ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' } });
    expect(both({ strategy: shared(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.exact('/login') } }] },
      { strategy: shared(), hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.exact('/login') } }] })!.message)
      .toBe('ExposedService team-a/shop-v2: routes[0]: host shop.example.com with path exact /login on Gateway infra/public is already claimed by ExposedService team-a/shop; give one of them another host or path');
  });

  test('an API gateway fronted by an ingress class claims every path of its hosts', () => {
    expect(both({ strategy: nginx(), hosts: ['api.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/') } }] },
      { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: nginx() }), hosts: ['api.example.com'], backend: web() })!.message)
      .toBe('ExposedService team-a/shop-v2: hosts: host api.example.com with path prefix / on ingress class nginx is already claimed by ExposedService team-a/shop; give one of them another host or path');
  });

  test('separate apps do not conflict', () => {
    for (let i = 0; i < 2; i++) {
      const chart = new Chart(Testing.app(), 'team-a');
      expect(() => new ExposedService(chart, 'shop', { strategy: nginx(), hosts: ['shop.example.com'], backend: web() })).not.toThrow();
    }
  });
});
