import { App, Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessPolicy, ApiGatewayEngine, Backend, ClientCertificates, ExposedService, ExposedServiceProps, ExposureError, ExposureStrategy,
  GatewayApiGateway, GatewayImplementation, PathMatch, RateLimit, TcpPort, Tls, TlsPassthrough,
} from '../../src';
import { find, Manifest, ofKind, synthChecked } from '../support/synth';

const GROUP = 'gateway.networking.k8s.io';
const web = (name = 'web') => Backend.fromName(name, 80);
const same = { namespaces: { from: 'Same' } };
const parent = (sectionName: string, namespace?: string) => ({ group: GROUP, kind: 'Gateway', name: 'eg', namespace, sectionName });
const parentsOf = (manifests: Manifest[], kind: string, name: string) => find(manifests, kind, name).spec.parentRefs;

type Props = Omit<ExposedServiceProps, 'strategy'>;

/** Exposures on one shared Gateway, each `[chart, id, props]`; the charts are created by namespace. */
function shared(exposures: [string, string, Props][], gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' })): { app: App; manifests: Manifest[] } {
  const app = Testing.app();
  const charts = new Map<string, Chart>();
  const strategy = ExposureStrategy.gatewayApi({ gateway });
  for (const [namespace, id, props] of exposures) {
    const chart = charts.get(namespace) ?? new Chart(app, namespace, { namespace });
    charts.set(namespace, chart);
    new ExposedService(chart, id, { strategy, ...props });
  }
  return { app, manifests: synthChecked(app) };
}

/** The error of the last exposure, after the others were declared on the same shared Gateway. */
function lastError(exposures: [string, string, Props][], gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' })): string {
  try {
    shared(exposures, gateway);
  } catch (e) {
    if (e instanceof ExposureError) return e.message;
    throw e;
  }
  throw new Error('expected the declaration to fail');
}

describe('GatewayApiGateway: one Gateway that many exposures share', () => {
  test('three exposures, one Gateway: each adds the listeners of its hosts, and its routes attach to them', () => {
    const { manifests } = shared([
      ['shop', 'web', { hosts: ['www.example.com'], backend: web(), tls: Tls.fromSecret('www-tls') }],
      ['shop', 'api', { hosts: ['api.example.com'], backend: web('api') }],
      ['shop', 'docs', { hosts: ['docs.example.com', 'www.example.com'], backend: web('docs'), routes: [{ match: { path: PathMatch.prefix('/docs') } }], tls: Tls.fromSecret('www-tls') }],
    ]);
    expect(ofKind(manifests, 'Gateway')).toHaveLength(1);
    const gateway = find(manifests, 'Gateway', 'eg');
    expect(gateway.metadata).toEqual({ name: 'eg', namespace: 'shop' });
    const tls = (name: string) => ({ mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name }] });
    expect(gateway.spec).toEqual({
      gatewayClassName: 'eg',
      listeners: [
        { name: 'shop-web-http-0', protocol: 'HTTP', port: 80, hostname: 'www.example.com', allowedRoutes: same },
        { name: 'shop-web-https-0', protocol: 'HTTPS', port: 443, hostname: 'www.example.com', tls: tls('www-tls'), allowedRoutes: same },
        { name: 'shop-api-http-0', protocol: 'HTTP', port: 80, hostname: 'api.example.com', allowedRoutes: same },
        // www.example.com's listeners are shop-web's: docs attaches to them.
        { name: 'shop-docs-http-0', protocol: 'HTTP', port: 80, hostname: 'docs.example.com', allowedRoutes: same },
        { name: 'shop-docs-https-0', protocol: 'HTTPS', port: 443, hostname: 'docs.example.com', tls: tls('www-tls'), allowedRoutes: same },
      ],
    });
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-web')).toEqual([parent('shop-web-https-0')]);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-web-https-redirect')).toEqual([parent('shop-web-http-0')]);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-api')).toEqual([parent('shop-api-http-0')]);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-docs')).toEqual([parent('shop-docs-https-0'), parent('shop-web-https-0')]);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-docs-https-redirect')).toEqual([parent('shop-docs-http-0'), parent('shop-web-http-0')]);
  });

  test('every exposure\'s resources.gateway is the one shared Gateway', () => {
    const chart = new Chart(Testing.app(), 'shop', { namespace: 'shop' });
    const strategy = ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg', name: 'public' }) });
    const a = new ExposedService(chart, 'a', { strategy, hosts: ['a.example.com'], backend: web() });
    const b = new ExposedService(chart, 'b', { strategy, hosts: ['b.example.com'], backend: web() });
    expect((a.resources as any).gateway).toBe((b.resources as any).gateway);
    expect((a.resources as any).gateway.name).toBe('public');
    expect(find(synthChecked(chart), 'Gateway').spec.listeners.map((l: any) => l.name)).toEqual(['shop-a-http-0', 'shop-b-http-0']);
  });

  test('exposures of other namespaces: a Gateway of its own namespace admits each listener\'s routes by namespace name; a TLS Secret is granted', () => {
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg', namespace: 'infra' });
    const { manifests } = shared([
      ['shop', 'web', { hosts: ['shop.example.com'], backend: web(), tls: Tls.fromSecret('shop-tls') }],
      ['blog', 'web', { hosts: ['blog.example.com'], backend: web() }],
    ], gateway);
    const byName = (namespace: string) => ({ namespaces: { from: 'Selector', selector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } } } });
    expect(find(manifests, 'Gateway').metadata).toEqual({ name: 'eg', namespace: 'infra' });
    expect(find(manifests, 'Gateway').spec.listeners).toEqual([
      { name: 'shop-web-http-0', protocol: 'HTTP', port: 80, hostname: 'shop.example.com', allowedRoutes: byName('shop') },
      {
        name: 'shop-web-https-0',
        protocol: 'HTTPS',
        port: 443,
        hostname: 'shop.example.com',
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: 'shop-tls', namespace: 'shop' }] },
        allowedRoutes: byName('shop'),
      },
      { name: 'blog-web-http-0', protocol: 'HTTP', port: 80, hostname: 'blog.example.com', allowedRoutes: byName('blog') },
    ]);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-web')).toEqual([parent('shop-web-https-0', 'infra')]);
    expect(parentsOf(manifests, 'HTTPRoute', 'blog-web')).toEqual([parent('blog-web-http-0', 'infra')]);
    const grant = find(manifests, 'ReferenceGrant');
    expect(grant.metadata.namespace).toBe('shop');
    expect(grant.spec).toEqual({ from: [{ group: GROUP, kind: 'Gateway', namespace: 'infra' }], to: [{ group: '', kind: 'Secret', name: 'shop-tls' }] });
  });

  test('streams: a TLS passthrough and a TCP listener per exposure, named after it, each route on its own', () => {
    const { manifests } = shared([
      ['data', 'db', { tcp: [TcpPort.of(5432, Backend.fromName('db', 5432))] }],
      ['data', 'mq', { passthrough: [TlsPassthrough.host('mq.example.com', Backend.fromName('mq', 5671), { port: 5671 })] }],
      ['data', 'cache', { passthrough: [TlsPassthrough.host('cache.example.com', Backend.fromName('cache', 6380), { port: 5671 })] }],
    ]);
    expect(find(manifests, 'Gateway').spec.listeners).toEqual([
      { name: 'data-db-tcp-5432', protocol: 'TCP', port: 5432, allowedRoutes: { ...same, kinds: [{ group: GROUP, kind: 'TCPRoute' }] } },
      {
        name: 'data-mq-tls-0',
        protocol: 'TLS',
        port: 5671,
        hostname: 'mq.example.com',
        tls: { mode: 'Passthrough' },
        allowedRoutes: { ...same, kinds: [{ group: GROUP, kind: 'TLSRoute' }] },
      },
      {
        name: 'data-cache-tls-0',
        protocol: 'TLS',
        port: 5671,
        hostname: 'cache.example.com',
        tls: { mode: 'Passthrough' },
        allowedRoutes: { ...same, kinds: [{ group: GROUP, kind: 'TLSRoute' }] },
      },
    ]);
    expect(parentsOf(manifests, 'TCPRoute', 'data-db-tcp-5432')).toEqual([parent('data-db-tcp-5432')]);
    expect(parentsOf(manifests, 'TLSRoute', 'data-cache-tls-0')).toEqual([parent('data-cache-tls-0')]);
  });

  test('client certificates: exposures that require them against the same CA share the Gateway\'s one validation', () => {
    const tls = () => Tls.fromSecret('shop-tls', { clientCertificates: ClientCertificates.require({ caConfigMap: 'partners-ca' }) });
    const { manifests } = shared([
      ['shop', 'orders', { hosts: ['orders.example.com'], backend: web(), tls: tls() }],
      ['shop', 'invoices', { hosts: ['invoices.example.com'], backend: web(), tls: tls() }],
      ['shop', 'status', { hosts: ['status.example.com'], backend: web() }],
    ]);
    expect(find(manifests, 'Gateway').spec.tls).toEqual({
      frontend: { default: { validation: { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: 'partners-ca' }], mode: 'AllowValidOnly' } } },
    });
  });

  test('cert-manager: one annotation on the Gateway for the exposures of one issuer', () => {
    const { manifests } = shared([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt', secretName: 'a-tls' }) }],
      ['shop', 'b', { hosts: ['b.example.com'], backend: web(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt', secretName: 'b-tls' }) }],
    ]);
    expect(find(manifests, 'Gateway').metadata.annotations).toEqual({ 'cert-manager.io/cluster-issuer': 'letsencrypt' });
    expect(find(manifests, 'Gateway').spec.listeners.filter((l: any) => l.protocol === 'HTTPS').map((l: any) => l.tls.certificateRefs[0].name)).toEqual(['a-tls', 'b-tls']);
  });

  test('Envoy Gateway\'s policies target each exposure\'s HTTPRoute on the shared Gateway', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' });
    const strategy = ExposureStrategy.gatewayApi({ gateway, implementation: GatewayImplementation.envoyGateway() });
    new ExposedService(chart, 'a', { strategy, hosts: ['a.example.com'], backend: web(), rateLimit: RateLimit.perSecond(10, { burst: 10 }) });
    new ExposedService(chart, 'b', { strategy, hosts: ['b.example.com'], backend: web(), rateLimit: RateLimit.perSecond(5, { burst: 5 }) });
    const manifests = synthChecked(app);
    expect(ofKind(manifests, 'Gateway')).toHaveLength(1);
    expect(ofKind(manifests, 'BackendTrafficPolicy').map((p) => p.spec.targetRefs)).toEqual([
      [{ group: GROUP, kind: 'HTTPRoute', name: 'shop-a' }],
      [{ group: GROUP, kind: 'HTTPRoute', name: 'shop-b' }],
    ]);
  });

  test('an API gateway exposed via gatewayApi adds its listeners to the shared Gateway as any exposure does', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' });
    new ExposedService(chart, 'site', { strategy: ExposureStrategy.gatewayApi({ gateway }), hosts: ['www.example.com'], backend: web() });
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.gatewayApi({ gateway }) }),
      hosts: ['api.example.com'],
      backend: web('api'),
    });
    const manifests = synthChecked(app);
    expect(find(manifests, 'Gateway').spec.listeners.map((l: any) => `${l.name} ${l.hostname}`)).toEqual(['shop-site-http-0 www.example.com', 'shop-api-http-0 api.example.com']);
    expect(parentsOf(manifests, 'HTTPRoute', 'shop-api')).toEqual([parent('shop-api-http-0')]);
    expect(find(manifests, 'HTTPRoute', 'shop-api').spec.rules[0].backendRefs[0].name).toBe('shop-api-gateway');
  });

  test('the Gateway is under the first exposure, in its chart; exposures of other charts of its namespace attach to it', () => {
    const app = Testing.app();
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' });
    const a = new Chart(app, 'a', { namespace: 'shop' });
    const b = new Chart(app, 'b', { namespace: 'shop' });
    new ExposedService(a, 'web', { strategy: ExposureStrategy.gatewayApi({ gateway }), hosts: ['a.example.com'], backend: web() });
    new ExposedService(b, 'web', { strategy: ExposureStrategy.gatewayApi({ gateway }), hosts: ['b.example.com'], backend: web() });
    synthChecked(app);
    expect(ofKind(Testing.synth(a) as Manifest[], 'Gateway')[0].spec.listeners.map((l: any) => l.name)).toEqual(['a-web-http-0', 'b-web-http-0']);
    expect(ofKind(Testing.synth(b) as Manifest[], 'Gateway')).toEqual([]);
  });

  test('an exposure with its own Gateway (gatewayClassName) and one on an existing Gateway are as before', () => {
    const { manifests } = shared([['shop', 'a', { hosts: ['a.example.com'], backend: web() }]]);
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ExposedService(chart, 'a', { strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), hosts: ['a.example.com'], backend: web() });
    const own = synthChecked(app);
    expect(find(own, 'Gateway').metadata.name).toBe('shop-a');
    expect(find(own, 'Gateway').spec.listeners[0].name).toBe('http-0');
    expect(find(manifests, 'Gateway').spec.listeners[0].name).toBe('shop-a-http-0');
  });
});

describe('GatewayApiGateway: conflicts across exposures, naming both', () => {
  test('the same host and path', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.exact('/login') } }] }],
      ['shop', 'b', { hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.exact('/login') } }] }],
    ])).toBe('ExposedService shop/b: routes[0]: host shop.example.com with path exact /login on Gateway shop/eg is already claimed by ExposedService shop/a; '
      + 'give one of them another host or path');
  });

  test('the same host with another TLS Secret, or without TLS', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['shop.example.com'], backend: web(), tls: Tls.fromSecret('a-tls') }],
      ['shop', 'b', { hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/b') } }], tls: Tls.fromSecret('b-tls') }],
    ])).toBe('ExposedService shop/b: tls: host shop.example.com on Gateway shop/eg is served with TLS from Secret shop/a-tls (redirect 301) by ExposedService shop/a, '
      + 'and with TLS from Secret shop/b-tls (redirect 301) here; the listeners of a host are shared: declare the same TLS, or use another host');
    expect(lastError([
      ['shop', 'a', { hosts: ['shop.example.com'], backend: web(), tls: Tls.fromSecret('a-tls') }],
      ['shop', 'b', { hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/b') } }] }],
    ])).toBe('ExposedService shop/b: hosts: host shop.example.com on Gateway shop/eg is served with TLS from Secret shop/a-tls (redirect 301) by ExposedService shop/a, '
      + 'and without TLS here; the listeners of a host are shared: declare the same TLS, or use another host');
  });

  test('a host of exposures of two namespaces', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['shop.example.com'], backend: web() }],
      ['blog', 'b', { hosts: ['shop.example.com'], backend: web(), routes: [{ match: { path: PathMatch.prefix('/blog') } }] }],
    ], GatewayApiGateway.create({ gatewayClassName: 'eg', namespace: 'infra' }))).toBe(
      'ExposedService blog/b: hosts: host shop.example.com on Gateway infra/eg is served by ExposedService shop/a of namespace shop, '
      + 'and its listeners admit the routes of that namespace alone; use another host');
  });

  test('another namespace than the first exposure\'s, when the Gateway names none', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web() }],
      ['blog', 'b', { hosts: ['b.example.com'], backend: web() }],
    ])).toBe('ExposedService blog/b: strategy: GatewayApiGateway "eg" is in namespace shop, that of ExposedService shop/a (the first to attach to it); '
      + 'to attach exposures of other namespaces, set its namespace: GatewayApiGateway.create({ gatewayClassName, namespace })');
  });

  test('client certificates: another CA, or none, on the Gateway\'s one validation', () => {
    const require = (caConfigMap: string) => Tls.fromSecret('shop-tls', { clientCertificates: ClientCertificates.require({ caConfigMap }) });
    expect(lastError([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web(), tls: require('partners-ca') }],
      ['shop', 'b', { hosts: ['b.example.com'], backend: web(), tls: require('staff-ca') }],
    ])).toBe('ExposedService shop/b: tls.clientCertificates: Gateway shop/eg validates client certificates alike on every HTTPS listener of it (frontend.default): '
      + 'ExposedService shop/a declares required against ConfigMap partners-ca, and this exposure required against ConfigMap staff-ca; '
      + 'declare the same, or attach to another GatewayApiGateway');
    expect(lastError([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web(), tls: Tls.fromSecret('shop-tls') }],
      ['shop', 'b', { hosts: ['b.example.com'], backend: web(), tls: require('staff-ca') }],
    ])).toBe('ExposedService shop/b: tls.clientCertificates: Gateway shop/eg validates client certificates alike on every HTTPS listener of it (frontend.default): '
      + 'ExposedService shop/a declares none, and this exposure required against ConfigMap staff-ca; declare the same, or attach to another GatewayApiGateway');
  });

  test('cert-manager: another issuer, or a Secret of its own, under the Gateway\'s one annotation', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt', secretName: 'a-tls' }) }],
      ['shop', 'b', { hosts: ['b.example.com'], backend: web(), tls: Tls.fromSecret('b-tls') }],
    ])).toBe('ExposedService shop/b: tls: cert-manager issues the Secret of every HTTPS listener of Gateway shop/eg from the Gateway\'s one annotation: '
      + 'ExposedService shop/a declares cert-manager ClusterIssuer letsencrypt, and this exposure no cert-manager issuer; declare the same, or attach to another GatewayApiGateway');
  });

  test('a port of one protocol family', () => {
    expect(lastError([
      ['shop', 'a', { hosts: ['a.example.com'], backend: web() }],
      ['shop', 'b', { tcp: [TcpPort.of(80, Backend.fromName('db', 5432))] }],
    ])).toBe('ExposedService shop/b: tcp[0].port: port 80 on Gateway shop/eg takes plain HTTP for ExposedService shop/a, and this exposure declares TCP on it; '
      + 'give one of them another port');
  });

  test('a TCP port, and a passthrough hostname, are one exposure\'s', () => {
    const db = () => Backend.fromName('db', 5432);
    expect(lastError([['data', 'a', { tcp: [TcpPort.of(5432, db())] }], ['data', 'b', { tcp: [TcpPort.of(5432, db())] }]]))
      .toBe('ExposedService data/b: tcp[0].port: port 5432 on Gateway data/eg is already claimed by ExposedService data/a (a TCP port); give one of them another port');
    expect(lastError([
      ['data', 'a', { passthrough: [TlsPassthrough.host('db.example.com', db())] }],
      ['data', 'b', { passthrough: [TlsPassthrough.host('db.example.com', db())] }],
    ])).toBe('ExposedService data/b: passthrough[0].host: "db.example.com" on port 443 of Gateway data/eg is already passed through by ExposedService data/a; '
      + 'give one of them another host or port');
  });

  test('a hostname of port 443 is terminated or passed through, not both', () => {
    const db = () => Backend.fromName('db', 5432);
    expect(lastError([
      ['data', 'a', { hosts: ['db.example.com'], backend: web(), tls: Tls.fromSecret('db-tls') }],
      ['data', 'b', { passthrough: [TlsPassthrough.host('db.example.com', db())] }],
    ])).toBe('ExposedService data/b: passthrough[0].host: "db.example.com" on port 443 of Gateway data/eg terminates TLS for ExposedService data/a; '
      + 'give one of them another host or port');
    expect(lastError([
      ['data', 'a', { passthrough: [TlsPassthrough.host('db.example.com', db())] }],
      ['data', 'b', { hosts: ['db.example.com'], backend: web(), tls: Tls.fromSecret('db-tls') }],
    ])).toBe('ExposedService data/b: hosts: host db.example.com on port 443 of Gateway data/eg is passed through undecrypted by ExposedService data/a; '
      + 'give one of them another host');
  });

  test('listener names that meet: construct paths a/b and a-b', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const strategy = ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg' }) });
    new ExposedService(chart, 'api-v1', { strategy, hosts: ['a.example.com'], backend: web() });
    expect(() => new ExposedService(new Construct(chart, 'api'), 'v1', { strategy, hosts: ['b.example.com'], backend: web() })).toThrow(new ExposureError(
      'ExposedService shop/api/v1: id: the listeners it adds to Gateway shop/eg have the names of those ExposedService shop/api-v1 added '
      + '(names are made of the construct path, so "a/b" and "a-b" meet); give one of them another id'));
  });

  test('a shared Gateway and an exposure\'s own Gateway of one name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ExposedService(chart, 'a', { strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }), hosts: ['a.example.com'], backend: web() });
    expect(() => new ExposedService(chart, 'b', {
      strategy: ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg', name: 'shop-a' }) }), hosts: ['b.example.com'], backend: web(),
    })).toThrow(new ExposureError('ExposedService shop/b: id: the Gateway "shop-a" in namespace shop it creates has the name of the one ExposedService shop/a creates, '
      + 'and one would replace the other when applied; give one of them another id (names are made of the construct path, so "a/b" and "a-b" meet)'));
  });

  test('two GatewayApiGateways of one namespace and name', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    new ExposedService(chart, 'a', { strategy: ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg' }) }), hosts: ['a.example.com'], backend: web() });
    expect(() => new ExposedService(chart, 'b', {
      strategy: ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg' }) }), hosts: ['b.example.com'], backend: web(),
    })).toThrow(new ExposureError('ExposedService shop/b: strategy: GatewayApiGateway "shop/eg" has the namespace and name of another GatewayApiGateway, '
      + 'which ExposedService shop/a attaches to; give one of them another name'));
  });

  test('one implementation runs a shared Gateway: every exposure on it declares the same', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg' });
    const on = (implementation?: GatewayImplementation) => ExposureStrategy.gatewayApi({ gateway, implementation });
    new ExposedService(chart, 'a', { strategy: on(GatewayImplementation.envoyGateway()), hosts: ['a.example.com'], backend: web() });
    expect(() => new ExposedService(chart, 'b', { strategy: on(GatewayImplementation.traefik()), hosts: ['b.example.com'], backend: web() })).toThrow(new ExposureError(
      'ExposedService shop/b: strategy: GatewayApiGateway "shop/eg" is run by the implementation of ExposedService shop/a (envoyGateway), not traefik; '
      + 'declare the same implementation on every exposure of one Gateway'));
    expect(() => new ExposedService(chart, 'c', { strategy: on(), hosts: ['c.example.com'], backend: web() })).toThrow(new ExposureError(
      'ExposedService shop/c: strategy: GatewayApiGateway "shop/eg" is run by the implementation of ExposedService shop/a (envoyGateway), not the standard API only; '
      + 'declare the same implementation on every exposure of one Gateway'));
  });

  test('Istio\'s policies on a shared Gateway are refused: they would hold for every exposure on it', () => {
    const app = Testing.app();
    const chart = new Chart(app, 'shop', { namespace: 'shop' });
    const strategy = ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'istio' }), implementation: GatewayImplementation.istio() });
    expect(() => new ExposedService(chart, 'api', {
      strategy, hosts: ['shop.example.com'], backend: web(), access: AccessPolicy.allowFrom(['10.0.0.0/8']),
    })).toThrow(new ExposureError('ExposedService shop/api: access: Istio applies client IP lists to the whole Gateway, and other exposures of the app share this '
      + 'GatewayApiGateway (their routes and streams would be checked too); use gatewayClassName (a Gateway of the exposure\'s own)'));
    // Without policies, Istio runs the shared Gateway as any implementation.
    const other = Testing.app();
    new ExposedService(new Chart(other, 'shop', { namespace: 'shop' }), 'web', { strategy, hosts: ['shop.example.com'], backend: web() });
    expect(ofKind(synthChecked(other), 'Gateway')).toHaveLength(1);
  });

  test('a Gateway has at most 64 listeners', () => {
    const hosts = (from: number) => Array.from({ length: 16 }, (_, i) => `h${from + i}.example.com`);
    const exposures: [string, string, Props][] = [0, 1, 2, 3].map((n) => ['shop', `e${n}`, { hosts: hosts(n * 16), backend: web(), tls: Tls.fromSecret('t') }]);
    expect(lastError(exposures)).toBe('ExposedService shop/e2: hosts: Gateway shop/eg would have 96 listeners with the 32 of this exposure, and a Gateway has at most 64; '
      + 'attach some exposures to another GatewayApiGateway');
  });

  test('a Gateway of another namespace: client CAs and cert-manager\'s Secrets are read in its namespace; the chart needs one', () => {
    const gateway = GatewayApiGateway.create({ gatewayClassName: 'eg', namespace: 'infra' });
    expect(lastError([['shop', 'a', {
      hosts: ['a.example.com'], backend: web(), tls: Tls.fromSecret('a-tls', { clientCertificates: ClientCertificates.require({ caConfigMap: 'ca' }) }),
    }]], gateway)).toBe('ExposedService shop/a: tls.clientCertificates: GatewayApiGateway "eg" is in namespace infra, where it reads the client CA, and the CA is in namespace shop; '
      + 'declare the exposure in namespace infra, or attach it to a GatewayApiGateway of namespace shop');
    expect(lastError([['shop', 'a', { hosts: ['a.example.com'], backend: web(), tls: Tls.certManager({ clusterIssuer: 'letsencrypt' }) }]], gateway)).toBe(
      'ExposedService shop/a: tls: GatewayApiGateway "eg" is in namespace infra, and cert-manager issues its listeners\' Secrets there, not in namespace shop; '
      + 'use Tls.fromSecret, or attach the exposure to a GatewayApiGateway of namespace shop');
    const chart = new Chart(Testing.app(), 'shop');
    expect(() => new ExposedService(chart, 'a', { strategy: ExposureStrategy.gatewayApi({ gateway }), hosts: ['a.example.com'], backend: web() })).toThrow(new ExposureError(
      'ExposedService shop/a: strategy: GatewayApiGateway "eg" is in namespace infra and admits the routes of another namespace by its name: give the chart a namespace'));
  });
});

describe('GatewayApiGateway: bad input', () => {
  const errorOf = (gateway: unknown, options: object = {}): string => {
    try {
      new ExposedService(new Chart(Testing.app(), 'shop', { namespace: 'shop' }), 'a', {
        strategy: ExposureStrategy.gatewayApi({ gateway: gateway as GatewayApiGateway, ...options }), hosts: ['a.example.com'], backend: web(),
      });
    } catch (e) {
      return (e as Error).message;
    }
    throw new Error('expected the declaration to fail');
  };

  test('options of the wrong type', () => {
    expect(errorOf(GatewayApiGateway.create(undefined as any))).toBe('ExposedService shop/a: strategy: gateway options is undefined; use an object');
    expect(errorOf(GatewayApiGateway.create({ gatewayClassName: 3, nmae: 'x' } as any))).toBe([
      'ExposedService shop/a: strategy: gateway options.nmae is not a field of the options of GatewayApiGateway.create; did you mean name?',
      'ExposedService shop/a: strategy: gateway options.gatewayClassName is a number (3); use a string',
    ].join('\n'));
    expect(errorOf('public')).toBe('ExposedService shop/a: strategy: options.gateway is a string ("public"); use GatewayApiGateway.create(...) or a Gateway reference');
    expect(errorOf({ name: 'public' })).toBe('ExposedService shop/a: strategy: options.gateway.namespace is missing; a Gateway reference needs it');
  });

  test('names that are not names, and gatewayClassName next to a GatewayApiGateway', () => {
    expect(errorOf(GatewayApiGateway.create({ gatewayClassName: 'Eg', name: 'pub lic', namespace: 'In_fra' }))).toBe([
      'ExposedService shop/a: strategy: gatewayClassName "Eg" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."',
      'ExposedService shop/a: strategy: gateway name "pub lic" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."',
      'ExposedService shop/a: strategy: gateway namespace "In_fra" is not a DNS-1123 label; use lowercase letters, digits and "-"',
    ].join('\n'));
    expect(errorOf(GatewayApiGateway.create({ gatewayClassName: 'eg' }), { gatewayClassName: 'eg' }))
      .toBe('ExposedService shop/a: strategy: set gatewayClassName or gateway, not both');
  });
});
