import * as fs from 'fs';
import * as path from 'path';
import { declareGenerated, generatedFor } from '../support/imported-code';
import { find, synthChecked } from '../support/synth';

const CORPUS = path.join(__dirname, '..', 'fixtures', 'import-corpus');
const read = (file: string) => fs.readFileSync(path.join(CORPUS, file), 'utf8');

describe('the generated TypeScript of Istio inputs', () => {
  test('httpbin: the exact text, which compiles and synthesizes on sourceStrategy()', () => {
    const code = generatedFor(read('istio/httpbin/httpbin-gateway.yaml'));
    expect(code).toBe(`// Written by \`cdk8s-expose import\`. Review the \`lost:\` comments: what the declaration could not hold.
import { Chart } from 'cdk8s';
import { Backend, ExposedService, ExposureStrategy, IstioGateway } from 'cdk8s-expose';

/**
 * The exposures read from the input (namespace default): the chart's namespace is theirs.
 * @param chart the chart to declare them in
 * @param strategy what to synthesize them as (\`sourceStrategy()\`: what the input was written for)
 */
export function exposures(chart: Chart, strategy: ExposureStrategy): ExposedService[] {
  return [
    // from: VirtualService default/httpbin (input.yaml)
    // from: Gateway default/httpbin-gateway (input.yaml)
    new ExposedService(chart, 'httpbin', {
      routes: [{ backend: Backend.fromName('httpbin', 8000) }],
      strategy,
    }),
  ];
}

/** The strategy the input was written for: the exposures synthesize on it as they were. */
export function sourceStrategy(): ExposureStrategy {
  return ExposureStrategy.istio({ gateway: IstioGateway.create() });
}
`);
    const manifests = synthChecked(declareGenerated(code));
    expect(find(manifests, 'VirtualService').spec.gateways).toEqual(['imported-httpbin']);
  });

  test('bookinfo: the losses are comments next to the exposure', () => {
    const code = generatedFor(read('istio/bookinfo/networking/bookinfo-gateway.yaml'));
    expect(code).toContain('    // from: VirtualService default/bookinfo (input.yaml)\n'
      + '    // from: Gateway default/bookinfo-gateway (input.yaml)\n'
      + '    // lost: Gateway default/bookinfo-gateway: spec: not what IstioGateway.create makes (it has no single HTTP server on port 80; it has servers on other '
      + 'ports or protocols): the exposure binds to it as IstioGateway.existing, so keep applying it; other strategies do not get its servers\n');
    synthChecked(declareGenerated(code));
  });

  test('a Gateway, a VirtualService, DestinationRule subsets and policies, a RequestAuthentication: compiles and synthesizes', () => {
    const code = generatedFor(`
apiVersion: networking.istio.io/v1
kind: Gateway
metadata: { name: public, namespace: istio-system }
spec:
  selector: { istio: ingressgateway }
  servers:
  - { port: { number: 80, name: http, protocol: HTTP }, hosts: [shop/shop.example.com], tls: { httpsRedirect: true } }
  - { port: { number: 443, name: https, protocol: HTTPS }, hosts: [shop/shop.example.com], tls: { mode: SIMPLE, credentialName: shop-tls } }
---
apiVersion: networking.istio.io/v1
kind: VirtualService
metadata: { name: shop, namespace: shop }
spec:
  hosts: [shop.example.com]
  gateways: [istio-system/public]
  http:
  - match: [{ uri: { prefix: /api }, headers: { x-canary: { exact: "1" } } }]
    route: [{ destination: { host: api, subset: v2, port: { number: 8080 } } }]
    retries: { attempts: 2, retryOn: 5xx }
  - match: [{ uri: { prefix: /api } }]
    route:
    - { destination: { host: api, subset: v1, port: { number: 8080 } }, weight: 90 }
    - { destination: { host: api, subset: v2, port: { number: 8080 } }, weight: 10 }
    timeout: 10s
  - route: [{ destination: { host: web, port: { number: 80 } } }]
---
apiVersion: networking.istio.io/v1
kind: DestinationRule
metadata: { name: api, namespace: shop }
spec:
  host: api
  trafficPolicy: { loadBalancer: { simple: LEAST_REQUEST }, connectionPool: { tcp: { maxConnections: 50 } } }
  subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
---
apiVersion: security.istio.io/v1
kind: RequestAuthentication
metadata: { name: jwt, namespace: istio-system }
spec:
  selector: { matchLabels: { istio: ingressgateway } }
  jwtRules: [{ issuer: https://id.example.com, jwksUri: https://id.example.com/jwks }]
`);
    const manifests = synthChecked(declareGenerated(code, 'shop'));
    expect(find(manifests, 'Gateway').metadata.namespace).toBe('istio-system');
    expect(code).toContain('// lost: DestinationRule shop/api: spec.trafficPolicy: the declaration\'s circuit breaker and the istio strategy\'s trafficPolicy '
      + 'apply to every backend of the exposure: shop/web get them too');
    expect(find(manifests, 'DestinationRule', 'imported-shop-api').spec).toMatchObject({
      trafficPolicy: { loadBalancer: { simple: 'LEAST_REQUEST' }, connectionPool: { tcp: { maxConnections: 50 } } },
      subsets: [{ name: 'v1', labels: { version: 'v1' } }, { name: 'v2', labels: { version: 'v2' } }],
    });
    expect(find(manifests, 'RequestAuthentication').spec.jwtRules).toEqual([{ issuer: 'https://id.example.com', jwks_uri: 'https://id.example.com/jwks' }]);
  });
});
