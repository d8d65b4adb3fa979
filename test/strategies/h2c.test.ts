import * as kplus from 'cdk8s-plus-27';
import {
  ApiGatewayEngine, Backend, BackendTls, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy, IngressController, PathMatch,
} from '../../src';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

/** HTTP/2 without TLS to the backend (`protocol: 'h2c'`) on every strategy: what each renders, and what each refuses (exact messages). */

const STRATEGIES = {
  nodePort: () => ExposureStrategy.nodePort(),
  loadBalancer: () => ExposureStrategy.loadBalancer(),
  ingress: () => ExposureStrategy.ingress({ className: 'nginx' }),
  ingressNginx: () => ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
  istio: () => ExposureStrategy.istio(),
  gatewayApi: () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
  gatewayApiExperimental: () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true }),
  nginx: () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
  kong: () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
};
type StrategyName = keyof typeof STRATEGIES;

const prefix = 'ExposedService test/public: ';
const api = () => Backend.fromName('api', 8080, { protocol: 'h2c' });

/** An exposure of a Deployment whose container speaks h2c on 8080; its Service is created by the library. */
function exposeDeployment(strategy: StrategyName, props: Partial<ExposedServiceProps> = {}): Manifest[] {
  const chart = testChart('test', 'shop');
  const deployment = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
  new ExposedService(chart, 'public', {
    strategy: STRATEGIES[strategy](), backend: Backend.fromDeployment(deployment, { protocol: 'h2c' }), ...props,
  });
  return synthChecked(chart);
}

function expose(strategy: StrategyName, props: Partial<ExposedServiceProps>): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: STRATEGIES[strategy](), hosts: ['shop.example.com'], ...props });
  return synthChecked(chart);
}

const errorOf = (strategy: StrategyName, props: Partial<ExposedServiceProps>) =>
  declarationError({ strategy: STRATEGIES[strategy](), hosts: ['shop.example.com'], ...props }, 'shop').message;

/** The ClusterIP Service the library creates for the Deployment (not the exposure's own Service). */
const backendService = (manifests: Manifest[]) => ofKind(manifests, 'Service').find((s) => s.spec.type === 'ClusterIP')!;

describe('h2c backends', () => {
  describe('istio: the DestinationRule upgrades the port to HTTP/2', () => {
    test('Backend.fromName: port-level connectionPool.http.h2UpgradePolicy UPGRADE; the route stays an HTTP route', () => {
      const manifests = expose('istio', { backend: api() });
      expect(find(manifests, 'DestinationRule').spec).toEqual({
        host: 'api.shop.svc.cluster.local',
        trafficPolicy: { portLevelSettings: [{ port: { number: 8080 }, connectionPool: { http: { h2UpgradePolicy: 'UPGRADE' } } }] },
      });
      const route = find(manifests, 'VirtualService').spec.http[0];
      expect(route.route).toEqual([{ destination: { host: 'api.shop.svc.cluster.local', port: { number: 8080 } } }]);
    });

    test('the traffic policy (the strategy\'s and the circuit breaker\'s) is repeated at the port, with the upgrade added to its http settings', () => {
      const chart = testChart('test', 'shop');
      new ExposedService(chart, 'public', {
        strategy: ExposureStrategy.istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } }),
        hosts: ['shop.example.com'],
        backend: api(),
        circuitBreaker: CircuitBreaker.of({ maxConnections: 10, maxRequests: 100 }),
      });
      const policy = find(synthChecked(chart), 'DestinationRule').spec.trafficPolicy;
      expect(policy.connectionPool).toEqual({ tcp: { maxConnections: 10 }, http: { http2MaxRequests: 100 } });
      expect(policy.portLevelSettings).toEqual([{
        port: { number: 8080 },
        loadBalancer: { simple: 'LEAST_REQUEST' },
        connectionPool: { tcp: { maxConnections: 10 }, http: { http2MaxRequests: 100, h2UpgradePolicy: 'UPGRADE' } },
      }]);
    });

    test('h2c and TLS ports of one Service: one port-level setting each', () => {
      const manifests = expose('istio', {
        routes: [
          { match: { path: PathMatch.prefix('/a') }, backend: api() },
          { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('api', 8443, { tls: BackendTls.unverified() }) },
        ],
      });
      expect(find(manifests, 'DestinationRule').spec.trafficPolicy.portLevelSettings).toEqual([
        { port: { number: 8080 }, connectionPool: { http: { h2UpgradePolicy: 'UPGRADE' } } },
        { port: { number: 8443 }, tls: { mode: 'SIMPLE', insecureSkipVerify: true } },
      ]);
    });

    test('Backend.fromDeployment: the created Service\'s port is named http2 with appProtocol kubernetes.io/h2c', () => {
      const manifests = exposeDeployment('istio', { hosts: ['shop.example.com'] });
      expect(backendService(manifests).spec.ports).toEqual([{ name: 'http2-8080', appProtocol: 'kubernetes.io/h2c', port: 8080, targetPort: 8080 }]);
      expect(find(manifests, 'DestinationRule').spec.trafficPolicy.portLevelSettings[0].connectionPool).toEqual({ http: { h2UpgradePolicy: 'UPGRADE' } });
    });

    test('refused: one port of a Service declared h2c by one subset and http by another', () => {
      expect(errorOf('istio', {
        routes: [
          { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromName('api', 8080, { protocol: 'h2c', subset: { name: 'v1', labels: { v: '1' } } }) },
          { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromName('api', 8080, { subset: { name: 'v2', labels: { v: '2' } } }) },
        ],
      })).toBe(`${prefix}routes[1].backend: port 8080 of "api" has one HTTP version in a DestinationRule; routes[0].backend declared it "h2c", `
        + 'this backend "http": declare the same protocol');
    });
  });

  describe('gatewayApi: the Service port\'s appProtocol (GEP-1911)', () => {
    test.each(['gatewayApi', 'gatewayApiExperimental'] as const)('%s: Backend.fromDeployment, an HTTPRoute to the created Service whose port says kubernetes.io/h2c', (strategy) => {
      const manifests = exposeDeployment(strategy, { hosts: ['shop.example.com'] });
      expect(backendService(manifests).spec.ports).toEqual([{ name: 'http2-8080', appProtocol: 'kubernetes.io/h2c', port: 8080, targetPort: 8080 }]);
      expect(ofKind(manifests, 'GRPCRoute')).toHaveLength(0);
      expect(find(manifests, 'HTTPRoute').spec.rules[0].backendRefs).toEqual([{ name: backendService(manifests).metadata.name, port: 8080 }]);
    });

    test('refused: a Service the exposure does not create (Backend.fromName, Backend.fromService)', () => {
      expect(errorOf('gatewayApi', { backend: api() })).toBe(`${prefix}backend: Gateway API reads HTTP/2 cleartext from the Service port's appProtocol, `
        + 'and Service "api" is not created by this exposure: set appProtocol: kubernetes.io/h2c on its port 8080 and remove protocol "h2c", '
        + 'or use Backend.fromDeployment(...), or istio');
      const chart = testChart('test', 'shop');
      const service = new kplus.Service(chart, 'catalog', { ports: [{ port: 9000 }] });
      expect(() => new ExposedService(chart, 'public', {
        strategy: STRATEGIES.gatewayApi(), backend: Backend.fromService(service, { protocol: 'h2c' }),
      })).toThrow(`${prefix}backend: Gateway API reads HTTP/2 cleartext from the Service port's appProtocol, and Service "${service.name}" is not created by this exposure: `
        + 'set appProtocol: kubernetes.io/h2c on its port 9000 and remove protocol "h2c", or use Backend.fromDeployment(...), or istio');
    });
  });

  describe('nodePort and loadBalancer: the Service\'s port says kubernetes.io/h2c', () => {
    test.each(['nodePort', 'loadBalancer'] as const)('%s', (strategy) => {
      const manifests = exposeDeployment(strategy);
      const service = ofKind(manifests, 'Service').find((s) => s.spec.type === (strategy === 'nodePort' ? 'NodePort' : 'LoadBalancer'))!;
      expect(service.spec.ports).toEqual([{ name: 'http2', appProtocol: 'kubernetes.io/h2c', protocol: 'TCP', port: 8080, targetPort: 8080 }]);
    });
  });

  describe('refused where the data plane cannot speak HTTP/2 without TLS to a backend', () => {
    test.each([
      ['ingress', 'ingress'],
      ['ingressNginx', 'ingress (ingressNginx)'],
      ['nginx', 'apiGateway (nginx)'],
      ['kong', 'apiGateway (kong)'],
    ] as const)('%s', (strategy, row) => {
      expect(errorOf(strategy, { backend: api() })).toBe(`${prefix}backend: 'h2c' is not supported by ${row}; supported by: nodePort, loadBalancer, istio, gatewayApi`);
    });
  });

  describe('declaration', () => {
    test('routes to h2c backends are HTTP routes; a gRPC route to them is refused', () => {
      expect(errorOf('istio', { routes: [{ match: { path: PathMatch.prefix('/') }, backend: api(), protocol: 'grpc' }] })).toBe(
        `${prefix}routes[0].protocol: is "grpc" but the backends are declared "h2c" (HTTP/2 that is not gRPC); declare them "grpc" or remove protocol`);
      expect(errorOf('istio', {
        routes: [{ match: { path: PathMatch.prefix('/') }, backends: [{ backend: api(), weight: 1 }, { backend: Backend.fromName('rpc', 9090, { protocol: 'grpc' }), weight: 1 }] }],
      })).toBe(`${prefix}routes[0]: mixes gRPC and HTTP backends; a route speaks one protocol`);
    });

    test('h2c and tls together, and an unknown protocol, are refused', () => {
      expect(errorOf('istio', { backend: Backend.fromName('api', 8443, { protocol: 'h2c', tls: BackendTls.unverified() }) })).toBe(
        `${prefix}backend: protocol "h2c" is HTTP/2 without TLS, and tls is declared; for HTTP over TLS declare protocol "http" `
        + '(HTTP/2 is then negotiated where the proxy offers it)');
      expect(errorOf('istio', { backend: Backend.fromName('api', 8080, { protocol: 'h2' as any }) })).toBe(
        `${prefix}backend: protocol "h2" is not a protocol; use "http", "grpc" or "h2c"`);
    });

    test('one port of a Deployment declared h2c and http is refused', () => {
      const chart = testChart('test', 'shop');
      const deployment = new kplus.Deployment(chart, 'api', { containers: [{ image: 'api', portNumber: 8080 }] });
      expect(() => new ExposedService(chart, 'public', {
        strategy: STRATEGIES.istio(),
        routes: [
          { match: { path: PathMatch.prefix('/a') }, backend: Backend.fromDeployment(deployment, { protocol: 'h2c' }) },
          { match: { path: PathMatch.prefix('/b') }, backend: Backend.fromDeployment(deployment) },
        ],
      })).toThrow(`${prefix}routes[1].backend: port 8080 of "${deployment.name}" goes to target port 8080 (http), but routes[0].backend declared it with target port 8080 (h2c); `
        + 'use another port, or the same target and protocol');
    });
  });
});
