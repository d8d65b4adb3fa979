import { App, Chart, Duration, Testing } from 'cdk8s';
import { build as migration } from '../examples/migration/app';
import {
  ADVISE_CONTEXT, adviceTable, advise, ApiGatewayEngine, Auth, Backend, CAPABILITY_MATRIX, ExposedService, ExposedServiceProps, ExposureAdvice,
  ExposureStrategy, PathMatch, RateLimit, TcpPort,
} from '../src';
import { defaultCandidates } from '../src/strategy-candidates';
import { runReadmeExample } from './support/readme';
import { synthChecked } from './support/synth';

const api = () => Backend.fromName('api', 8080);

/** Declarations that different strategies refuse differently. */
const DECLARATIONS: Record<string, () => Omit<ExposedServiceProps, 'strategy'>> = {
  'one Service port': () => ({ backend: api() }),
  'hosts and a timeout': () => ({ hosts: ['shop.example.com'], backend: api(), timeout: Duration.seconds(5) }),
  'a retried, rate-limited API': () => ({
    hosts: ['api.example.com'],
    backend: api(),
    retries: { attempts: 2 },
    routes: [{ match: { path: PathMatch.exact('/orders'), method: 'POST' }, rateLimit: RateLimit.perMinute(60) }, {}],
  }),
  'API keys and a TCP port': () => ({
    hosts: ['api.example.com'],
    backend: api(),
    auth: Auth.apiKey({ secret: 'api-keys' }),
    tcp: [TcpPort.of(5432, Backend.fromName('db', 5432))],
  }),
};

/** The lines synth reports when the exposure is declared with `strategy` alone, at the same path; none when it synthesizes. */
function synthErrorLines(props: Omit<ExposedServiceProps, 'strategy'>, strategy: ExposureStrategy): string[] {
  const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
  try {
    new ExposedService(chart, 'api', { ...props, strategy });
  } catch (e) {
    return (e as Error).message.split('\n');
  }
  synthChecked(chart);
  return [];
}

describe('strategy advisor', () => {
  test('the default candidates are the columns of the capability matrix, the API gateways behind a LoadBalancer Service', () => {
    const chart = new Chart(Testing.app(), 'shop');
    new ExposedService(chart, 'api', { strategy: ExposureStrategy.istio(), backend: api() });
    const [advice] = advise(chart);
    expect(advice.candidates.map((c) => c.strategy)).toEqual(Object.values(CAPABILITY_MATRIX).map((row) => (row.strategy.startsWith('apiGateway') ? `${row.strategy} via loadBalancer` : row.strategy)));
  });

  test.each(Object.entries(DECLARATIONS))('%s: each candidate refuses exactly what synth with it refuses, word for word', (_, declaration) => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    new ExposedService(chart, 'api', { ...declaration(), strategy: ExposureStrategy.firstOf(...defaultCandidates()) });
    const [advice] = advise(chart);
    const candidates = defaultCandidates();
    advice.candidates.forEach((c, i) => {
      const lines = synthErrorLines(declaration(), candidates[i]);
      expect({ strategy: c.strategy, problems: c.problems }).toEqual({ strategy: c.strategy, problems: lines });
      expect(c.canExpress).toBe(lines.length === 0);
    });
    // Each declaration is expressed by some and refused by others: the comparison is not vacuous.
    expect(advice.candidates.some((c) => c.canExpress)).toBe(true);
    expect(advice.candidates.some((c) => !c.canExpress)).toBe(true);
  });

  test('the migration example: ingress-nginx today, which strategies tomorrow', () => {
    const app = Testing.app();
    migration(app);
    const advice = advise(app);
    expect(advice.map((a) => [a.path, a.strategy, a.rendersWith])).toEqual([
      ['ingress-nginx/shop', 'ingress (ingressNginx)', 'ingress (ingressNginx)'],
      ['gateway-api/shop', 'gatewayApi (envoyGateway)', 'gatewayApi (envoyGateway)'],
    ]);
    expect(advice[0].candidates.filter((c) => c.canExpress).map((c) => c.strategy)).toEqual([
      'ingress (ingressNginx)', 'gatewayApi (envoyGateway)', 'gatewayApi (envoyGateway, experimental)', 'apiGateway (nginx) via loadBalancer',
    ]);
    const byName = new Map(advice[0].candidates.map((c) => [c.strategy, c]));
    expect(byName.get('istio')!.problems).toEqual([
      'ExposedService ingress-nginx/shop: routes[0].rateLimit: \'rate-limit\' is not supported by istio; supported by: ingress (ingressNginx), '
        + 'gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)',
    ]);
    expect(byName.get('apiGateway (kong) via loadBalancer')!.problems).toEqual([
      'ExposedService ingress-nginx/shop: routes[1].redirect: \'redirect\' is not supported by apiGateway (kong); supported by: ingress (ingressNginx), '
        + 'istio, gatewayApi, apiGateway (nginx)',
    ]);
  });

  test('the table: per exposure, strategy | can express | what it would refuse, one problem a line', () => {
    const chart = new Chart(Testing.app(), 'shop');
    new ExposedService(chart, 'web', { strategy: ExposureStrategy.istio(), backend: api() });
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.firstOf(ExposureStrategy.istio(), ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() })),
      hosts: ['api.example.com'],
      backend: api(),
      rateLimit: RateLimit.perSecond(5),
    });
    const candidates = [ExposureStrategy.nodePort(), ExposureStrategy.istio()];
    expect(adviceTable(advise(chart, { candidates }))).toBe([
      'ExposedService shop/web (strategy: istio, can express it)',
      'strategy | can express | what it would refuse',
      '---------+-------------+---------------------',
      'nodePort | no          | backend: \'backend-by-name\' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      'istio    | yes         |',
      '',
      'ExposedService shop/api (strategy: firstOf(istio, apiGateway (nginx)), renders with apiGateway (nginx) via loadBalancer)',
      'strategy | can express | what it would refuse',
      '---------+-------------+---------------------',
      'nodePort | no          | hosts: \'hosts\' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      '         |             | rateLimit: \'rate-limit\' is not supported by nodePort; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), '
        + 'gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)',
      '         |             | backend: \'backend-by-name\' is not supported by nodePort; supported by: ingress, istio, gatewayApi, apiGateway (nginx), apiGateway (kong)',
      'istio    | no          | rateLimit: \'rate-limit\' is not supported by istio; supported by: ingress (ingressNginx), gatewayApi (envoyGateway), '
        + 'gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)',
      '',
    ].join('\n'));
  });

  test('in advise mode an exposure its strategy refuses renders nothing and is advised on; the app goes on', () => {
    const app = new App({ outdir: Testing.app().outdir });
    app.node.setContext(ADVISE_CONTEXT, true);
    const chart = new Chart(app, 'shop');
    const refused = new ExposedService(chart, 'api', { strategy: ExposureStrategy.istio(), hosts: ['api.example.com'], backend: api(), rateLimit: RateLimit.perSecond(5) });
    new ExposedService(chart, 'web', { strategy: ExposureStrategy.istio(), hosts: ['www.example.com'], backend: api() });
    expect(refused.resources).toEqual({});
    const manifests = synthChecked(app);
    expect(manifests.map((m) => `${m.kind}/${m.metadata.name}`)).toEqual(['Gateway/shop-web', 'VirtualService/shop-web']);
    const advice: ExposureAdvice[] = advise(app, { candidates: [ExposureStrategy.istio()] });
    expect(advice).toEqual([
      {
        path: 'shop/api',
        strategy: 'istio',
        rendersWith: undefined,
        declarationProblems: [],
        candidates: [{
          strategy: 'istio',
          canExpress: false,
          problems: ['ExposedService shop/api: rateLimit: \'rate-limit\' is not supported by istio; supported by: ingress (ingressNginx), '
            + 'gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)'],
        }],
      },
      { path: 'shop/web', strategy: 'istio', rendersWith: 'istio', declarationProblems: [], candidates: [{ strategy: 'istio', canExpress: true, problems: [] }] },
    ]);
  });

  test('an empty CDK8S_EXPOSE_ADVICE_FILE is not advise mode: an exposure its strategy refuses throws as in any synth', () => {
    const before = process.env.CDK8S_EXPOSE_ADVICE_FILE;
    process.env.CDK8S_EXPOSE_ADVICE_FILE = '';
    try {
      const chart = new Chart(Testing.app(), 'shop');
      expect(() => new ExposedService(chart, 'api', { strategy: ExposureStrategy.istio(), hosts: ['api.example.com'], backend: api(), rateLimit: RateLimit.perSecond(5) }))
        .toThrow(new Error('ExposedService shop/api: rateLimit: \'rate-limit\' is not supported by istio; supported by: ingress (ingressNginx), '
          + 'gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)'));
    } finally {
      if (before === undefined) delete process.env.CDK8S_EXPOSE_ADVICE_FILE;
      else process.env.CDK8S_EXPOSE_ADVICE_FILE = before;
    }
  });

  test('in advise mode an invalid declaration is advised on too: no candidate can express it until it is fixed', () => {
    const chart = new Chart(Testing.app(), 'shop');
    chart.node.setContext(ADVISE_CONTEXT, true);
    new ExposedService(chart, 'api', { strategy: ExposureStrategy.istio(), hosts: ['API.example.com'], backend: api() });
    expect(advise(chart, { candidates: [ExposureStrategy.istio()] })).toEqual([{
      path: 'shop/api',
      strategy: 'istio',
      rendersWith: undefined,
      declarationProblems: ['ExposedService shop/api: hosts[0]: "API.example.com" has uppercase letters; hostnames are lowercase: "api.example.com"'],
      candidates: [{ strategy: 'istio', canExpress: false, problems: [] }],
    }]);
  });

  test('candidates that are not strategies are refused', () => {
    expect(() => advise(new Chart(Testing.app(), 'shop'), { candidates: ['istio' as never] }))
      .toThrow(new TypeError('advise: every candidate must be an ExposureStrategy (ExposureStrategy.gatewayApi(...), ...)'));
  });
});

test('the README\'s advise example runs: both candidates express a plain exposure', () => {
  const app = Testing.app();
  new ExposedService(new Chart(app, 'shop', { namespace: 'shop' }), 'api', { strategy: ExposureStrategy.istio(), hosts: ['api.example.com'], backend: api() });
  const printed: string[] = [];
  runReadmeExample('call the function:', { app, expect, console: { log: (text: string) => printed.push(text) } });
  expect(printed).toEqual([[
    'ExposedService shop/api (strategy: istio, can express it)',
    'strategy                  | can express | what it would refuse',
    '--------------------------+-------------+---------------------',
    'gatewayApi (envoyGateway) | yes         |',
    'istio                     | yes         |',
    '',
  ].join('\n')]);
});
