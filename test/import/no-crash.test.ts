import * as fc from 'fast-check';
import { importManifests } from '../../src/import/import-manifests';
import { SourceDocument } from '../../src/import/model';
import { writeTypeScript } from '../../src/import/write-typescript';
import { declareGenerated, loadGenerated } from '../support/imported-code';

/**
 * Whatever the input, the importer answers (exposures, losses, errors) and the writer's output
 * parses: no crash on odd values where the Ingress schema expects others.
 */
const A = 'nginx.ingress.kubernetes.io/';
const ANNOTATIONS = ['rewrite-target', 'use-regex', 'canary', 'canary-weight', 'canary-by-header', 'canary-by-cookie', 'enable-cors', 'cors-allow-origin',
  'cors-allow-methods', 'cors-max-age', 'proxy-read-timeout', 'proxy-send-timeout', 'proxy-next-upstream', 'proxy-next-upstream-tries', 'limit-rps',
  'limit-rpm', 'limit-burst-multiplier', 'auth-type', 'auth-secret', 'auth-url', 'whitelist-source-range', 'proxy-body-size', 'affinity',
  'session-cookie-max-age', 'backend-protocol', 'upstream-vhost', 'permanent-redirect', 'temporal-redirect', 'app-root', 'x-forwarded-prefix',
  'mirror-target', 'ssl-passthrough', 'auth-tls-secret', 'auth-tls-verify-client', 'ssl-redirect', 'configuration-snippet', 'made-up'];

const anyValue = fc.oneof(
  fc.string(), fc.integer(), fc.constant(null), fc.boolean(),
  fc.array(fc.string(), { maxLength: 2 }), fc.dictionary(fc.string(), fc.string(), { maxKeys: 2 }),
);
/** Mostly the shape the schema asks for, sometimes anything. */
const mostly = <T>(a: fc.Arbitrary<T>) => fc.oneof({ arbitrary: a, weight: 8 }, { arbitrary: anyValue, weight: 1 });
const text = fc.oneof(fc.string(), fc.constantFrom('/', '/api', '/a(/|$)(.*)', '/$2', '10', 'true', 'shop.example.com', 'http://a.b.svc:80$request_uri', '0', '8m'));

const ingress = fc.record({
  apiVersion: fc.constantFrom('networking.k8s.io/v1', 'networking.k8s.io/v1beta1'),
  kind: fc.constant('Ingress'),
  metadata: fc.record({
    name: mostly(fc.constantFrom('web', 'canary')),
    namespace: fc.option(fc.constantFrom('shop', ''), { nil: undefined }),
    annotations: mostly(fc.dictionary(fc.constantFrom(...ANNOTATIONS.map((a) => A + a), 'cert-manager.io/cluster-issuer', 'kubernetes.io/ingress.class'), text, { maxKeys: 6 })),
  }),
  spec: mostly(fc.record({
    ingressClassName: fc.option(fc.constantFrom('nginx', 'traefik'), { nil: undefined }),
    tls: mostly(fc.array(fc.record({ hosts: mostly(fc.array(text, { maxLength: 2 })), secretName: mostly(text) }), { maxLength: 2 })),
    defaultBackend: fc.option(anyValue, { nil: undefined }),
    rules: mostly(fc.array(fc.record({
      host: fc.oneof({ arbitrary: fc.constantFrom('shop.example.com', 'api.example.com', '*.example.com'), weight: 6 }, { arbitrary: text, weight: 1 }),
      http: mostly(fc.record({
        paths: fc.array(fc.record({
          path: fc.oneof({ arbitrary: fc.constantFrom('/', '/api', '/a(/|$)(.*)', '/v[0-9]+/.*', '/b/'), weight: 6 }, { arbitrary: text, weight: 1 }),
          pathType: mostly(fc.constantFrom('Prefix', 'Exact', 'ImplementationSpecific')),
          backend: mostly(fc.record({
            service: fc.record({ name: mostly(fc.constantFrom('web', 'api')), port: mostly(fc.oneof(fc.record({ number: mostly(fc.integer({ min: 0, max: 70000 })) }), fc.record({ name: text }))) }),
          })),
        }), { maxLength: 3 }),
      })),
    }), { maxLength: 3 })),
  })),
});

test('any Ingress: the importer answers and its output parses', () => {
  fc.assert(fc.property(fc.array(ingress, { minLength: 1, maxLength: 3 }), (manifests) => {
    const documents: SourceDocument[] = manifests.map((manifest) => ({ manifest, file: 'fuzz.yaml' }));
    const result = importManifests(documents);
    const code = writeTypeScript(result);
    const exports = loadGenerated(code, { 'cdk8s-expose': {}, 'cdk8s': {} });
    expect(Object.keys(exports).length).toBeGreaterThan(0);
  }), { numRuns: 400, seed: 20 });
});

let declared = 0;
test('any Ingress: what the importer writes is a declaration the library takes, on the strategy of the source', () => {
  fc.assert(fc.property(fc.array(ingress, { minLength: 1, maxLength: 3 }), (manifests) => {
    const documents: SourceDocument[] = manifests.map((manifest) => ({ manifest, file: 'fuzz.yaml' }));
    const result = importManifests(documents);
    declared += result.exposures.length;
    for (const namespace of new Set(result.exposures.map((e) => e.namespace))) {
      for (const exposure of result.exposures.filter((e) => e.namespace === namespace)) {
        const code = writeTypeScript({ exposures: [exposure], losses: [], errors: [] });
        try {
          declareGenerated(code, namespace);
        } catch (e) {
          // What the input says and the ingress-nginx strategy does not render (ingress-nginx itself does):
          // canaries by header or cookie, an auth service in another namespace, x-forwarded-prefix.
          const gaps = /'(header-match|cross-namespace-backend|request-headers)' is not supported by ingress \(ingressNginx\)/;
          if ((e as Error).message.split('\n').every((line) => gaps.test(line))) continue;
          throw new Error(`${(e as Error).message}\n${code}`);
        }
      }
    }
  }), { numRuns: 300, seed: 21 });
  // The generator makes exposures, not only losses.
  expect(declared).toBeGreaterThan(50);
});
