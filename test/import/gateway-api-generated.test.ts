import * as fs from 'fs';
import * as path from 'path';
import { evaluate, show } from './mesh-expr';
import { ExposedService } from '../../src';
import { declareGenerated, generatedFor, importYaml } from '../support/imported-code';
import { find, synthChecked, testChart } from '../support/synth';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'import-corpus');
const read = (file: string) => fs.readFileSync(path.join(CORPUS, file), 'utf8');
const FILES = fs.readdirSync(path.join(CORPUS, 'gateway-api'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.yaml')).sort();

describe('the generated TypeScript of Gateway API inputs', () => {
  test.each(FILES)('gateway-api/%s: compiles and synthesizes on sourceStrategy()', (file) => {
    const yaml = read(`gateway-api/${file}`);
    const result = importYaml(yaml);
    const code = generatedFor(yaml);
    if (result.exposures.length === 0) {
      expect(code).toContain('export function exposures(_chart: Chart, _strategy: ExposureStrategy): ExposedService[] {');
      return;
    }
    const namespaces = [...new Set(result.exposures.map((e) => e.namespace))];
    expect(namespaces).toHaveLength(1);
    const strategies = [...new Set(result.exposures.map((e) => show(e.sourceStrategy)))];
    if (strategies.length === 1) {
      synthChecked(declareGenerated(code, namespaces[0]));
      return;
    }
    // Routes on different listeners of one Gateway: the generated function takes one strategy, so
    // each exposure says what it was written for; each synthesizes on its own.
    for (const strategy of strategies) expect(code).toContain(`// written for: ${strategy}`);
    for (const e of result.exposures) {
      const chart = testChart('imported', e.namespace);
      new ExposedService(chart, e.id, { ...evaluate(e.props), strategy: evaluate(e.sourceStrategy) });
      synthChecked(chart);
    }
  });

  test('basic-http: the exact text', () => {
    expect(generatedFor(read('gateway-api/basic-http.yaml'))).toBe(`// Written by \`cdk8s-expose import\`. Review the \`lost:\` comments: what the declaration could not hold.
import { Chart } from 'cdk8s';
import { Backend, ExposedService, ExposureStrategy, HeaderMatch, PathMatch, QueryParamMatch } from 'cdk8s-expose';

// Not tied to one exposure:
// lost: GatewayClass example: spec: a GatewayClass is the cluster's, not an exposure's: keep applying it

/**
 * The exposures read from the input (namespace default): the chart's namespace is theirs.
 * @param chart the chart to declare them in
 * @param strategy what to synthesize them as (\`sourceStrategy()\`: what the input was written for)
 */
export function exposures(chart: Chart, strategy: ExposureStrategy): ExposedService[] {
  return [
    // from: HTTPRoute default/http-app-1 (input.yaml)
    // from: Gateway default/my-gateway (input.yaml)
    new ExposedService(chart, 'http-app-1', {
      hosts: ['foo.com'],
      routes: [
        { match: { path: PathMatch.prefix('/bar') }, backend: Backend.fromName('my-service1', 8080) },
        {
          match: {
            path: PathMatch.prefix('/some/thing'),
            headers: [HeaderMatch.exact('magic', 'foo')],
            queryParams: [QueryParamMatch.exact('great', 'example')],
            method: 'GET',
          },
          backend: Backend.fromName('my-service2', 8080),
        },
      ],
      strategy,
    }),
  ];
}

/** The strategy the input was written for: the exposures synthesize on it as they were. */
export function sourceStrategy(): ExposureStrategy {
  return ExposureStrategy.gatewayApi({ gatewayClassName: 'example' });
}
`);
  });

  test('http-redirect: the Gateway with HTTPS is referenced, each route on its listener, both in one app', () => {
    const result = importYaml(read('gateway-api/http-redirect.yaml'));
    const chart = testChart('imported', 'gateway-api-example-ns1');
    for (const e of result.exposures) new ExposedService(chart, e.id, { ...evaluate(e.props), strategy: evaluate(e.sourceStrategy) });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'HTTPRoute', 'imported-http-filter-2').spec.parentRefs).toEqual([
      { group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'my-filter-gateway', sectionName: 'https' },
    ]);
  });
});
