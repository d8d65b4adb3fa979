import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, ApiGatewayEngine, Auth, Backend, BackendTls, CircuitBreaker, ExposedService, ExposureStrategy, IngressController, IstioGateway,
  SessionAffinity, TcpPort, TlsPassthrough,
} from '../../src';
import { declarationError, synthChecked, testChart } from '../support/synth';

/**
 * Features that meet on one exposure: a stream and an HTTP policy on one Service or gateway, TLS
 * to a stream's or the auth service's backend. Each is rendered whole or refused, never halved.
 */

const nginx = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
const istio = () => ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) });
const error = (props: Parameters<typeof declarationError>[0]) => declarationError(props, 'shop').message;

describe('streams next to HTTP policies', () => {
  test('TLS to a stream\'s backend is refused on every strategy: a passthrough keeps the client\'s TLS, a TCP port its bytes', () => {
    for (const strategy of [nginx(), istio()]) {
      expect(error({
        strategy,
        passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432, { tls: BackendTls.unverified() }))],
        tcp: [TcpPort.of(9000, Backend.fromName('api', 8443, { tls: BackendTls.fromSecret('api-ca', { serverName: 'api.shop.svc' }) }))],
      })).toBe([
        'ExposedService test/public: passthrough[0].backend: is declared with tls, and a stream is forwarded as the client sent it '
          + '(a passthrough keeps the client\'s TLS end to end); remove tls',
        'ExposedService test/public: tcp[0].backend: is declared with tls, and a stream is forwarded as the client sent it '
          + '(a passthrough keeps the client\'s TLS end to end); remove tls',
      ].join('\n'));
    }
  });

  test('the NGINX engine refuses a circuit breaker with streams: its stream upstreams carry no max_conns', () => {
    expect(error({ strategy: nginx(), tcp: [TcpPort.of(6379, Backend.fromName('redis', 6379))], circuitBreaker: CircuitBreaker.of({ maxConnections: 10 }) }))
      .toBe('ExposedService test/public: circuitBreaker: the NGINX engine limits the connections of its HTTP routes, not of the passthrough and tcp streams; '
        + 'declare the streams in an exposure of their own, or use istio');
  });

  test('Istio refuses affinity on a Service a stream reaches too: one load balancer per Service would pin the stream', () => {
    expect(error({
      strategy: istio(),
      hosts: ['a.example.com'],
      backend: Backend.fromName('api', 8080),
      affinity: SessionAffinity.clientIp(),
      tcp: [TcpPort.of(6379, Backend.fromName('api', 6379))],
    })).toBe('ExposedService test/public: affinity: Istio holds one load balancer per Service, and tcp[0] reaches Service shop/api too: '
      + 'its connections would be pinned by affinity client IP; send the stream to another Service, or remove affinity');
    // Another Service's stream is fine.
    const chart = testChart('test', 'shop');
    new ExposedService(chart, 'public', {
      strategy: istio(),
      hosts: ['a.example.com'],
      backend: Backend.fromName('api', 8080),
      affinity: SessionAffinity.clientIp(),
      tcp: [TcpPort.of(6379, Backend.fromName('redis', 6379))],
    });
    expect(synthChecked(chart).filter((m) => m.kind === 'DestinationRule').map((m) => m.spec.host)).toEqual(['api.shop.svc.cluster.local']);
  });

  test('a loadBalancer refuses client IP affinity with TCP ports: sessionAffinity is the whole Service\'s', () => {
    const chart = testChart('test', 'shop');
    const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1', portNumber: 8080 }] });
    expect(() => new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.loadBalancer(),
      backend: Backend.fromDeployment(api),
      affinity: SessionAffinity.clientIp(),
      tcp: [TcpPort.of(6379, Backend.fromDeployment(api, { port: 6379, targetPort: 8080 }))],
    })).toThrow('ExposedService test/public: affinity: sessionAffinity: ClientIP would pin every port of the Service, the TCP ports too; '
      + 'declare the TCP ports in an exposure of their own');
  });

  test('Istio refuses client IP lists with streams: on TCP connections the DENY policy cannot be scoped by host', () => {
    expect(error({
      strategy: istio(),
      hosts: ['a.example.com'],
      backend: Backend.fromName('api', 8080),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      tcp: [TcpPort.of(6379, Backend.fromName('redis', 6379))],
    })).toBe('ExposedService test/public: access: Istio enforces client IP lists on the gateway workload, and on its TCP connections an AuthorizationPolicy '
      + 'cannot be scoped by host: the list would apply to the streams too; declare the streams in an exposure of their own');
  });
});

describe('the auth service\'s protocol and TLS', () => {
  const authWithTls = () => Auth.external({ service: Backend.fromName('auth', 9443, { tls: BackendTls.unverified() }) });

  test('ingress-nginx and the NGINX engine call the auth service over plain HTTP: TLS to it is refused', () => {
    expect(error({
      strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
      hosts: ['a.example.com'],
      backend: Backend.fromName('api', 8080),
      auth: authWithTls(),
    })).toBe('ExposedService test/public: auth.service: ingress-nginx calls the auth service over plain HTTP (auth-url) and cannot verify its certificate; '
      + 'remove tls, or use gatewayApi (experimental)');
    expect(error({ strategy: nginx(), hosts: ['a.example.com'], backend: Backend.fromName('api', 8080), auth: authWithTls() }))
      .toBe('ExposedService test/public: auth.service: the NGINX engine calls the auth service over plain HTTP; remove tls, or use gatewayApi (experimental)');
  });

  test('an auth service declared h2c is named as such', () => {
    const strategy = ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }), externalAuthProvider: 'authz' });
    expect(error({ strategy, hosts: ['a.example.com'], backend: Backend.fromName('api', 8080), auth: Auth.external({ service: Backend.fromName('auth', 9000, { protocol: 'h2c' }) }) }))
      .toBe('ExposedService test/public: auth.service: the auth service is declared with protocol "h2c"; external authentication sends it HTTP/1.1 requests: use an HTTP port');
  });
});

test('Kong\'s headless Service of a TLS backend names its port https, as the created Service does', () => {
  const chart = testChart('test', 'shop');
  const api = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1', portNumber: 8443 }] });
  new ExposedService(chart, 'public', {
    strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
    backend: Backend.fromDeployment(api, { port: 8443, tls: BackendTls.unverified() }),
    affinity: SessionAffinity.header('x-user'),
  });
  const services = synthChecked(chart).filter((m) => m.kind === 'Service' && m.spec.ports.some((p: any) => p.port === 8443));
  expect(services.map((s) => [s.spec.clusterIP === 'None' ? 'headless' : 'created', s.spec.ports.map((p: any) => p.name)]).sort())
    .toEqual([['created', ['https-8443']], ['headless', ['https-8443']]]);
});
