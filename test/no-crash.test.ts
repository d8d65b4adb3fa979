import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import * as fc from 'fast-check';
import {
  ApiGatewayEngine, Auth, Backend, ExposedService, ExposedServiceProps, ExposureError, ExposureStrategy, GatewayApiGateway, GatewayImplementation,
  HeaderMatch, IstioGateway, PathMatch, QueryParamMatch, RateLimit, Tls, GrpcProto,
} from '../src';
import { testChart } from './support/synth';

/**
 * No crash, ever: whatever a JavaScript caller (or a cast) passes to a public entry point, synth
 * fails with an ExposureError whose every line names the construct path and a field, never with
 * a TypeError or a bare error.
 */
jest.setTimeout(120_000);

/** Declares `props` as `test/public`; the error it fails with, or undefined. */
function declare(props: unknown): Error | undefined {
  try {
    new ExposedService(testChart(), 'public', props as ExposedServiceProps);
  } catch (e) {
    return e as Error;
  }
  return undefined;
}

// A field: names, indexes, and quoted keys for members that are not names (`cors[" "]`).
const LINE = /^ExposedService test\/public: (?:[\w.$-]|\[\d+\]|\["(?:[^"\\]|\\.)*"\])+: \S.*$/s;

/** Declares `props`: it either synthesizes or fails with an ExposureError, each line naming a field. */
function expectNoCrash(props: unknown): void {
  const error = declare(props);
  if (error === undefined) return;
  if (!(error instanceof ExposureError)) throw new Error(`not an ExposureError: ${error.stack}`);
  for (const line of error.message.split('\n')) expect(line).toMatch(LINE);
}

const api = () => Backend.fromName('api', 8080);
const istio = () => ExposureStrategy.istio();
const nginxGateway = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
const anyValue = (): unknown => undefined;

describe('values of the wrong type are errors naming the field', () => {
  test.each<[string, () => unknown, string]>([
    ['a host that is undefined', () => ({ strategy: istio(), hosts: [anyValue()], backend: api() }), 'hosts[0]: is undefined; use a string'],
    ['hosts as a string', () => ({ strategy: istio(), hosts: 'a.example.com', backend: api() }), 'hosts: is a string ("a.example.com"); use an array'],
    ['a null route', () => ({ strategy: istio(), routes: [null], backend: api() }), 'routes[0]: is null; use a route'],
    ['a path given as a string', () => ({ strategy: istio(), routes: [{ match: { path: '/api' } }], backend: api() }),
      'routes[0].match.path: is a string ("/api"); use PathMatch.prefix(path), PathMatch.exact(path) or PathMatch.regex(pattern)'],
    ['PathMatch.prefix(5)', () => ({ strategy: istio(), routes: [{ match: { path: PathMatch.prefix(5 as never) } }], backend: api() }),
      'routes[0].match.path: path is a number (5); use a string'],
    ['no strategy', () => ({ strategy: undefined, backend: api() }),
      'strategy: is undefined; use ExposureStrategy.nodePort(), .loadBalancer(), .ingress(...), .istio(), .gatewayApi(...) or .apiGateway(...)'],
    ['a plain object as backend', () => ({ strategy: istio(), backend: { name: 'api', port: 8080 } }),
      'backend: is an object; use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)'],
    ['a fractional-millisecond timeout', () => ({ strategy: istio(), backend: api(), timeout: Duration.millis(1.5) }), 'timeout: 1.5ms is not a whole number of milliseconds'],
    ['a NaN timeout', () => ({ strategy: istio(), backend: api(), timeout: Duration.millis(NaN) }), 'timeout: NaNms is not a positive duration; leave it unset for the default'],
    ['a misspelled field', () => ({ strategy: istio(), backend: api(), rout: [] }), 'rout: is not a field of the props of an ExposedService; did you mean routes?'],
    ['a misspelled route field', () => ({ strategy: istio(), backend: api(), routes: [{ timout: Duration.seconds(1) }] }),
      'routes[0].timout: is not a field of a route; did you mean timeout?'],
    ['Auth.basic without options', () => ({ strategy: nginxGateway(), backend: api(), auth: Auth.basic(undefined as never) }), 'auth: options is undefined; use an object'],
    ['RateLimit with null options', () => ({ strategy: nginxGateway(), backend: api(), rateLimit: RateLimit.perSecond(1, null as never) }), 'rateLimit: options is null; use an object'],
    ['Backend.fromService of a plain object', () => ({ strategy: istio(), backend: Backend.fromService({} as never) }),
      'backend: service is an object; use a cdk8s-plus Service, or Backend.fromName(name, port)'],
    ['Backend.fromDeployment of an object without the members of a cdk8s-plus Deployment', () => ({
      strategy: istio(), backend: Backend.fromDeployment({ name: 'api', node: {}, metadata: {}, containers: [{}] } as never),
    }), 'backend: deployment is an object; use a cdk8s-plus Deployment, or Backend.fromName(name, port)'],
    ['Backend.fromService of a construct that holds no Kubernetes object', () => ({
      strategy: istio(), backend: Backend.fromService(Object.assign(new Construct(testChart(), 's'), { name: 's', metadata: {}, ports: [{ port: 80 }] })),
    }), 'backend: service is a Construct; use a cdk8s-plus Service, or Backend.fromName(name, port)'],
    ['a Deployment whose namespace is a number', () => ({
      strategy: istio(), backend: Backend.fromDeployment({ name: 'api', node: {}, metadata: { namespace: 7 }, matchLabels: {}, containers: [] } as never),
    }), 'backend: deployment is an object; use a cdk8s-plus Deployment, or Backend.fromName(name, port)'],
    ['a Deployment whose pod labels are numbers', () => ({
      strategy: istio(), backend: Backend.fromDeployment({ name: 'api', node: {}, metadata: {}, matchLabels: { app: 1 }, containers: [] } as never),
    }), 'backend: deployment is an object; use a cdk8s-plus Deployment, or Backend.fromName(name, port)'],
    ['a negative CPU amount', () => ({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), resources: { cpu: { request: { amount: '-1' } } } }), backend: api(),
    }), "strategy: options.resources.cpu.request is an object; use Cpu.millis(n) or Cpu.units(n) of cdk8s-plus, or { amount: '250m' } (a Kubernetes quantity)"],
    ['a CPU amount that is not a quantity', () => ({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), resources: { cpu: { limit: { amount: 'two cores' } } } }), backend: api(),
    }), "strategy: options.resources.cpu.limit is an object; use Cpu.millis(n) or Cpu.units(n) of cdk8s-plus, or { amount: '250m' } (a Kubernetes quantity)"],
    ['a weight given as a string', () => ({ strategy: istio(), routes: [{ backends: [{ backend: api(), weight: '90' }] }] }),
      'routes[0].backends[0].weight: is a string ("90"); use a finite number'],
    ['a header value that is a number', () => ({ strategy: istio(), backend: api(), routes: [{ requestHeaders: { set: { 'x-a': 1 } } }] }),
      'routes[0].requestHeaders.set.x-a: is a number (1); use a string'],
    ['a NodePort given as a string', () => ({ strategy: ExposureStrategy.nodePort({ nodePort: '30080' as never }), backend: api() }),
      'strategy: options.nodePort is a string ("30080"); use a finite number'],
    ['an Ingress controller given by name', () => ({ strategy: ExposureStrategy.ingress({ className: 'nginx', controller: 'ingress-nginx' as never }), backend: api() }),
      'strategy: options.controller is a string ("ingress-nginx"); use IngressController.generic() or IngressController.ingressNginx()'],
    ['an engine body limit given in bytes', () => ({ strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ maxBodySize: 1024 as never }) }), backend: api() }),
      'strategy: engine options.maxBodySize is a number (1024); use a cdk8s Size, e.g. Size.mebibytes(8)'],
    ['an existing Istio Gateway without options', () => ({ strategy: ExposureStrategy.istio({ gateway: IstioGateway.existing(undefined as never) }), backend: api() }),
      'strategy: gateway options is undefined; use an object'],
    ['a misspelled Gateway API option', () => ({ strategy: ExposureStrategy.gatewayApi({ gatewayClasName: 'eg' } as never), backend: api() }),
      'strategy: options.gatewayClasName is not a field of the options of ExposureStrategy.gatewayApi; did you mean gatewayClassName?'],
    ['a Gateway API implementation given by name', () => ({ strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: 'envoy' as never }), backend: api() }),
      'strategy: options.implementation is a string ("envoy"); use GatewayImplementation.envoyGateway(), .traefik(), .nginxGatewayFabric(), .kong() or .istio()'],
    ['an NGINX Gateway Fabric option of the wrong type', () => ({
      strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric({ nginxPlus: 'yes' as never }) }),
      backend: api(),
    }), 'strategy: implementation options.nginxPlus is a string ("yes"); use true or false'],
    ['an Istio implementation option of the wrong type', () => ({
      strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: GatewayImplementation.istio({ externalAuthProvider: 5 } as never) }), backend: api(),
    }), 'strategy: implementation.externalAuthProvider is a number (5); use a string'],
  ])('%s', (_, props, message) => {
    const error = declare(props());
    expect(error).toBeInstanceOf(ExposureError);
    expect(error!.message).toBe(`ExposedService test/public: ${message}`);
  });

  test('every problem of a kind at once, each with its field', () => {
    // Types first: the values the other checks read must be what they claim to be.
    expect(declare({ strategy: istio(), hosts: [1], backend: api(), routes: [null, { timeout: '5s' }], tls: 'shop-tls' })!.message).toBe([
      'ExposedService test/public: hosts[0]: is a number (1); use a string',
      'ExposedService test/public: routes[0]: is null; use a route',
      'ExposedService test/public: routes[1].timeout: is a string ("5s"); use a cdk8s Duration, e.g. Duration.seconds(5)',
      'ExposedService test/public: tls: is a string ("shop-tls"); use Tls.fromSecret(secret) or Tls.certManager({ clusterIssuer })',
    ].join('\n'));
    expect(declare({ strategy: nginxGateway(), backend: Backend.fromName(null as never, '80' as never, null as never), auth: Auth.basic({ secret: 5 as never }) })!.message).toBe([
      'ExposedService test/public: backend: name is null; use a string',
      'ExposedService test/public: backend: port is a string ("80"); use a finite number',
      'ExposedService test/public: backend: options is null; use an object',
      'ExposedService test/public: auth: secret is a number (5); use the Secret\'s name or a cdk8s-plus Secret',
    ].join('\n'));
  });
});

describe('arbitrary values into every entry point', () => {


  const value = fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: true });

  test('props and each of their fields', () => {
    fc.assert(fc.property(value, fc.constantFrom('hosts', 'backend', 'routes', 'tls', 'timeout', 'retries', 'cors', 'rateLimit', 'auth', 'props'), (v, field) => {
      expectNoCrash(field === 'props' ? v : { strategy: istio(), backend: api(), [field]: v });
    }), { numRuns: 400 });
  });

  test('each field of a route', () => {
    const fields = ['protocol', 'match', 'backend', 'backends', 'redirect', 'rewrite', 'requestHeaders', 'responseHeaders', 'mirror', 'fault',
      'timeout', 'retries', 'cors', 'rateLimit', 'auth', 'grpcWeb', 'jsonTranscoding'];
    fc.assert(fc.property(value, fc.constantFrom(...fields), (v, field) => {
      expectNoCrash({ strategy: istio(), backend: api(), routes: [{ [field]: v }] });
    }), { numRuns: 600 });
  });

  test('the factories of the declaration', () => {
    const factories: ((a: unknown, b: unknown, c: unknown) => Partial<ExposedServiceProps>)[] = [
      (a) => ({ routes: [{ match: { path: PathMatch.prefix(a as never) } }] }),
      (a) => ({ routes: [{ match: { path: PathMatch.exact(a as never) } }] }),
      (a) => ({ routes: [{ match: { path: PathMatch.regex(a as never) } }] }),
      (a, b) => ({ routes: [{ match: { headers: [HeaderMatch.exact(a as never, b as never)] } }] }),
      (a, b) => ({ routes: [{ match: { headers: [HeaderMatch.regex(a as never, b as never)] } }] }),
      (a, b) => ({ routes: [{ match: { queryParams: [QueryParamMatch.exact(a as never, b as never)] } }] }),
      (a, b, c) => ({ backend: Backend.fromName(a as never, b as never, c as never) }),
      (a, b) => ({ backend: Backend.fromService(a as never, b as never) }),
      (a, b) => ({ backend: Backend.fromDeployment(a as never, b as never) }),
      (a, b) => ({ hosts: ['a.example.com'], tls: Tls.fromSecret(a as never, b as never) }),
      (a) => ({ hosts: ['a.example.com'], tls: Tls.certManager(a as never) }),
      (a) => ({ auth: Auth.apiKey(a as never) }),
      (a) => ({ auth: Auth.basic(a as never) }),
      (a) => ({ auth: Auth.jwt(a as never) }),
      (a, b) => ({ auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', jwksSecret: a, jwksConfigMap: b } as never) }),
      (a, b) => ({ rateLimit: RateLimit.perSecond(a as never, b as never) }),
      (a, b) => ({ rateLimit: RateLimit.perMinute(a as never, b as never) }),
      (a, b) => ({ routes: [{ backend: Backend.fromName('catalog', 9090, { protocol: 'grpc' }), jsonTranscoding: GrpcProto.fromConfigMap(a as never, b as never) }] }),
    ];
    fc.assert(fc.property(fc.nat(factories.length - 1), value, value, value, (i, a, b, c) => {
      let props: Partial<ExposedServiceProps>;
      // The factories themselves never throw: what they were given is checked at synth, with the field.
      expect(() => { props = factories[i](a, b, c); }).not.toThrow();
      expectNoCrash({ strategy: istio(), backend: api(), ...props! });
    }), { numRuns: 800 });
  });

  test('a real Deployment and Service with arbitrary options', () => {
    fc.assert(fc.property(value, fc.boolean(), (options, service) => {
      const chart = testChart();
      const dep = new kplus.Deployment(chart, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.4.2', portNumber: 8080 }] });
      const backend = service
        ? Backend.fromService(new kplus.Service(chart, 'svc', { selector: dep, ports: [{ port: 80, targetPort: 8080 }] }), options as never)
        : Backend.fromDeployment(dep, options as never);
      try {
        new ExposedService(chart, 'public', { strategy: istio(), backend });
      } catch (e) {
        if (!(e instanceof ExposureError)) throw e;
      }
    }), { numRuns: 200 });
  });
});

describe('arbitrary values into every strategy factory', () => {
  const value = fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true });
  // The options of each factory, and of the option objects they take, as a JavaScript caller may give them.
  const factories: ((v: unknown) => ExposureStrategy)[] = [
    (v) => ExposureStrategy.nodePort(v as never),
    (v) => ExposureStrategy.loadBalancer(v as never),
    (v) => ExposureStrategy.ingress(v as never),
    (v) => ExposureStrategy.ingress({ className: 'nginx', controller: v as never }),
    (v) => ExposureStrategy.istio(v as never),
    (v) => ExposureStrategy.istio({ gateway: IstioGateway.create(v as never) }),
    (v) => ExposureStrategy.istio({ gateway: IstioGateway.existing(v as never) }),
    (v) => ExposureStrategy.istio({ trafficPolicy: v as never }),
    (v) => ExposureStrategy.gatewayApi(v as never),
    (v) => ExposureStrategy.gatewayApi({ gateway: v as never }),
    (v) => ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create(v as never) }),
    (v) => ExposureStrategy.apiGateway(v as never),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(v as never) }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(v as never) }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: v as never }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), autoscaling: v as never }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), replicas: v as never, resources: v as never }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), monitoring: v as never }),
    (v) => ExposureStrategy.apiGateway({
      engine: ApiGatewayEngine.kong(), monitoring: { serviceMonitor: true, alerts: v as never, labels: v as never },
    }),
    (v) => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx({ metricsImage: v as never }), monitoring: { scrapeInterval: v as never } }),
    // firstOf: its candidates as anything, one or many, beside a valid one, or with options of anything.
    (v) => ExposureStrategy.firstOf(v as never),
    (v) => ExposureStrategy.firstOf(...(Array.isArray(v) ? v : [v]) as never[]),
    (v) => ExposureStrategy.firstOf(ExposureStrategy.nodePort(), v as never),
    (v) => ExposureStrategy.firstOf(
      ExposureStrategy.gatewayApi(v as never), ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(v as never) }),
    ),
  ];

  test('the factories never throw; synth fails with an ExposureError naming a field', () => {
    fc.assert(fc.property(fc.nat(factories.length - 1), value, fc.boolean(), (i, v, inObject) => {
      const option = inObject && typeof v !== 'object' ? { [String(v)]: v } : v;
      let strategy: ExposureStrategy;
      expect(() => { strategy = factories[i](option); }).not.toThrow();
      expectNoCrash({ strategy: strategy!, hosts: ['shop.example.com'], backend: Backend.fromName('api', 8080) });
    }), { numRuns: 1500 });
  });
});
