import { Chart, Testing } from 'cdk8s';
import {
  AccessPolicy, ApiGatewayEngine, Backend, ExposedService, ExposedServiceProps, ExposureError, ExposureStrategy, GatewayApiGateway, PathMatch,
  RateLimit,
} from '../src';
import { runReadmeExample } from './support/readme';
import { declarationError, find, Manifest, synthChecked, testChart } from './support/synth';

const api = () => Backend.fromName('api', 8080);
const gatewayApi = () => ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' });
const nginxGateway = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: gatewayApi() });
/** The example: Gateway API where it can, else an API gateway behind Gateway API. */
const preferred = () => ExposureStrategy.firstOf(gatewayApi(), nginxGateway());
const ANNOTATION = 'cdk8s-expose/strategy';

const kinds = (manifests: readonly Manifest[]) => manifests.map((m) => `${m.kind}/${m.metadata.name}`);
const annotations = (manifests: readonly Manifest[]) => [...new Set(manifests.map((m) => m.metadata.annotations?.[ANNOTATION]))];

function errorOf(strategy: ExposureStrategy, props: Partial<ExposedServiceProps> = {}): string {
  return declarationError({ strategy, hosts: ['shop.example.com'], backend: api(), ...props }).message;
}

describe('ExposureStrategy.firstOf', () => {
  test('each exposure gets the first candidate that can express it, named on every object it renders and in strategyName', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const plain = new ExposedService(chart, 'web', { strategy: preferred(), hosts: ['shop.example.com'], backend: Backend.fromName('web', 80) });
    // The standard channel has no rate limit: the API gateway takes this one.
    const limited = new ExposedService(chart, 'api', {
      strategy: preferred(), hosts: ['api.example.com'], backend: api(), rateLimit: RateLimit.perSecond(10),
    });
    expect(plain.strategyName).toBe('gatewayApi');
    expect(limited.strategyName).toBe('apiGateway (nginx)');
    const manifests = synthChecked(app);
    const ofExposure = (name: string) => manifests.filter((m) => (m.metadata.name ?? '').startsWith(`shop-${name}`));
    expect(kinds(ofExposure('web'))).toEqual(['Gateway/shop-web', 'HTTPRoute/shop-web']);
    expect(annotations(ofExposure('web'))).toEqual(['gatewayApi']);
    expect(kinds(ofExposure('api'))).toEqual([
      'ConfigMap/shop-api-gateway-config', 'Deployment/shop-api-gateway', 'Service/shop-api-gateway', 'PodDisruptionBudget/shop-api-gateway',
      'Gateway/shop-api', 'HTTPRoute/shop-api',
    ]);
    expect(annotations(ofExposure('api'))).toEqual(['apiGateway (nginx) via gatewayApi']);
    // What the candidate renders is what it renders alone: the annotation is the only addition.
    const alone = testChart('shop', 'shop');
    new ExposedService(alone, 'api', { strategy: nginxGateway(), hosts: ['api.example.com'], backend: api(), rateLimit: RateLimit.perSecond(10) });
    const withoutAnnotation = ofExposure('api').map((m) => {
      const { [ANNOTATION]: _, ...rest } = m.metadata.annotations ?? {};
      return { ...m, metadata: { ...m.metadata, annotations: Object.keys(rest).length > 0 ? rest : undefined } };
    });
    expect(JSON.parse(JSON.stringify(withoutAnnotation))).toEqual(synthChecked(alone));
  });

  test('its name lists the candidates; firstOf is not a column of the capability matrix', () => {
    expect(preferred().name).toBe('firstOf(gatewayApi, apiGateway (nginx))');
  });

  test('when no candidate can express the exposure, synth fails with every candidate\'s problems', () => {
    const strategy = ExposureStrategy.firstOf(ExposureStrategy.nodePort(), ExposureStrategy.ingress({ className: 'nginx' }));
    expect(errorOf(strategy, { routes: [{ match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perSecond(5) }] })).toBe([
      'ExposedService test/public: strategy: no candidate of ExposureStrategy.firstOf can express the exposure: firstOf[0] nodePort, firstOf[1] ingress',
      'ExposedService test/public: hosts: firstOf[0] nodePort: \'hosts\' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: routes: firstOf[0] nodePort: \'path-routing\' is not supported by nodePort; '
        + 'supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: routes[0].rateLimit: firstOf[0] nodePort: \'rate-limit\' is not supported by nodePort; supported by: ingress (ingressNginx), '
        + 'gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: backend: firstOf[0] nodePort: \'backend-by-name\' is not supported by nodePort; '
        + 'supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      'ExposedService test/public: routes[0].rateLimit: firstOf[1] ingress: \'rate-limit\' is not supported by ingress; supported by: ingress (ingressNginx), '
        + 'gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)',
    ].join('\n'));
  });

  test('an API gateway candidate is judged with its front: the front\'s refusals count', () => {
    const front = ExposureStrategy.loadBalancer({ externalTrafficPolicy: 'Cluster' });
    const strategy = ExposureStrategy.firstOf(ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: front }));
    expect(errorOf(strategy, { access: AccessPolicy.allowFrom(['10.0.0.0/8']) })).toBe([
      'ExposedService test/public: strategy: no candidate of ExposureStrategy.firstOf can express the exposure: firstOf[0] apiGateway (kong) via loadBalancer',
      'ExposedService test/public: exposedVia: firstOf[0] apiGateway (kong) via loadBalancer: externalTrafficPolicy "Cluster" lets nodes replace '
        + 'the client\'s address with their own, and the access lists behind it compare it; use "Local" or leave it unset',
    ].join('\n'));
  });

  test('a declaration with problems is refused for them alone: there is nothing to choose for', () => {
    expect(errorOf(preferred(), { hosts: ['shop..example.com'], rateLimit: RateLimit.perSecond(0) })).toBe([
      'ExposedService test/public: hosts[0]: "shop..example.com" is not an RFC 1123 hostname (label ""); '
        + 'use lowercase letters, digits and "-", labels of 1-63 characters separated by "."',
      'ExposedService test/public: rateLimit: 0 requests per second is not a rate; use a whole number of at least 1',
    ].join('\n'));
  });

  test.each([
    ['no candidates', () => ExposureStrategy.firstOf(),
      'strategy: ExposureStrategy.firstOf has no candidates; list the strategies to choose from, in order of preference'],
    ['a candidate that is not a strategy', () => ExposureStrategy.firstOf(gatewayApi(), 'istio' as never),
      'strategy: firstOf[1] is a string ("istio"); use ExposureStrategy.nodePort(), .loadBalancer(), .ingress(...), .istio(), .gatewayApi(...) or .apiGateway(...)'],
    ['a nested firstOf', () => ExposureStrategy.firstOf(preferred(), gatewayApi()),
      'strategy: firstOf[0] is itself ExposureStrategy.firstOf(...); list its candidates in this one'],
    ['a candidate with wrong options', () => ExposureStrategy.firstOf(ExposureStrategy.gatewayApi({} as never)),
      'strategy: firstOf[0] gatewayApi: set gatewayClassName (to create a Gateway) or gateway (to attach to an existing one)'],
    ['firstOf as an API gateway\'s front', () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: preferred() }),
      'strategy: exposedVia is ExposureStrategy.firstOf(...); choose between whole gateways instead: '
        + 'ExposureStrategy.firstOf(ExposureStrategy.apiGateway({ ..., exposedVia: a }), ExposureStrategy.apiGateway({ ..., exposedVia: b }))'],
  ])('%s is refused', (_, strategy, message) => {
    expect(errorOf(strategy())).toBe(`ExposedService test/public: ${message}`);
  });

  test('claims are the chosen candidate\'s: two exposures choosing one ingress class conflict on a host and path', () => {
    const chart = testChart('team', 'team');
    const strategy = () => ExposureStrategy.firstOf(ExposureStrategy.nodePort(), ExposureStrategy.ingress({ className: 'nginx' }));
    expect(new ExposedService(chart, 'a', { strategy: strategy(), hosts: ['shop.example.com'], backend: api() }).strategyName).toBe('ingress');
    const second = () => new ExposedService(chart, 'b', { strategy: strategy(), hosts: ['shop.example.com'], backend: api() });
    expect(second).toThrow(new ExposureError('ExposedService team/b: routes: host shop.example.com with path prefix / on ingress class nginx '
      + 'is already claimed by ExposedService team/a; give one of them another host or path'));
  });

  test('the choice does not weigh conflicts with other exposures: they are reported after it, for the chosen candidate, '
    + 'and the next candidate is not tried', () => {
    const chart = testChart('team', 'team');
    new ExposedService(chart, 'a', { strategy: ExposureStrategy.ingress({ className: 'nginx' }), hosts: ['shop.example.com'], backend: api() });
    // Gateway API, with a Gateway of its own, would not conflict; the ingress class comes first and is chosen.
    const strategy = ExposureStrategy.firstOf(ExposureStrategy.ingress({ className: 'nginx' }), gatewayApi());
    expect(() => new ExposedService(chart, 'b', { strategy, hosts: ['shop.example.com'], backend: api() }))
      .toThrow(new ExposureError('ExposedService team/b: routes: host shop.example.com with path prefix / on ingress class nginx '
        + 'is already claimed by ExposedService team/a; give one of them another host or path'));
    expect(new ExposedService(chart, 'c', { strategy: gatewayApi(), hosts: ['shop.example.com'], backend: api() }).strategyName).toBe('gatewayApi');
  });

  test('what an exposure shares is the chosen candidate\'s: each adds its listeners to the shared Gateway, which names no choice', () => {
    const chart = testChart('shop', 'shop');
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg', name: 'public' });
    const strategy = ExposureStrategy.firstOf(ExposureStrategy.nodePort(), ExposureStrategy.gatewayApi({ gateway }));
    new ExposedService(chart, 'a', { strategy, hosts: ['a.example.com'], backend: api() });
    new ExposedService(chart, 'b', { strategy, hosts: ['b.example.com'], backend: api() });
    const manifests = synthChecked(chart);
    expect(kinds(manifests)).toEqual(['Gateway/public', 'HTTPRoute/shop-a', 'HTTPRoute/shop-b']);
    expect(find(manifests, 'Gateway').spec.listeners.map((l: { name: string }) => l.name)).toEqual(['shop-a-http-0', 'shop-b-http-0']);
    // Shared by the exposures, which may choose differently: the Gateway names no choice; their routes do.
    expect(manifests.map((m) => m.metadata.annotations?.[ANNOTATION])).toEqual([undefined, 'gatewayApi', 'gatewayApi']);
  });
});

test('the README\'s firstOf example: Gateway API for the plain exposure, the API gateway for the rate-limited one', () => {
  const chart = testChart('shop', 'shop');
  runReadmeExample('API gateway behind Gateway API:', { chart });
  const manifests = synthChecked(chart);
  expect(manifests.map((m) => `${m.kind}/${m.metadata.name}: ${m.metadata.annotations?.[ANNOTATION]}`)).toEqual([
    'Gateway/shop-web: gatewayApi',
    'HTTPRoute/shop-web: gatewayApi',
    'ConfigMap/shop-api-gateway-config: apiGateway (nginx) via gatewayApi',
    'Deployment/shop-api-gateway: apiGateway (nginx) via gatewayApi',
    'Service/shop-api-gateway: apiGateway (nginx) via gatewayApi',
    'PodDisruptionBudget/shop-api-gateway: apiGateway (nginx) via gatewayApi',
    'Gateway/shop-api: apiGateway (nginx) via gatewayApi',
    'HTTPRoute/shop-api: apiGateway (nginx) via gatewayApi',
  ]);
});
