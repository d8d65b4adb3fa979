import { ApiObject, Chart, Duration, Size, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import {
  AccessPolicy, Auth, Backend, BackendTls, ExposedService, ExposedServiceProps, ExposureStrategy, GatewayImplementation, IngressController, PathMatch,
  RateLimit, TcpPort, TlsPassthrough,
} from '../../src';
import { GatewayApiStrategyOptions } from '../../src/strategies/gateway-api/gateway-api';
import { declarationError, find, Manifest, ofKind, synthChecked, testChart } from '../support/synth';

const httpbin = () => Backend.fromName('httpbin', 8000);
const KONG: GatewayApiStrategyOptions = { gatewayClassName: 'kong', implementation: GatewayImplementation.kong() };

function expose(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = KONG): Manifest[] {
  const chart = testChart('test', 'shop');
  new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(options), ...props });
  return synthChecked(chart);
}

function exposeError(props: Partial<ExposedServiceProps>, options: GatewayApiStrategyOptions = KONG): string {
  return declarationError({ strategy: ExposureStrategy.gatewayApi(options), ...props }).message;
}

/** A Secret the app declares beside the exposure. */
function secret(scope: Construct, name: string, stringData: Record<string, string>, labels?: Record<string, string>): void {
  new ApiObject(scope, `Secret-${name}`, { apiVersion: 'v1', kind: 'Secret', metadata: { name, labels }, stringData });
}

/** The ExtensionRef filter of a KongPlugin. */
const ref = (name: string) => ({ type: 'ExtensionRef', extensionRef: { group: 'configuration.konghq.com', kind: 'KongPlugin', name } });
/** The KongPlugins of the output, as [name, plugin, config]. */
const plugins = (manifests: Manifest[]) => ofKind(manifests, 'KongPlugin').map((p) => [p.metadata.name, p.plugin, p.config]);

describe('gatewayApi on Kong (Kong Ingress Controller)', () => {
  test('the strategy is named after the implementation, and without plugins the output is the standard one', () => {
    expect(ExposureStrategy.gatewayApi(KONG).name).toBe('gatewayApi (kong)');
    expect(ExposureStrategy.gatewayApi({ ...KONG, experimental: true }).name).toBe('gatewayApi (kong, experimental)');
    const standard = expose({ hosts: ['shop.example.com'], backend: httpbin() }, { gatewayClassName: 'kong' });
    expect(expose({ hosts: ['shop.example.com'], backend: httpbin() })).toEqual(standard);
  });

  test('exposure-wide plugins are one KongPlugin each, referenced first by every rule', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [{ match: { path: PathMatch.prefix('/api') } }, { match: { path: PathMatch.prefix('/') } }],
      rateLimit: RateLimit.perSecond(10, { burst: 10 }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['10.66.0.0/16'] }),
      maxRequestBody: Size.mebibytes(8),
    });
    expect(ofKind(manifests, 'KongPlugin')).toEqual([
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongPlugin',
        metadata: { name: 'test-public-ip-restriction', namespace: 'shop' },
        plugin: 'ip-restriction',
        config: { allow: ['10.0.0.0/8'], deny: ['10.66.0.0/16'], status: 403, message: 'forbidden' },
      },
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongPlugin',
        metadata: { name: 'test-public-rate-limiting', namespace: 'shop' },
        plugin: 'rate-limiting',
        config: { second: 10, policy: 'local', limit_by: 'ip', error_code: 429 },
      },
      {
        apiVersion: 'configuration.konghq.com/v1',
        kind: 'KongPlugin',
        metadata: { name: 'test-public-request-size-limiting', namespace: 'shop' },
        plugin: 'request-size-limiting',
        config: { allowed_payload_size: 8, size_unit: 'megabytes' },
      },
    ]);
    const filters = [ref('test-public-ip-restriction'), ref('test-public-rate-limiting'), ref('test-public-request-size-limiting')];
    expect(find(manifests, 'HTTPRoute').spec.rules.map((r: any) => r.filters)).toEqual([filters, filters]);
    expect(ofKind(manifests, 'KongConsumer')).toEqual([]);
  });

  test('plugins that differ between rules are one KongPlugin per rule, named after it', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/api') }, rateLimit: RateLimit.perMinute(600, { burst: 600 }) },
        { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.denyFrom(['203.0.113.0/24']), rateLimit: RateLimit.perSecond(5, { burst: 5 }) },
        {},
      ],
    });
    expect(plugins(manifests)).toEqual([
      ['test-public-routes-0-rate-limiting', 'rate-limiting', { minute: 600, policy: 'local', limit_by: 'ip', error_code: 429 }],
      ['test-public-routes-1-ip-restriction', 'ip-restriction', { deny: ['203.0.113.0/24'], status: 403, message: 'forbidden' }],
      ['test-public-routes-1-rate-limiting', 'rate-limiting', { second: 5, policy: 'local', limit_by: 'ip', error_code: 429 }],
    ]);
    expect(find(manifests, 'HTTPRoute').spec.rules.map((r: any) => [r.name, r.filters])).toEqual([
      ['routes-0', [ref('test-public-routes-0-rate-limiting')]],
      ['routes-1', [ref('test-public-routes-1-ip-restriction'), ref('test-public-routes-1-rate-limiting')]],
      ['routes-2', undefined],
    ]);
  });

  test('API keys: key-auth with an acl of the Secret\'s KongConsumer, a rate limit per consumer', () => {
    const chart = testChart('test', 'shop');
    secret(chart, 'partner-key', { key: 'k-123' }, { 'konghq.com/credential': 'key-auth' });
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.gatewayApi(KONG),
      backend: httpbin(),
      auth: Auth.apiKey({ secret: 'partner-key', header: 'x-api-key' }),
      rateLimit: RateLimit.perMinute(100, { burst: 100, key: 'api-key' }),
    });
    const manifests = synthChecked(chart);
    expect(plugins(manifests)).toEqual([
      ['test-public-key-auth', 'key-auth', { key_names: ['x-api-key'], hide_credentials: true }],
      ['test-public-acl', 'acl', { allow: ['shop/partner-key'], hide_groups_header: true }],
      ['test-public-rate-limiting', 'rate-limiting', { minute: 100, policy: 'local', limit_by: 'consumer', error_code: 429 }],
    ]);
    expect(ofKind(manifests, 'KongConsumer')).toEqual([{
      apiVersion: 'configuration.konghq.com/v1',
      kind: 'KongConsumer',
      metadata: { name: 'partner-key', namespace: 'shop', annotations: { 'kubernetes.io/ingress.class': 'kong' } },
      username: 'shop/partner-key',
      credentials: ['partner-key', 'partner-key-acl'],
    }]);
    expect(find(manifests, 'Secret', 'partner-key-acl')).toEqual({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'partner-key-acl', namespace: 'shop', labels: { 'konghq.com/credential': 'acl' } },
      stringData: { group: 'shop/partner-key' },
    });
  });

  test('basic auth and JWT: basic-auth and jwt, each with its consumer; CORS as the cors plugin, not the CORS filter', () => {
    const manifests = expose({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins', realm: 'Shop' }) },
        {
          match: { path: PathMatch.prefix('/api') },
          auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', publicKeySecret: 'id-key' }),
          cors: { allowOrigins: ['https://shop.example.com'], allowMethods: ['GET'], maxAge: Duration.minutes(10) },
        },
      ],
    });
    expect(plugins(manifests)).toEqual([
      ['test-public-routes-0-basic-auth', 'basic-auth', { hide_credentials: true, realm: 'Shop' }],
      ['test-public-routes-0-acl', 'acl', { allow: ['shop/admins'], hide_groups_header: true }],
      ['test-public-routes-1-jwt', 'jwt', { key_claim_name: 'iss', claims_to_verify: ['exp'], header_names: ['authorization'] }],
      ['test-public-routes-1-acl', 'acl', { allow: ['shop/id-key'], hide_groups_header: true }],
      ['test-public-routes-1-cors', 'cors', { origins: ['https://shop.example.com'], methods: ['GET'], credentials: false, max_age: 600, preflight_continue: false }],
    ]);
    expect(ofKind(manifests, 'KongConsumer').map((c) => [c.metadata.name, c.username, c.credentials])).toEqual([
      ['admins', 'shop/admins', ['admins', 'admins-acl']],
      ['id-key', 'shop/id-key', ['id-key', 'id-key-acl']],
    ]);
    const rules = find(manifests, 'HTTPRoute').spec.rules;
    expect(rules[1].filters).toEqual([ref('test-public-routes-1-jwt'), ref('test-public-routes-1-acl'), ref('test-public-routes-1-cors')]);
  });

  test('the escape hatches hold the KongPlugins, the KongConsumers and the acl Secrets', () => {
    const chart = testChart('test', 'shop');
    const e = new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
    const implementation = (e.resources as any).implementation;
    expect(implementation.kongPlugins.map((p: any) => p.name)).toEqual(['test-public-basic-auth', 'test-public-acl']);
    expect(implementation.kongConsumers.map((p: any) => p.name)).toEqual(['admins']);
    expect(implementation.kongAclSecrets.map((p: any) => p.name)).toEqual(['admins-acl']);
  });

  test('exposures of an app that name one credential Secret share its KongConsumer, which the first creates: Kong gives a credential one consumer', () => {
    const app = Testing.app();
    const first = new Chart(app, 'first', { namespace: 'shop' });
    const second = new Chart(app, 'second', { namespace: 'shop' });
    new ExposedService(first, 'orders', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.apiKey({ secret: 'partner-key' }) });
    new ExposedService(second, 'invoices', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.apiKey({ secret: 'partner-key' }) });
    const [ofFirst, ofSecond] = [synthChecked(first), synthChecked(second)];
    expect(ofKind(ofFirst, 'KongConsumer').map((c) => [c.metadata.name, c.username, c.credentials])).toEqual([['partner-key', 'shop/partner-key', ['partner-key', 'partner-key-acl']]]);
    expect(ofKind(ofFirst, 'Secret').map((s) => s.metadata.name)).toEqual(['partner-key-acl']);
    expect(ofKind(ofSecond, 'KongConsumer')).toEqual([]);
    expect(ofKind(ofSecond, 'Secret')).toEqual([]);
    // Both admit the one consumer.
    expect(plugins(ofSecond)).toEqual([
      ['first-orders-key-auth', 'key-auth', { key_names: ['x-api-key'], hide_credentials: true }],
      ['first-orders-acl', 'acl', { allow: ['shop/partner-key'], hide_groups_header: true }],
    ].map(([, plugin, config]) => [`second-invoices-${plugin}`, plugin, config]));
    // Of other namespaces, two Secrets and two consumers.
    const other = new Chart(app, 'other', { namespace: 'billing' });
    new ExposedService(other, 'invoices', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.apiKey({ secret: 'partner-key' }) });
    expect(ofKind(synthChecked(other), 'KongConsumer').map((c) => c.username)).toEqual(['billing/partner-key']);
  });

  test('exposures of an app must read a credential Secret as one kind, and a JWT key as one issuer\'s', () => {
    const errorOf = (auth: Auth) => {
      const chart = testChart('test', 'shop');
      new ExposedService(chart, 'orders', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.basic({ secret: 'creds' }) });
      new ExposedService(chart, 'keys', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.jwt({ issuer: 'https://a.example.com', jwksUri: 'https://a.example.com/k', publicKeySecret: 'key' }) });
      try {
        new ExposedService(chart, 'invoices', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/') }, auth }] });
      } catch (e) {
        return (e as Error).message;
      }
      return 'no error';
    };
    expect(errorOf(Auth.apiKey({ secret: 'creds' }))).toBe('ExposedService test/invoices: routes[0].auth: Secret "creds" is the basic-auth credential of ExposedService test/orders, '
      + 'and a Secret is one KongConsumer\'s credential (label konghq.com/credential): use another Secret');
    expect(errorOf(Auth.jwt({ issuer: 'https://b.example.com', jwksUri: 'https://b.example.com/k', publicKeySecret: 'key' }))).toBe(
      'ExposedService test/invoices: routes[0].auth: Secret "key" is the jwt key of issuer https://a.example.com of ExposedService test/keys, '
      + 'and a Secret is one KongConsumer\'s credential (label konghq.com/credential): use another Secret');
    expect(errorOf(Auth.basic({ secret: 'creds', realm: 'Invoices' }))).toBe('no error');
  });

  test('a credential Secret the output declares must be as KIC reads it: the label and the keys of its kind', () => {
    const chart = testChart('test', 'shop');
    // The API gateway's format (a key per consumer) is not KIC's.
    secret(chart, 'admins', { alice: 's3cret' });
    new ExposedService(chart, 'public', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
    expect(() => synthChecked(chart)).toThrow('KongConsumer/admins: credential Secret admins has no konghq.com/credential label of a kind KIC reads');
    const labelled = testChart('test', 'shop');
    secret(labelled, 'admins', { alice: 's3cret' }, { 'konghq.com/credential': 'basic-auth' });
    new ExposedService(labelled, 'public', { strategy: ExposureStrategy.gatewayApi(KONG), backend: httpbin(), auth: Auth.basic({ secret: 'admins' }) });
    expect(() => synthChecked(labelled)).toThrow('KongConsumer/admins: basic-auth credential Secret admins has no key username, password');
  });

  test('refuses what Kong cannot express, with the usual errors', () => {
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perSecond(10) })).toBe(
      'ExposedService test/public: rateLimit.burst: Kong\'s rate-limiting admits the whole rate at once in each second, no more and no less; set burst to 10');
    expect(exposeError({ backend: httpbin(), rateLimit: RateLimit.perMinute(60, { burst: 120 }) })).toBe(
      'ExposedService test/public: rateLimit.burst: Kong\'s rate-limiting admits the whole rate at once in each minute, no more and no less; set burst to 60');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys' }) })).toBe(
      'ExposedService test/public: auth: Kong\'s jwt plugin verifies with the issuer\'s public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })');
    expect(exposeError({ backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', publicKeySecret: 'k', audiences: ['shop'] }) })).toBe(
      'ExposedService test/public: auth.audiences: Kong\'s jwt plugin does not check audiences; remove them, or use gatewayApi (envoyGateway) or istio');
    expect(exposeError({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, auth: Auth.jwt({ issuer: 'https://a.example.com', jwksUri: 'https://a.example.com/keys', publicKeySecret: 'k' }) },
        { match: { path: PathMatch.prefix('/b') }, auth: Auth.jwt({ issuer: 'https://b.example.com', jwksUri: 'https://b.example.com/keys', publicKeySecret: 'k' }) },
      ],
    })).toBe('ExposedService test/public: routes[1].auth: publicKeySecret "k" is already the key of issuer https://a.example.com; one Secret per issuer');
    expect(exposeError({
      backend: httpbin(),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, auth: Auth.apiKey({ secret: 'creds' }) },
        { match: { path: PathMatch.prefix('/b') }, auth: Auth.basic({ secret: 'creds' }) },
      ],
    })).toBe('ExposedService test/public: routes[1].auth: Secret "creds" is already a key-auth credential; the Kong Ingress Controller reads a Secret as one kind (label konghq.com/credential): use another Secret');
    expect(exposeError({
      routes: [{ match: { path: PathMatch.prefix('/shop.Cart/') }, backends: [{ backend: Backend.fromName('cart', 9090, { protocol: 'grpc' }) }], rateLimit: RateLimit.perSecond(5, { burst: 5 }) }],
    })).toBe('ExposedService test/public: routes[0].rateLimit: the Kong Ingress Controller applies KongPlugins to HTTPRoute rules (ExtensionRef), not to GRPCRoute rules; '
      + 'remove it from the gRPC route, or use apiGateway');
  });

  test('refuses what KIC does not implement or Kong OSS lacks, naming the strategies that can', () => {
    expect(exposeError({ backend: httpbin(), auth: Auth.external({ service: Backend.fromName('authz', 8080) }) }, { ...KONG, experimental: true })).toBe(
      'ExposedService test/public: auth: \'auth-external\' is not supported by gatewayApi (kong, experimental); supported by: ingress (ingressNginx), istio, gatewayApi (experimental), gatewayApi (envoyGateway), gatewayApi (istio), apiGateway (nginx)');
    expect(exposeError({ backend: httpbin(), timeout: Duration.seconds(30) })).toMatch(/^ExposedService test\/public: timeout: 'timeout' is not supported by gatewayApi \(kong\); supported by: /);
    expect(exposeError({ backend: httpbin(), routes: [{ mirror: { backend: Backend.fromName('shadow', 80) } }] })).toMatch(/^ExposedService test\/public: routes\[0\].mirror: 'mirror' is not supported by gatewayApi \(kong\); /);
    expect(exposeError({ backend: httpbin(), retries: { attempts: 2 } }, { ...KONG, experimental: true })).toMatch(
      /^ExposedService test\/public: retries: 'retries' is not supported by gatewayApi \(kong, experimental\); /);
  });

  test('refuses the v1 kinds KIC 3.x does not read: BackendTLSPolicy, TLSRoute, TCPRoute', () => {
    const tls = BackendTls.fromConfigMap('payments-ca', { serverName: 'payments.shop.internal' });
    expect(exposeError({ backend: Backend.fromName('payments', 8443, { tls }) })).toBe('ExposedService test/public: backend: \'backend-tls\' is not supported by gatewayApi (kong); '
      + 'supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)');
    expect(exposeError({ passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('db', 5432))] })).toBe(
      'ExposedService test/public: passthrough[0]: \'tls-passthrough\' is not supported by gatewayApi (kong); supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)');
    expect(exposeError({ tcp: [TcpPort.of(5432, Backend.fromName('db', 5432))] })).toBe(
      'ExposedService test/public: tcp[0]: \'tcp\' is not supported by gatewayApi (kong); supported by: nodePort, loadBalancer, istio, gatewayApi, apiGateway (nginx)');
  });

  test('the standard API names Kong among the strategies that can', () => {
    expect(exposeError({ backend: httpbin(), auth: Auth.apiKey({ secret: 'keys' }) }, { gatewayClassName: 'kong' })).toBe(
      'ExposedService test/public: auth: \'auth-api-key\' is not supported by gatewayApi; supported by: gatewayApi (envoyGateway), gatewayApi (kong), apiGateway (nginx), apiGateway (kong)');
  });

  test('an ingress-nginx exposure with a rate limit, basic auth, an IP allow list and a body size moves to Kong by the strategy alone', () => {
    const declaration: Omit<ExposedServiceProps, 'strategy'> = {
      hosts: ['shop.example.com'],
      backend: httpbin(),
      rateLimit: RateLimit.perSecond(20, { burst: 20 }),
      auth: Auth.basic({ secret: 'admins' }),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
      maxRequestBody: Size.mebibytes(16),
    };
    const before = testChart('before', 'shop');
    new ExposedService(before, 'shop', { ...declaration, strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }) });
    synthChecked(before);
    const after = testChart('after', 'shop');
    new ExposedService(after, 'shop', { ...declaration, strategy: ExposureStrategy.gatewayApi(KONG) });
    const manifests = synthChecked(after);
    expect(manifests.map((m) => m.kind)).toEqual(['Gateway', 'HTTPRoute', 'KongPlugin', 'KongPlugin', 'KongPlugin', 'KongPlugin', 'KongPlugin', 'Secret', 'KongConsumer']);
    expect(plugins(manifests).map(([name, plugin]) => [name, plugin])).toEqual([
      ['after-shop-ip-restriction', 'ip-restriction'],
      ['after-shop-basic-auth', 'basic-auth'],
      ['after-shop-acl', 'acl'],
      ['after-shop-rate-limiting', 'rate-limiting'],
      ['after-shop-request-size-limiting', 'request-size-limiting'],
    ]);
  });
});
