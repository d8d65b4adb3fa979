import { Testing, Chart } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ApiGatewayEngine, Backend, ExposedService, ExposureError, ExposureStrategy, IstioGateway, PathMatch, TcpPort, TlsPassthrough } from '../src';
import { ofKind, synthChecked } from './support/synth';

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
let deployments = 0;
const deployment = (chart: Chart) => new kplus.Deployment(chart, `app-${deployments++}`, { containers: [{ image: 'app:1', ports: [{ number: 8080 }] }] });
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

  test('streams on one gateway workload: a TCP port is one exposure\'s; a passthrough port is shared by hostname', () => {
    const istio = () => ExposureStrategy.istio();
    const db = () => Backend.fromName('db', 5432);
    expect(both({ strategy: istio(), tcp: [TcpPort.of(5432, db())] }, { strategy: istio(), tcp: [TcpPort.of(5432, db())] })!.message)
      .toBe('ExposedService team-a/shop-v2: tcp[0].port: port 5432 on Istio gateway workload {"istio":"ingressgateway"} is already claimed by ExposedService team-a/shop (a TCP port); '
        + 'give one of them another port');
    expect(both({ strategy: istio(), passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 5432 })] }, { strategy: istio(), tcp: [TcpPort.of(5432, db())] })!.message)
      .toBe('ExposedService team-a/shop-v2: tcp[0].port: port 5432 on Istio gateway workload {"istio":"ingressgateway"} is already claimed by ExposedService team-a/shop (TLS passthrough); '
        + 'give one of them another port');
    expect(both({ strategy: istio(), passthrough: [TlsPassthrough.host('db.example.com', db())] }, { strategy: istio(), passthrough: [TlsPassthrough.host('db.example.com', db())] })!.message)
      .toBe('ExposedService team-a/shop-v2: passthrough[0].host: "db.example.com" on port 443 of Istio gateway workload {"istio":"ingressgateway"} is already passed through by '
        + 'ExposedService team-a/shop; give one of them another host or port');
    expect(both({ strategy: istio(), passthrough: [TlsPassthrough.host('db.example.com', db())] },
      { strategy: istio(), passthrough: [TlsPassthrough.host('mq.example.com', db())] })).toBeUndefined();
  });

  test('streams of an API gateway claim its front\'s ports and hostnames, as the front\'s own would', () => {
    const db = () => Backend.fromName('db', 5432);
    const gateway = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() });
    const error = both({ strategy: ExposureStrategy.istio(), tcp: [TcpPort.of(5432, db())] }, { strategy: gateway(), tcp: [TcpPort.of(5432, db())] });
    expect(error!.message)
      .toBe('ExposedService team-a/shop-v2: tcp[0].port: port 5432 on Istio gateway workload {"istio":"ingressgateway"} is already claimed by ExposedService team-a/shop (a TCP port); '
        + 'give one of them another port');
    expect(both({ strategy: gateway(), passthrough: [TlsPassthrough.host('db.example.com', db())] },
      { strategy: gateway(), passthrough: [TlsPassthrough.host('mq.example.com', db())] })).toBeUndefined();
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

  test('objects whose names meet fail: construct paths a/b and a-b give one name', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ExposedService(chart, 'api-v1', { strategy: ExposureStrategy.loadBalancer(), backend: Backend.fromDeployment(deployment(chart)) });
    expect(() => new ExposedService(new Construct(chart, 'api'), 'v1', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromDeployment(deployment(chart)) }))
      .toThrow(new ExposureError('ExposedService shop/api/v1: id: the Service "shop-api-v1" in namespace shop it creates has the name of the one ExposedService shop/api-v1 creates, '
        + 'and one would replace the other when applied; give one of them another id (names are made of the construct path, so "a/b" and "a-b" meet)'));
  });

  test('an API gateway\'s Service meets the Service of an exposure named like it', () => {
    const chart = new Chart(Testing.app(), 'shop');
    new ExposedService(chart, 'api', { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: nginx() }), hosts: ['api.example.com'], backend: web() });
    expect(() => new ExposedService(chart, 'api-gateway', { strategy: ExposureStrategy.loadBalancer(), backend: Backend.fromDeployment(deployment(chart)) }))
      .toThrow('ExposedService shop/api-gateway: id: the Service "shop-api-gateway" it creates has the name of the one ExposedService shop/api creates');
  });

  test('the same names in other charts or of other kinds do not conflict', () => {
    const app = Testing.app();
    for (const id of ['team-a', 'team-b']) {
      const chart = new Chart(app, id);
      new ExposedService(new Construct(chart, 'x'), 'y', { strategy: ExposureStrategy.loadBalancer(), backend: Backend.fromDeployment(deployment(chart)) });
      // An Ingress with the Service's name: another kind.
      new ExposedService(chart, 'x-y', { strategy: nginx(), hosts: [`${id}.example.com`], backend: web() });
      const manifests = synthChecked(chart);
      expect([...ofKind(manifests, 'Service'), ...ofKind(manifests, 'Ingress')].map((m) => `${m.kind} ${m.metadata.name}`)).toEqual([`Service ${id}-x-y`, `Ingress ${id}-x-y`]);
    }
  });

  test('separate apps do not conflict', () => {
    for (let i = 0; i < 2; i++) {
      const chart = new Chart(Testing.app(), 'team-a');
      expect(() => new ExposedService(chart, 'shop', { strategy: nginx(), hosts: ['shop.example.com'], backend: web() })).not.toThrow();
    }
  });
});
