import { corpus, documents, evaluate, show } from './mesh-expr';
import { ExposedService, route } from '../../src';
import { readGatewayApi } from '../../src/import/gateway-api-reader';
import { ImportResult, Loss } from '../../src/import/model';
import { find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const exposuresOf = (r: ImportResult) => r.exposures.map((e) => `${e.namespace}/${e.id}: ${show(e.props)}\n  on ${show(e.sourceStrategy)}`);
const lossLines = (losses: readonly Loss[]) => losses.map((l) => `${l.source} ${l.field} [${l.kind}] ${l.reason}`);

/** What the generated code declares, synthesized on the source's own strategy. */
function synthOnSource(r: ImportResult): Manifest[] {
  const namespaces = [...new Set(r.exposures.map((e) => e.namespace))];
  expect(namespaces).toHaveLength(1);
  const chart = testChart('imported', namespaces[0]);
  for (const e of r.exposures) new ExposedService(chart, e.id, { ...evaluate(e.props), strategy: evaluate(e.sourceStrategy) });
  return synthChecked(chart);
}

const GATEWAY_API_FILES = [
  'basic-http.yaml', 'http-cors/httproute-all-origins-no-creds.yaml', 'http-cors/httproute-credentials-true.yaml',
  'http-cors/httproute-specific-origin-no-creds.yaml', 'http-filter.yaml', 'http-redirect-path.yaml',
  'http-redirect-rewrite/gateway-redirect-http-https.yaml', 'http-redirect-rewrite/httproute-redirect-303.yaml',
  'http-redirect-rewrite/httproute-redirect-307.yaml', 'http-redirect-rewrite/httproute-redirect-http.yaml',
  'http-redirect-rewrite/httproute-redirect-https.yaml', 'http-redirect-rewrite/httproute-redirect-prefix.yaml',
  'http-redirect-rewrite/httproute-rewrite-full-path.yaml', 'http-redirect-rewrite/httproute-rewrite.yaml', 'http-redirect.yaml',
  'http-request-header-add.yaml', 'http-request-header-set.yaml', 'http-rewrite.yaml', 'http-routing/bar-httproute.yaml',
  'http-routing/foo-httproute.yaml', 'http-routing/gateway.yaml', 'httproute.yaml', 'reference-grant.yaml', 'simple-gateway/gateway.yaml',
  'simple-gateway/httproute.yaml', 'simple-http-https/bar-route.yaml', 'simple-http-https/foo-route.yaml', 'simple-http-https/gateway.yaml',
  'simple-http-https/tls-redirect-route.yaml', 'traffic-splitting/simple-split.yaml', 'traffic-splitting/traffic-split-1.yaml',
  'traffic-splitting/traffic-split-3.yaml',
];

describe('Gateway API reader: the corpus', () => {
  test.each(GATEWAY_API_FILES)('%s: every exposure synthesizes on its source strategy', (file) => {
    const r = readGatewayApi(corpus(`gateway-api/${file}`));
    expect(r.errors).toEqual([]);
    if (r.exposures.length > 0) synthOnSource(r);
  });

  test('basic-http: a Gateway of HTTP :80 listeners is created alike from its class; path, header, query and method matches', () => {
    const r = readGatewayApi(corpus('gateway-api/basic-http.yaml'));
    expect(exposuresOf(r)).toEqual([
      "default/http-app-1: { hosts: ['foo.com'], routes: [{ match: { path: PathMatch.prefix('/bar') }, backend: Backend.fromName('my-service1', 8080) }, "
      + "{ match: { path: PathMatch.prefix('/some/thing'), headers: [HeaderMatch.exact('magic', 'foo')], queryParams: [QueryParamMatch.exact('great', 'example')], "
      + "method: 'GET' }, backend: Backend.fromName('my-service2', 8080) }] }\n  on ExposureStrategy.gatewayApi({ gatewayClassName: 'example' })",
    ]);
    expect(r.exposures[0].losses).toEqual([]);
    expect(lossLines(r.losses)).toEqual([
      'GatewayClass example spec [not-portable] a GatewayClass is the cluster\'s, not an exposure\'s: keep applying it',
    ]);
    const manifests = synthOnSource(r);
    expect(find(manifests, 'Gateway').spec.gatewayClassName).toBe('example');
    expect(route(manifests, 'GET http://foo.com/bar/x')).toMatchObject({ kind: 'forward', backend: 'my-service1:8080' });
    expect(route(manifests, 'GET http://foo.com/barx')).toMatchObject({ kind: 'respond', status: 404 });
    expect(route(manifests, 'GET http://foo.com/some/thing?great=example', { headers: { magic: 'foo' } })).toMatchObject({ backend: 'my-service2:8080' });
  });

  test('http-redirect: routes on the listeners of an HTTPS Gateway attach to it as it is', () => {
    const r = readGatewayApi(corpus('gateway-api/http-redirect.yaml'));
    expect(exposuresOf(r)).toEqual([
      "gateway-api-example-ns1/http-filter-1: { hosts: ['my-filter.example.com'], routes: [{ redirect: { scheme: 'https', statusCode: 302 } }] }\n"
      + "  on ExposureStrategy.gatewayApi({ gateway: { name: 'my-filter-gateway', namespace: 'gateway-api-example-ns1', sectionName: 'http' } })",
      "gateway-api-example-ns1/http-filter-2: { hosts: ['my-filter.example.com'], routes: [{ backend: Backend.fromName('my-filter-svc1', 80) }] }\n"
      + "  on ExposureStrategy.gatewayApi({ gateway: { name: 'my-filter-gateway', namespace: 'gateway-api-example-ns1', sectionName: 'https' } })",
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'Gateway gateway-api-example-ns1/my-filter-gateway spec [not-portable] not what gatewayApi({ gatewayClassName }) makes (it has listeners other than '
      + 'HTTP on port 80; its listeners set more than hostname, port and protocol): the exposure attaches to it as an existing Gateway, so keep applying it; '
      + 'other strategies do not get its listeners',
    ]);
    expect(lossLines(r.losses)).toEqual([
      'GatewayClass filter-lb spec [not-portable] a GatewayClass is the cluster\'s, not an exposure\'s: keep applying it',
    ]);
    const redirect = find(synthOnSource(r), 'HTTPRoute', 'imported-http-filter-1');
    expect(redirect.spec.rules[0].filters).toEqual([{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 302 } }]);
  });

  test('path modifiers the declaration cannot mean, and a rule without backends', () => {
    expect(lossLines(readGatewayApi(corpus('gateway-api/http-redirect-rewrite/httproute-redirect-prefix.yaml')).losses)).toEqual([
      'HTTPRoute default/http-filter-redirect spec.rules[0].matches[0] [unsupported] a RequestRedirect ReplacePrefixMatch: the declaration\'s redirect replaces '
      + 'the whole path; this match is not carried over',
      'HTTPRoute default/http-filter-redirect spec.rules [unsupported] no route could be declared: not imported',
    ]);
    expect(lossLines(readGatewayApi(corpus('gateway-api/http-redirect-rewrite/httproute-rewrite-full-path.yaml')).losses)).toEqual([
      'HTTPRoute default/http-filter-rewrite spec.rules[0].matches[0] [unsupported] a URLRewrite ReplaceFullPath on a prefix match: the declaration replaces '
      + 'the matched prefix; this match is not carried over',
      'HTTPRoute default/http-filter-rewrite spec.rules [unsupported] no route could be declared: not imported',
    ]);
    expect(lossLines(readGatewayApi(corpus('gateway-api/http-rewrite.yaml')).losses)).toEqual([
      'HTTPRoute gateway-api-example-ns1/http-filter-1 spec.rules[0] [unsupported] no backend could be declared: the rule is not carried over',
      'HTTPRoute gateway-api-example-ns1/http-filter-1 spec.rules [unsupported] no route could be declared: not imported',
    ]);
  });

  test('a route attached to no Gateway routes nothing: not imported', () => {
    const r = readGatewayApi(corpus('gateway-api/traffic-splitting/traffic-split-3.yaml'));
    expect(r.exposures).toEqual([]);
    expect(lossLines(r.losses)).toEqual([
      'HTTPRoute default/foo-route spec.parentRefs [invalid] attached to no Gateway: it routes nothing, so it is not imported; give it the parentRef of its Gateway',
    ]);
  });

  test('weights carried as declared', () => {
    const r = readGatewayApi(documents(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: foo-route }
spec:
  parentRefs: [{ name: example-gateway }]
  hostnames: [foo.example.com]
  rules:
  - backendRefs: [{ name: foo-v1, port: 8080, weight: 0 }, { name: foo-v2, port: 8080, weight: 1 }]`));
    expect(exposuresOf(r)).toEqual([
      "default/foo-route: { hosts: ['foo.example.com'], routes: [{ backends: [{ backend: Backend.fromName('foo-v1', 8080), weight: 0 }, "
      + "{ backend: Backend.fromName('foo-v2', 8080), weight: 1 }] }] }\n  on ExposureStrategy.gatewayApi({ gateway: { name: 'example-gateway', namespace: 'default' } })",
    ]);
    expect(r.exposures[0].losses).toEqual([]);
  });

  test('CORS (v1.6): origins, credentials', () => {
    const r = readGatewayApi(corpus('gateway-api/http-cors/httproute-credentials-true.yaml'));
    expect(show(r.exposures[0].props)).toBe("{ routes: [{ match: { path: PathMatch.prefix('/cors-behavior-creds-true') }, "
      + "cors: { allowOrigins: ['https://app.example'], allowCredentials: true }, backend: Backend.fromName('infra-backend-v1', 8080) }] }");
    expect(r.exposures[0].losses).toEqual([]);
  });

  test('an unused ReferenceGrant is reported', () => {
    expect(lossLines(readGatewayApi(corpus('gateway-api/reference-grant.yaml')).losses)).toEqual([
      'ReferenceGrant default/allow-prod-traffic spec [unsupported] it allows no reference of an imported route',
    ]);
  });
});

const ROUTE = (rules: string, extra = '') => `
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: shop, namespace: shop }
spec:
  parentRefs: [{ name: public, namespace: infra }]
  hostnames: [shop.example.com]
  rules:
${rules}
${extra}`;

describe('Gateway API reader: edge cases', () => {
  test('a backend in another namespace: carried where a ReferenceGrant allows it, else a loss', () => {
    const rules = `
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    backendRefs: [{ name: api, namespace: backends, port: 8080 }]
  - backendRefs: [{ name: web, namespace: other, port: 80 }]`;
    const grant = `---
apiVersion: gateway.networking.k8s.io/v1beta1
kind: ReferenceGrant
metadata: { name: shop-routes, namespace: backends }
spec:
  from: [{ group: gateway.networking.k8s.io, kind: HTTPRoute, namespace: shop }]
  to: [{ group: "", kind: Service }]`;
    const r = readGatewayApi(documents(ROUTE(rules, grant)));
    expect(exposuresOf(r)).toEqual([
      "shop/shop: { hosts: ['shop.example.com'], routes: [{ match: { path: PathMatch.prefix('/api') }, backend: Backend.fromName('api', 8080, { namespace: 'backends' }) }] }\n"
      + "  on ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' } })",
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'HTTPRoute shop/shop spec.rules[1].backendRefs[0].namespace [invalid] no ReferenceGrant of the input in other lets HTTPRoutes of shop reference the '
      + 'Service web: Gateway API refuses the reference',
      'HTTPRoute shop/shop spec.rules[1] [unsupported] no backend could be declared: the rule is not carried over',
    ]);
    expect(r.losses).toEqual([]);
    const manifests = synthOnSource(r);
    expect(ofKind(manifests, 'ReferenceGrant').map((g) => g.metadata.namespace)).toEqual(['backends']);
  });

  test('filters, timeouts and retries (experimental channel); a regex beside a prefix is a loss of precedence', () => {
    const rules = `
  - matches: [{ path: { type: PathPrefix, value: /api } }]
    filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: { set: [{ name: x-env, value: prod }], remove: [x-debug] }
    - type: ResponseHeaderModifier
      responseHeaderModifier: { add: [{ name: x-served-by, value: shop }] }
    - type: RequestMirror
      requestMirror: { backendRef: { name: shadow, port: 8080 }, percent: 10 }
    - type: URLRewrite
      urlRewrite: { path: { type: ReplacePrefixMatch, replacePrefixMatch: /v2 } }
    timeouts: { request: 10s, backendRequest: 2s }
    retry: { attempts: 2, codes: [503] }
    backendRefs: [{ name: api, port: 8080 }]
  - matches: [{ path: { type: RegularExpression, value: "/api/v[0-9]+" } }]
    filters: [{ type: ExtensionRef, extensionRef: { group: example.com, kind: Thing, name: x } }]
    backendRefs: [{ name: api, port: 8080 }]`;
    const r = readGatewayApi(documents(ROUTE(rules)));
    expect(exposuresOf(r)).toEqual([
      "shop/shop: { hosts: ['shop.example.com'], routes: [{ match: { path: PathMatch.prefix('/api') }, "
      + "requestHeaders: { set: { 'x-env': 'prod' }, remove: ['x-debug'] }, responseHeaders: { add: { 'x-served-by': 'shop' } }, "
      + "mirror: { backend: Backend.fromName('shadow', 8080), percentage: 10 }, rewrite: { path: '/v2' }, backend: Backend.fromName('api', 8080), "
      + 'timeout: Duration.seconds(10), retries: { attempts: 2, perTryTimeout: Duration.seconds(2) } }, '
      + "{ match: { path: PathMatch.regex('/api/v[0-9]+') }, backend: Backend.fromName('api', 8080) }] }\n"
      + "  on ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' }, experimental: true })",
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'HTTPRoute shop/shop spec.rules[0].retry.codes [unsupported] the declaration retries on kinds of failure (retryOn), not status codes',
      'HTTPRoute shop/shop spec.rules[1].filters[0] [unsupported] the ExtensionRef filter cannot be declared',
      'HTTPRoute shop/shop spec.rules[1].matches[0] [not-portable] Gateway API leaves the precedence of a regular expression to the implementation; '
      + 'the declaration tries it before spec.rules[0].matches[0]\'s prefix',
    ]);
  });

  test('a header modifier with a name or value the declaration refuses: that edit is an invalid loss, the others are kept', () => {
    const rules = `
  - filters:
    - type: RequestHeaderModifier
      requestHeaderModifier: { set: [{ name: "X Bad", value: a }, { name: x-good, value: b }], remove: ["x:bad", x-debug] }
    - type: ResponseHeaderModifier
      responseHeaderModifier: { add: [{ name: x-empty, value: "" }, { name: x-served-by, value: shop }] }
    backendRefs: [{ name: web, port: 80 }]`;
    const r = readGatewayApi(documents(ROUTE(rules)));
    expect(show(r.exposures[0].props)).toBe("{ hosts: ['shop.example.com'], routes: [{ requestHeaders: { set: { 'x-good': 'b' }, remove: ['x-debug'] }, "
      + "responseHeaders: { add: { 'x-served-by': 'shop' } }, backend: Backend.fromName('web', 80) }] }");
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'HTTPRoute shop/shop spec.rules[0].filters[0].requestHeaderModifier.set[0] [invalid] "X Bad" is not an HTTP header name; '
      + 'use letters, digits and "-" (RFC 7230 token): this header edit is not read',
      'HTTPRoute shop/shop spec.rules[0].filters[0].requestHeaderModifier.remove[0] [invalid] "x:bad" is not an HTTP header name; '
      + 'use letters, digits and "-" (RFC 7230 token): this header edit is not read',
      'HTTPRoute shop/shop spec.rules[0].filters[1].responseHeaderModifier.add[0] [invalid] value of "x-empty" is empty; '
      + 'proxies do not send empty headers (remove the header instead): this header edit is not read',
    ]);
    synthOnSource(r);
  });

  test('a GRPCRoute: services and methods as gRPC routes', () => {
    const r = readGatewayApi(documents(`
apiVersion: gateway.networking.k8s.io/v1
kind: GRPCRoute
metadata: { name: grpc, namespace: shop }
spec:
  parentRefs: [{ name: public, namespace: infra }]
  hostnames: [grpc.example.com]
  rules:
  - matches: [{ method: { service: shop.Orders, method: Get } }, { method: { service: shop.Carts } }]
    backendRefs: [{ name: orders, port: 9090 }]
  - matches: [{ method: { type: RegularExpression, service: "shop\\\\..*" } }]
    backendRefs: [{ name: other, port: 9090 }]`));
    expect(exposuresOf(r)).toEqual([
      "shop/grpc: { hosts: ['grpc.example.com'], routes: [{ match: { path: PathMatch.exact('/shop.Orders/Get') }, protocol: 'grpc', backend: Backend.fromName('orders', 9090) }, "
      + "{ match: { path: PathMatch.prefix('/shop.Carts') }, protocol: 'grpc', backend: Backend.fromName('orders', 9090) }] }\n"
      + "  on ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' } })",
    ]);
    expect(lossLines(r.exposures[0].losses)).toEqual([
      'GRPCRoute shop/grpc spec.rules[1].matches[0].method [unsupported] gRPC routes match a service, or a service and method, exactly; this match is not carried over',
    ]);
    const grpc = find(synthOnSource(r), 'GRPCRoute');
    expect(grpc.spec.rules.flatMap((rule: any) => rule.matches)).toEqual([
      { method: { type: 'Exact', service: 'shop.Orders', method: 'Get' } }, { method: { type: 'Exact', service: 'shop.Carts' } },
    ]);
  });

  test('a route of the mesh (attached to a Service) is no exposure', () => {
    const r = readGatewayApi(documents(`
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: { name: mesh, namespace: shop }
spec:
  parentRefs: [{ group: "", kind: Service, name: reviews }]
  rules: [{ backendRefs: [{ name: reviews-v2, port: 9080 }] }]`));
    expect(lossLines(r.losses)).toEqual([
      'HTTPRoute shop/mesh spec.parentRefs [not-portable] attached to a Service (the mesh), not a Gateway: routing between workloads, not an exposure',
    ]);
  });
});

test('a rule with the match of an earlier rule is never reached (rule order breaks the tie): left out, with the reason', () => {
  const r = readGatewayApi(corpus('ingress2gateway/nginx-org/nginx-ssl-redirect.output.yaml'));
  expect(show(r.exposures[0].props)).toBe("{ hosts: ['secure.example.com'], routes: [{ redirect: { scheme: 'https', statusCode: 301 } }] }");
  expect(lossLines(r.exposures[0].losses)).toContain(
    'HTTPRoute default/test-ssl-redirect-secure-example-com spec.rules[1].matches[0] [unsupported] never reached: spec.rules[0] has the same match and comes first; not carried over');
});
