import { App, Chart, Duration, Testing } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, Auth, Backend, ExposedService, ExposureError, ExposureStrategy, HeaderMatch, IngressController, PathMatch, RateLimit, Tls,
} from '../src';
import { testChart } from './support/synth';

/**
 * Nothing silently dropped or replaced: where two declarations cannot both hold, or a reference
 * would dangle, synth fails naming both, instead of keeping one.
 */

function errorOf(declare: () => void): string {
  try {
    declare();
  } catch (e) {
    if (e instanceof ExposureError) return e.message;
    throw e;
  }
  throw new Error('expected the declaration to fail');
}

const deployment = (chart: Chart) => new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.4.2', portNumber: 8080, ports: [{ number: 9090 }] }] });
const gatewayApi = () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' });

describe('one Service port of a Deployment backend has one target port and protocol', () => {
  test('across exposures', () => {
    const chart = testChart();
    const api = deployment(chart);
    new ExposedService(chart, 'web', { strategy: gatewayApi(), backend: Backend.fromDeployment(api, { port: 80, targetPort: 8080 }) });
    expect(errorOf(() => new ExposedService(chart, 'grpc', { strategy: gatewayApi(), backend: Backend.fromDeployment(api, { port: 80, targetPort: 9090, protocol: 'grpc' }) })))
      .toBe(`ExposedService test/grpc: backend: port 80 of Deployment "${api.name}" goes to target port 9090 (grpc), but test/web: backend declared it with target port 8080 (http); `
        + 'their Service has one port 80: use another port, or the same target and protocol');
  });

  test('within one exposure', () => {
    const chart = testChart();
    const api = deployment(chart);
    expect(errorOf(() => new ExposedService(chart, 'public', {
      strategy: gatewayApi(),
      backend: Backend.fromDeployment(api, { port: 80, targetPort: 8080 }),
      routes: [{}, { match: { path: undefined, method: 'POST' }, backend: Backend.fromDeployment(api, { port: 80, targetPort: 9090 }) }],
    }))).toBe(`ExposedService test/public: routes[1].backend: port 80 of "${api.name}" goes to target port 9090 (http), but backend declared it with target port 8080 (http); `
      + 'use another port, or the same target and protocol');
  });

  test('a Service strategy selects the pods itself and creates no shared Service port', () => {
    const chart = testChart();
    const api = deployment(chart);
    new ExposedService(chart, 'web', { strategy: gatewayApi(), backend: Backend.fromDeployment(api, { port: 80, targetPort: 8080 }) });
    expect(() => new ExposedService(chart, 'node', { strategy: ExposureStrategy.nodePort(), backend: Backend.fromDeployment(api, { port: 80, targetPort: 9090 }) })).not.toThrow();
  });
});

test('a backend of another App is refused: its Service would land in that App', () => {
  const other = new Chart(Testing.app(), 'other');
  const api = deployment(other);
  const service = new kplus.Service(other, 'svc', { selector: api, ports: [{ port: 80, targetPort: 8080 }] });
  expect(errorOf(() => new ExposedService(testChart(), 'public', { strategy: gatewayApi(), backend: Backend.fromDeployment(api, { port: 8080 }) })))
    .toBe(`ExposedService test/public: backend: Deployment "${api.name}" belongs to another cdk8s App, whose output holds it; declare it in this app, or refer to it with Backend.fromName(name, port)`);
  expect(errorOf(() => new ExposedService(testChart(), 'public', { strategy: gatewayApi(), backend: Backend.fromService(service) })))
    .toBe(`ExposedService test/public: backend: Service "${service.name}" belongs to another cdk8s App, whose output holds it; declare it in this app, or refer to it with Backend.fromName(name, port)`);
});

test('object names are unique per namespace across the charts of an app', () => {
  const app = new App();
  new ExposedService(new Chart(app, 'test', { namespace: 'shop' }), 'x-public', { strategy: gatewayApi(), backend: Backend.fromName('api', 80) });
  expect(errorOf(() => new ExposedService(new Chart(app, 'test-x', { namespace: 'shop' }), 'public', { strategy: gatewayApi(), backend: Backend.fromName('api', 80) })))
    .toContain('ExposedService test-x/public: id: the Gateway "test-x-public" in namespace shop it creates has the name of the one ExposedService test/x-public creates');
  // Other namespaces: no conflict.
  expect(() => new ExposedService(new Chart(app, 'test-x2', { namespace: 'other' }), 'x-public', { strategy: gatewayApi(), backend: Backend.fromName('api', 80) })).not.toThrow();
});

test('ingress({ className: "istio" }) and istio() share the Istio ingress gateway: one claim scope', () => {
  const chart = testChart();
  new ExposedService(chart, 'legacy', { strategy: ExposureStrategy.ingress({ className: 'istio' }), hosts: ['shop.example.com'], backend: Backend.fromName('web', 80) });
  expect(errorOf(() => new ExposedService(chart, 'mesh', { strategy: ExposureStrategy.istio(), hosts: ['shop.example.com'], backend: Backend.fromName('web', 80) })))
    .toBe('ExposedService test/mesh: routes: host shop.example.com with path prefix / on Istio gateway workload {"istio":"ingressgateway"} is already claimed by ExposedService test/legacy; '
      + 'give one of them another host or path');
});

describe('Secrets of a kind the reader does not read are refused', () => {
  test('a TLS Secret for basic auth, a basic-auth Secret for TLS', () => {
    const chart = testChart();
    const tls = new kplus.TlsSecret(chart, 'tls', { tlsCert: 'cert', tlsKey: 'key' });
    const basic = new kplus.BasicAuthSecret(chart, 'basic', { username: 'u', password: 'p' });
    const nginx = ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() });
    expect(errorOf(() => new ExposedService(chart, 'a', { strategy: nginx, backend: Backend.fromName('web', 80), auth: Auth.basic({ secret: tls }) })))
      .toBe(`ExposedService test/a: auth: Secret "${tls.name}" is of type kubernetes.io/tls, whose keys Auth.basic does not read; use an Opaque Secret (see its docs for the keys)`);
    expect(errorOf(() => new ExposedService(chart, 'b', { strategy: nginx, backend: Backend.fromName('web', 80), auth: Auth.basic({ secret: basic }) })))
      .toBe(`ExposedService test/b: auth: Secret "${basic.name}" is of type kubernetes.io/basic-auth, whose keys Auth.basic does not read; use an Opaque Secret (see its docs for the keys)`);
    expect(errorOf(() => new ExposedService(chart, 'c', { strategy: nginx, hosts: ['a.example.com'], backend: Backend.fromName('web', 80), tls: Tls.fromSecret(basic) })))
      .toBe(`ExposedService test/c: tls: Secret "${basic.name}" is of type kubernetes.io/basic-auth, whose keys TLS does not read; use a kubernetes.io/tls Secret`);
    // The right kinds pass.
    expect(() => new ExposedService(chart, 'd', { strategy: nginx, hosts: ['d.example.com'], backend: Backend.fromName('web', 80), tls: Tls.fromSecret(tls) })).not.toThrow();
  });
});

test('Istio refuses a weight whose whole-percentage share would round to 0, instead of dropping the backend', () => {
  expect(errorOf(() => new ExposedService(testChart(), 'public', {
    strategy: ExposureStrategy.istio(),
    routes: [{ backends: [{ backend: Backend.fromName('v1', 80), weight: 1_000_000 }, { backend: Backend.fromName('v2', 80), weight: 1 }] }],
  }))).toBe('ExposedService test/public: routes[0].backends[1].weight: weight 1 of 1000001 is less than the 1% Istio can route (its weights are whole percentages); '
    + 'give it at least 1% of the total, or 0 to send it nothing');
});

test('a Service declared by object and by name is one backend: fromName knows no target port and agrees', () => {
  const chart = testChart();
  const api = deployment(chart);
  const service = new kplus.Service(chart, 'svc', { selector: api, ports: [{ port: 80, targetPort: 8080 }] });
  expect(() => new ExposedService(chart, 'public', {
    strategy: gatewayApi(),
    backend: Backend.fromService(service),
    routes: [{}, { match: { method: 'POST' }, backend: Backend.fromName(service.name, 80) }],
  })).not.toThrow();
});

test('Istio traffic policy values the DestinationRule schema refuses are errors, not YAML', () => {
  expect(errorOf(() => new ExposedService(testChart(), 'public', {
    strategy: ExposureStrategy.istio({
      trafficPolicy: {
        loadBalancer: 'FASTEST' as never,
        connectionPool: { maxRequestsPerConnection: 1.5 },
      },
    }),
    backend: Backend.fromName('api', 80),
  }))).toBe([
    'ExposedService test/public: strategy: trafficPolicy.loadBalancer "FASTEST" is not an Istio load balancer; use ROUND_ROBIN, LEAST_REQUEST, RANDOM, PASSTHROUGH',
    'ExposedService test/public: strategy: trafficPolicy.connectionPool.maxRequestsPerConnection 1.5 is not a count; use a whole number from 0 to 2147483647',
  ].join('\n'));
});

describe('numbers and lengths within every target\'s range', () => {
  const api = () => Backend.fromName('api', 80);
  test.each<[string, () => ExposureStrategy, Record<string, unknown>, string]>([
    ['a rate nginx would print in exponent notation', () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }), { rateLimit: RateLimit.perSecond(1e21) },
      'rateLimit: 1e+21 requests per second is more than 1000000000; no target writes larger rates'],
    ['a timeout beyond Gateway API\'s duration grammar', () => gatewayApi(), { timeout: Duration.hours(100_000) },
      'timeout: 360000000000ms is longer than 99999 hours, the longest duration every strategy can write'],
    ['a path longer than 1024 characters', () => gatewayApi(), { routes: [{ match: { path: PathMatch.prefix(`/${'a'.repeat(1024)}`) } }] },
      `routes[0].match.path: path "/${'a'.repeat(19)}..." is 1025 characters; at most 1024`],
    ['a header value longer than 4096 characters', () => gatewayApi(), { routes: [{ requestHeaders: { set: { 'x-a': 'v'.repeat(4097) } } }] },
      'routes[0].requestHeaders.set: value of "x-a" is 4097 characters; at most 4096'],
    ['more than 16 hostnames in one HTTPRoute', () => gatewayApi(), { hosts: Array.from({ length: 17 }, (_, i) => `h${i}.example.com`) },
      'hosts: 17 hosts; a Gateway API route lists at most 16 hostnames: split the exposure, or use a wildcard host'],
    ['replicas beyond int32', () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), replicas: 2 ** 31 }), {},
      'strategy: replicas 2147483648 is more than 2147483647, the most Kubernetes counts'],
  ])('%s', (_, strategy, props, message) => {
    expect(errorOf(() => new ExposedService(testChart(), 'public', { strategy: strategy(), backend: api(), ...props })))
      .toBe(`ExposedService test/public: ${message}`);
  });
});

// The values ("$", quotes, backslashes) reach nginx literally: the e2e and fuzz tests show it on the real nginx.
test('the NGINX engine refuses the header names nginx would not carry literally', () => {
  const message = (name: string) => `nginx carries header "${name}" only if its name is letters, digits and "-" ("_" reads as "-", "." and "$" as other variables); `
    + 'rename it, or use the Kong engine';
  expect(errorOf(() => new ExposedService(testChart(), 'public', {
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
    backend: Backend.fromName('api', 80),
    routes: [
      { match: { headers: [HeaderMatch.exact('x.role', 'admin')] }, requestHeaders: { set: { '#x': 'a' }, remove: ['x_a'] } },
      { match: { path: PathMatch.prefix('/b') }, responseHeaders: { set: { 'x-b': 'path $1' } }, auth: Auth.basic({ secret: 'admins', realm: 'R $http_x_evil' }) },
      { match: { path: PathMatch.prefix('/c') }, auth: Auth.apiKey({ secret: 'keys', header: 'x$host' }) },
    ],
  }))).toBe([
    `ExposedService test/public: routes[0].match.headers: ${message('x.role')}`,
    `ExposedService test/public: routes[0].requestHeaders: ${message('#x')}`,
    `ExposedService test/public: routes[0].requestHeaders: ${message('x_a')}`,
    `ExposedService test/public: routes[2].auth: ${message('x$host')}`,
  ].join('\n'));
});
