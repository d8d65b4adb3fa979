import { Duration, Size } from 'cdk8s';
import * as YAML from 'yaml';
import {
  AccessPolicy, ApiGatewayEngine, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, HeaderMatch, PathMatch, QueryParamMatch,
  RateLimit, Tls,
} from '../../src';
import { headerMatchProblem } from '../../src/strategies/api-gateway/kong/checks';
import { hygieneProblems } from '../support/hygiene';
import { kongConfigProblems } from '../support/kong-schema';
import { secretManifest, simulatePod } from '../support/pod-simulation';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

const api = () => Backend.fromName('api', 8080);

function expose(props: Partial<ExposedServiceProps>, engine = ApiGatewayEngine.kong()): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', { strategy: ExposureStrategy.apiGateway({ engine }), ...props });
  return synthChecked(chart);
}
// Kong reads its declarative configuration as YAML 1.1 (where a plain `on` is a boolean): so do the tests.
const kongOf = (manifests: Manifest[]) => YAML.parse(find(manifests, 'ConfigMap').data['kong.yml'], { version: '1.1' });
const gateway = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec;

/** A declaration with every policy both engines share. */
const SHARED: Partial<ExposedServiceProps> = {
  hosts: ['api.example.com'],
  backend: api(),
  auth: Auth.apiKey({ secret: 'api-keys' }),
  rateLimit: RateLimit.perSecond(10, { key: 'api-key' }),
  timeout: Duration.seconds(5),
  routes: [
    { match: { path: PathMatch.prefix('/v1') }, backend: Backend.fromName('api-v1', 8080), rewrite: { path: '/' } },
    { match: { path: PathMatch.prefix('/v2') }, backends: [{ backend: Backend.fromName('api-v2', 8080), weight: 9 }, { backend: Backend.fromName('api-v3', 8080), weight: 1 }] },
    { match: { path: PathMatch.exact('/ping') }, rewrite: { path: '/healthz' }, timeout: Duration.seconds(1) },
    { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }), rateLimit: RateLimit.perMinute(60) },
    { match: { path: PathMatch.prefix('/') } },
  ],
};

describe('apiGateway strategy, Kong engine (DB-less)', () => {
  test('strings stay strings for Kong, which reads YAML 1.1: on, yes, off, 1:20, 0755', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: api(),
      routes: [{ match: { path: PathMatch.prefix('/on'), headers: [HeaderMatch.exact('on', '1:20')] }, requestHeaders: { set: { 'x-mode': 'off', 'x-at': '1:20', 'x-n': '0755' } } }],
    });
    const text = find(manifests, 'ConfigMap').data['kong.yml'];
    expect(text).toContain('"on":\n');
    expect(text).toContain('- "1:20"\n');
    const service = kongOf(manifests).services[0];
    expect(service.routes[0].headers).toEqual({ on: ['1:20'] });
    expect(service.routes[0].paths).toEqual(['/on']);
    expect(service.plugins.find((p: any) => p.name === 'request-transformer').config.replace.headers).toEqual(['x-at:1:20', 'x-mode:off', 'x-n:0755']);
  });

  test('a declarative configuration: services, routes, upstreams and plugins', () => {
    const manifests = expose(SHARED);
    const config = kongOf(manifests);
    expect(config._format_version).toBe('3.0');
    expect(config.consumers).toBeUndefined();
    expect(config.services.map((s: any) => s.name)).toEqual(['routes-2', 'routes-3', 'routes-0', 'routes-1', 'routes-4']);
    const v1 = config.services.find((s: any) => s.name === 'routes-0');
    expect(v1).toEqual(expect.objectContaining({ host: expect.stringMatching(/^upstream-\d$/), port: 8080, protocol: 'http', path: '/', read_timeout: 5000 }));
    expect(v1.routes[0]).toEqual({
      name: 'routes-0', hosts: ['api.example.com'], paths: ['/v1'], strip_path: true, preserve_host: true, regex_priority: 3, protocols: ['http', 'https'],
    });
    expect(v1.plugins).toEqual([
      { name: 'key-auth', config: { key_names: ['x-api-key'], hide_credentials: true } },
      { name: 'acl', config: { allow: ['api-keys'], hide_groups_header: true } },
      { name: 'rate-limiting', config: { second: 10, policy: 'local', limit_by: 'consumer', error_code: 429 } },
    ]);
    const v2 = config.services.find((s: any) => s.name === 'routes-1');
    expect(config.upstreams.find((u: any) => u.name === v2.host).targets).toEqual([
      { target: 'api-v2.shop.svc.cluster.local:8080', weight: 9 }, { target: 'api-v3.shop.svc.cluster.local:8080', weight: 1 },
    ]);
    expect(config.services.find((s: any) => s.name === 'routes-2').routes[0].paths).toEqual(['~/ping$']);
    expect(config.plugins.map((p: any) => p.name)).toEqual(['prometheus', 'file-log', 'request-size-limiting']);
    expect(manifests).toMatchSnapshot();
  });

  test('the Kong workload: DB-less, no Admin API, status probes, hardened', () => {
    const manifests = expose(SHARED);
    const pod = gateway(manifests);
    const env = Object.fromEntries(pod.containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toEqual(expect.objectContaining({
      KONG_DATABASE: 'off',
      KONG_DECLARATIVE_CONFIG: '/kong/generated/kong.yml',
      KONG_ADMIN_LISTEN: 'off',
      KONG_ADMIN_GUI_LISTEN: 'off',
      KONG_STATUS_LISTEN: '0.0.0.0:8100',
      KONG_PROXY_LISTEN: '0.0.0.0:8000',
      KONG_PREFIX: '/kong/prefix',
    }));
    expect(pod.containers[0].image).toBe('kong:3.9.1');
    expect(pod.containers[0].readinessProbe.httpGet).toEqual({ path: '/status/ready', port: 8100, scheme: 'HTTP' });
    expect(pod.initContainers[0].volumeMounts).toEqual([
      { name: 'credentials', mountPath: '/kong/generated' },
      // The script copies kong.yml from the configuration before appending the consumers.
      { name: 'config', mountPath: '/kong/config', readOnly: true },
      { name: 'secret-0', mountPath: '/kong/secrets/admins', readOnly: true },
      { name: 'secret-1', mountPath: '/kong/secrets/api-keys', readOnly: true },
    ]);
    expect(find(manifests, 'Service').spec.ports).toEqual([{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8000 }]);
    expect(hygieneProblems(manifests)).toEqual([]);
  });

  test('TLS at the gateway: HTTPS listener with the mounted certificate, HTTP redirected, HSTS', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), tls: Tls.fromSecret('api-tls') });
    const env = Object.fromEntries(gateway(manifests).containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env.KONG_PROXY_LISTEN).toBe('0.0.0.0:8000, 0.0.0.0:8443 ssl');
    expect(env.KONG_SSL_CERT).toBe('/kong/tls/tls.crt');
    const service = kongOf(manifests).services[0];
    expect(service.routes[0]).toEqual(expect.objectContaining({ protocols: ['https'], https_redirect_status_code: 301 }));
    expect(service.plugins).toContainEqual({
      name: 'response-transformer',
      config: { remove: { headers: [] }, replace: { headers: [] }, add: { headers: ['Strict-Transport-Security:max-age=31536000; includeSubDomains'] }, append: { headers: [] } },
    });
  });

  test('consumers come from the Secrets at pod start: the init script renders them, escaping included', async () => {
    const manifests = expose({
      ...SHARED,
      routes: [...SHARED.routes!, {
        match: { path: PathMatch.prefix('/partner') },
        rateLimit: RateLimit.perMinute(600),
        auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', publicKeySecret: 'partner-key' }),
      }],
    });
    // The pod as the cluster starts it: the Secrets in the README's format, the init container in a sandbox.
    const pod = await simulatePod({
      manifests,
      secrets: [
        secretManifest('api-keys', { alice: 'k3y"with\\quote\n', bob: 'bob-key' }),
        secretManifest('admins', { root: 'pa:ss' }),
        secretManifest('partner-key', { 'public-key.pem': '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----\n' }),
      ],
    });
    try {
      const config = YAML.parse(pod.readFile('gateway', '/kong/generated/kong.yml')!, { version: '1.1' });
      expect(config.services).toEqual(kongOf(manifests).services);
      expect(config.consumers).toEqual([
        { username: 'alice', keyauth_credentials: [{ key: 'k3y"with\\quote' }], acls: [{ group: 'api-keys' }] },
        { username: 'bob', keyauth_credentials: [{ key: 'bob-key' }], acls: [{ group: 'api-keys' }] },
        { username: 'root', basicauth_credentials: [{ username: 'root', password: 'pa:ss' }], acls: [{ group: 'admins' }] },
        {
          username: 'jwt-partner-key',
          jwt_secrets: [{ key: 'https://id.example.com', algorithm: 'RS256', rsa_public_key: '-----BEGIN PUBLIC KEY-----\nMIIBIjANBgkq\n-----END PUBLIC KEY-----\n' }],
          acls: [{ group: 'partner-key' }],
        },
      ]);
    } finally {
      pod.dispose();
    }
    // Nothing of the keys is in the synthesized YAML.
    expect(JSON.stringify(manifests)).not.toMatch(/bob-key|k3y|pa:ss|BEGIN PUBLIC KEY/);
  });

  test.each([
    ['a redirect', { routes: [{ redirect: { scheme: 'https', host: 'new.example.com' } }] },
      "ExposedService test/public: routes[0].redirect: 'redirect' is not supported by apiGateway (kong); supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)"],
    ['mirroring', { routes: [{ mirror: { backend: Backend.fromName('shadow', 80) } }] },
      "ExposedService test/public: routes[0].mirror: 'mirror' is not supported by apiGateway (kong); supported by: ingress (ingressNginx), istio, gatewayApi, apiGateway (nginx)"],
    ['a query match', { routes: [{ match: { queryParams: [QueryParamMatch.exact('v', '2')] } }] },
      "ExposedService test/public: routes[0].match.queryParams: 'query-match' is not supported by apiGateway (kong); supported by: istio, gatewayApi, apiGateway (nginx)"],
    ['a burst', { rateLimit: RateLimit.perSecond(10, { burst: 5 }) },
      "ExposedService test/public: rateLimit.burst: Kong's rate-limiting counts fixed windows and has no burst; set burst to 0"],
    ['retries on 5xx', { retries: { attempts: 2, retryOn: ['5xx'] } },
      'ExposedService test/public: retries.retryOn: Kong retries connection failures only; set retryOn to ["connect-failure", "reset"]'],
    ['JWT without a public key', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' }) },
      "ExposedService test/public: auth: Kong's jwt plugin verifies with the issuer's public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })"],
    ['JWT audiences', { auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k', audiences: ['api'], publicKeySecret: 'k' }) },
      "ExposedService test/public: auth.audiences: Kong's jwt plugin does not check audiences; remove them, or use istio or the NGINX engine"],
  ] as [string, Partial<ExposedServiceProps>, string][])('%s is an error', (_name, props, message) => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() });
    expect(declarationError({ strategy, backend: api(), ...props }).message).toBe(message);
  });

  test('every problem Kong cannot express, at once: routes in declaration order, an inherited policy told once', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() });
    const jwt = (issuer: string, options: { audiences?: string[]; publicKeySecret?: string }) => Auth.jwt({ issuer, jwksUri: `${issuer}/keys`, ...options });
    const error = declarationError({
      strategy,
      backend: api(),
      // Inherited by every route: one problem.
      rateLimit: RateLimit.perSecond(10, { burst: 5 }),
      routes: [
        { match: { path: PathMatch.prefix('/a') }, auth: jwt('https://a.example.com', { audiences: ['api'], publicKeySecret: 'key' }) },
        {
          match: { path: PathMatch.prefix('/b') },
          auth: jwt('https://b.example.com', { publicKeySecret: 'key' }),
          timeout: Duration.seconds(3),
          retries: { attempts: 2, retryOn: ['5xx'], perTryTimeout: Duration.seconds(1) },
        },
        { match: { path: PathMatch.prefix('/c') }, auth: jwt('https://c.example.com', {}) },
      ],
    });
    expect(error.message).toBe([
      "ExposedService test/public: routes[0].auth.audiences: Kong's jwt plugin does not check audiences; remove them, or use istio or the NGINX engine",
      "ExposedService test/public: rateLimit.burst: Kong's rate-limiting counts fixed windows and has no burst; set burst to 0",
      'ExposedService test/public: routes[1].auth: publicKeySecret "key" is already the key of issuer https://a.example.com; one Secret per issuer',
      'ExposedService test/public: routes[1].retries.retryOn: Kong retries connection failures only; set retryOn to ["connect-failure", "reset"]',
      'ExposedService test/public: routes[1].retries.perTryTimeout: Kong bounds each try (read_timeout), not the whole request: set either timeout or retries.perTryTimeout',
      "ExposedService test/public: routes[2].auth: Kong's jwt plugin verifies with the issuer's public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })",
    ].join('\n'));
  });

  test('a public key shared by two issuers: the key is the most specific route\'s issuer\'s, the other route is told', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() });
    const jwt = (issuer: string) => Auth.jwt({ issuer, jwksUri: `${issuer}/keys`, publicKeySecret: 'key' });
    expect(declarationError({
      strategy,
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/') }, auth: jwt('https://a.example.com') },
        { match: { path: PathMatch.prefix('/api') }, auth: jwt('https://b.example.com') },
      ],
    }).message).toBe('ExposedService test/public: routes[0].auth: publicKeySecret "key" is already the key of issuer https://b.example.com; one Secret per issuer');
  });

  test('a body limit below 1 KiB is an error, not rounded up', () => {
    const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong({ maxBodySize: Size.kibibytes(0.5) }) });
    expect(declarationError({ strategy, backend: api() }).message).toBe('ExposedService test/public: strategy: maxBodySize is below 1 KiB');
  });

  test('header matches and edits map to route headers and transformers: prefixes and regexes anchored, as Kong searches them', () => {
    const service = kongOf(expose({
      backend: api(),
      routes: [{
        match: {
          path: PathMatch.prefix('/'),
          headers: [HeaderMatch.exact('x-canary', '1'), HeaderMatch.prefix('x-version', '2.'), HeaderMatch.regex('x-tenant', '(?i)acme|globex')],
        },
        requestHeaders: { set: { 'x-env': 'prod' }, add: { 'x-tag': 'gw' }, remove: ['x-debug'] },
      }],
    })).services[0];
    // The group keeps the anchors around the whole alternation.
    expect(service.routes[0].headers).toEqual({ 'x-canary': ['1'], 'x-tenant': ['~*^(?:(?i)acme|globex)$'], 'x-version': ['~*^2\\.'] });
    expect(service.plugins).toEqual([{
      name: 'request-transformer',
      config: { remove: { headers: ['x-debug'] }, replace: { headers: ['x-env:prod'] }, add: { headers: ['x-env:prod'] }, append: { headers: ['x-tag:gw'] } },
    }]);
  });
});

describe('Kong engine: values reach Kong literally, or are refused', () => {
  const strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() });
  const onRoute = (route: NonNullable<ExposedServiceProps['routes']>[number]) => declarationError({ strategy, backend: api(), routes: [route] }).message;

  test('literal paths are written as Kong normalizes request paths: unreserved and other characters decoded, reserved ones upper-case hex', () => {
    const services = kongOf(expose({
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/%7euser/caf%c3%a9') } },
        { match: { path: PathMatch.prefix('/a%3ab%40') } },
        { match: { path: PathMatch.exact('/files/%7Bid%7D%20x') } },
        { match: { path: PathMatch.exact('/x%2a') } },
        { match: { path: PathMatch.regex('/r/%7e[0-9]+') } },
      ],
    })).services;
    const paths = Object.fromEntries(services.map((s: any) => [s.name, s.routes[0].paths]));
    expect(paths).toEqual({
      'routes-0': ['/~user/café'],
      'routes-1': ['/a%3Ab%40'],
      'routes-2': ['~/files/\\{id\\} x$'],
      'routes-3': ['~/x%2A$'],
      // A regex is the user's: written as declared.
      'routes-4': ['~(?:/r/%7e[0-9]+)$'],
    });
  });

  test('response header values are not templates: "$(" is written as declared', () => {
    const service = kongOf(expose({ backend: api(), routes: [{ responseHeaders: { set: { 'x-note': '$(not a template)' } } }] })).services[0];
    expect(service.plugins).toEqual([{
      name: 'response-transformer',
      config: { remove: { headers: [] }, replace: { headers: ['x-note:$(not a template)'] }, add: { headers: ['x-note:$(not a template)'] }, append: { headers: [] } },
    }]);
  });

  test.each([
    ['a request header value with "$("', { requestHeaders: { set: { 'x-auth': '$(headers.authorization)' } } },
      "ExposedService test/public: routes[0].requestHeaders: Kong's request-transformer reads \"$(\" as a template (Lua): the value of \"x-auth\" cannot be carried literally; "
      + 'use the nginx engine, istio or gatewayApi'],
    ['a request header value starting with ":"', { requestHeaders: { add: { 'x-a': '::v' } } },
      'ExposedService test/public: routes[0].requestHeaders: Kong\'s transformers drop the ":" that starts a value: "x-a" would be sent as "v"; use the nginx engine, istio or gatewayApi'],
    ['a response header value starting with ":"', { responseHeaders: { set: { 'x-a': ':v' } } },
      'ExposedService test/public: routes[0].responseHeaders: Kong\'s transformers drop the ":" that starts a value: "x-a" would be sent as "v"; use the nginx engine, istio or gatewayApi'],
  ] as [string, NonNullable<ExposedServiceProps['routes']>[number], string][])('%s is an error', (_name, route, message) => {
    expect(onRoute(route)).toBe(message);
  });

  test.each([
    ['an exact value with cased letters', HeaderMatch.exact('x-canary', 'True'),
      'Kong compares header values case-insensitively: "True" would match in any case; to accept any case, use HeaderMatch.regex("x-canary", "(?i)True"); '
      + 'otherwise use the nginx engine, istio or gatewayApi'],
    ['a prefix with cased letters', HeaderMatch.prefix('user-agent', 'curl/7.'),
      'Kong compares header values case-insensitively: "curl/7." would match in any case; to accept any case, use HeaderMatch.regex("user-agent", "(?i)curl/7\\\\..*"); '
      + 'otherwise use the nginx engine, istio or gatewayApi'],
    ['an exact value starting with "~*"', HeaderMatch.exact('x-op', '~*1'),
      'Kong reads a header value starting with "~*" as a regex and has no escape for it; match "x-op" with HeaderMatch.regex("x-op", "(?i)~\\\\*1"), '
      + 'or use the nginx engine, istio or gatewayApi'],
    ['a case-sensitive regex', HeaderMatch.regex('x-tenant', 'acme|globex'),
      'Kong lowercases header values and regexes before matching, so a regex matches in any case: start it with "(?i)" to say so, or use the nginx engine, istio or gatewayApi'],
    ['a regex with an upper-case escape', HeaderMatch.regex('x-id', '(?i)\\D+'),
      'Kong lowercases header regexes: "\\D" would read as "\\d"; write the regex without it, or use the nginx engine, istio or gatewayApi'],
  ])('a header match: %s is an error', (_name, header, message) => {
    expect(onRoute({ match: { path: PathMatch.prefix('/'), headers: [header] } })).toBe(`ExposedService test/public: routes[0].match.headers: ${message}`);
  });

  // The declaration refuses flag groups inside a regex today (JavaScript does not compile them); the engine holds should that change.
  test.each([
    ['an upper-case flag', '(?i)(?U)a+', 'Kong lowercases header regexes: "(?U" would read as "(?u"; write the regex without it, or use the nginx engine, istio or gatewayApi'],
    ['a named group', '(?i)(?P<id>a)', 'Kong lowercases header regexes: "(?P" would read as "(?p"; write the regex without it, or use the nginx engine, istio or gatewayApi'],
    ['case-insensitivity turned off', '(?i)a(?s-i:B)',
      'Kong compares header values case-insensitively: "(?s-i" cannot turn that off; remove it, or use the nginx engine, istio or gatewayApi'],
  ])('a header regex with %s is a problem of the engine', (_name, value, message) => {
    expect(headerMatchProblem({ name: 'x-id', kind: 'regex', value })).toBe(message);
  });

  test('an escaped "(" is no group, and lower-case escapes and literal capitals pass', () => {
    const service = kongOf(expose({ backend: api(), routes: [{ match: { headers: [HeaderMatch.regex('x-id', '(?i)\\(?Pid\\)?\\d+ Bearer')] } }] })).services[0];
    expect(service.routes[0].headers).toEqual({ 'x-id': ['~*^(?:(?i)\\(?Pid\\)?\\d+ Bearer)$'] });
  });

  test.each([
    ['bytes that are not UTF-8', PathMatch.prefix('/a%ff%41'),
      'Kong decodes "%ff%41" in request paths to bytes that are not UTF-8 text, which its configuration cannot hold; use the nginx engine, istio or gatewayApi'],
    ['a control character', PathMatch.exact('/a%0Ab'),
      'Kong decodes "%0A" in request paths to control characters, which the library does not write into Kong\'s configuration; use the nginx engine, istio or gatewayApi'],
  ])('a path: %s is an error', (_name, path, message) => {
    expect(onRoute({ match: { path } })).toBe(`ExposedService test/public: routes[0].match.path: ${message}`);
  });
});

/** What either engine does with each route, read back from its configuration. */
interface NormalizedRoute {
  readonly backends: string[];
  readonly auth?: string;
  readonly rateLimit?: string;
  readonly timeoutMs?: number;
  readonly rewrite?: string;
}

/**
 * Kong's routes, policies normalized. A JWT route admits the consumer of its Secret (acl), whose
 * credential's key is the issuer: the init script of the pod (`initScript`) appends it at start.
 */
function normalizeKong(config: any, initScript = ''): Record<string, NormalizedRoute> {
  const issuers = Object.fromEntries([...initScript.matchAll(/'jwt-([^']+)' '([^']*)'/g)].map(([, secret, issuer]) => [secret, issuer]));
  return Object.fromEntries(config.services.map((s: any) => {
    const plugin = (name: string) => s.plugins?.find((p: any) => p.name === name)?.config;
    const acl = plugin('acl')?.allow[0];
    const rl = plugin('rate-limiting');
    return [s.name, {
      backends: config.upstreams.find((u: any) => u.name === s.host).targets.map((t: any) => `${t.target}=${t.weight}`).sort(),
      auth: plugin('key-auth') ? `api-key:${acl}` : plugin('basic-auth') ? `basic:${acl}` : plugin('jwt') ? `jwt:${issuers[acl]}` : undefined,
      rateLimit: rl ? `${rl.second ?? rl.minute}/${rl.second ? 'second' : 'minute'}/${rl.limit_by === 'consumer' ? 'api-key' : 'client-ip'}` : undefined,
      timeoutMs: s.read_timeout,
      rewrite: s.routes[0].strip_path ? s.path : undefined,
    }];
  }));
}

function normalizeNginx(config: string): Record<string, NormalizedRoute> {
  const upstreams = Object.fromEntries([...config.matchAll(/upstream (\S+) \{([^}]*)\}/g)].map(([, name, body]) =>
    [name, [...new Set([...body.matchAll(/server (\S+) weight=(\d+)/g)].map(([, t, w]) => `${t}=${w}`))].sort()]));
  const zones = Object.fromEntries([...config.matchAll(/limit_req_zone (\S+) zone=(\w+):10m rate=(\d+)r\/(\w);/g)].map(([, key, zone, n, per]) =>
    [zone, `${n}/${per === 's' ? 'second' : 'minute'}/${key === '$binary_remote_addr' ? 'client-ip' : 'api-key'}`]));
  const keyMaps = Object.fromEntries([...config.matchAll(/map \S+ (\$api_consumer_\d+) \{[^}]*generated\/(\S+)\.keys\.map;/g)].map(([, v, s]) => [v, s]));
  return Object.fromEntries([...config.matchAll(/location = \/__route\/(\d+) \{([\s\S]*?)\n {4}\}/g)].map(([, i, body]) => {
    const name = /set \$route_name "([^"]+)";/.exec(body)![1].replace(/\[(\d+)\]/, '-$1');
    const apiKey = /if \((\$api_consumer_\d+) = ""\)/.exec(body);
    const basic = /generated\/(\S+)\.htpasswd;/.exec(body);
    // A JWT route's check: the issuer its auth subrequest's location sets.
    const jwt = /auth_request \/__jwt\/(\d+);/.exec(body);
    const issuer = jwt ? new RegExp(`location = /__jwt/${jwt[1]} \\{[^}]*set \\$jwt_issuer "([^"]+)";`).exec(config)![1] : undefined;
    const zone = /limit_req zone=(\w+)/.exec(body);
    const timeout = /proxy_read_timeout (\d+)ms;/.exec(body);
    // The prefix rewrite's target: the value of the map entry for the bare prefix, "<target>${bare_<i>}".
    const rewriteMap = new RegExp(`\\(\\?<bare_${i}>[^"]*" "([^"$]*)\\$\\{bare_${i}\\}";`).exec(config);
    const fullRewrite = /proxy_pass "http:\/\/route_\d+(\/[^$"]*)\$\{is_args\}/.exec(body);
    return [name, {
      backends: upstreams[`route_${i}`],
      auth: apiKey ? `api-key:${keyMaps[apiKey[1]]}` : basic ? `basic:${basic[1]}` : issuer ? `jwt:${issuer}` : undefined,
      rateLimit: zone ? zones[zone[1]] : undefined,
      timeoutMs: timeout ? Number(timeout[1]) : undefined,
      rewrite: rewriteMap ? rewriteMap[1] : fullRewrite?.[1],
    }];
  }));
}

describe('the same declaration under ApiGatewayEngine.nginx() and ApiGatewayEngine.kong()', () => {
  const DECLARATIONS: [string, Partial<ExposedServiceProps>][] = [
    ['versioned APIs with keys, limits, timeouts, rewrites, a canary and basic auth', SHARED],
    ['moving a monolith one path at a time', {
      hosts: ['shop.example.com'],
      backend: Backend.fromName('monolith', 8080),
      routes: [
        { match: { path: PathMatch.prefix('/cart') }, backend: Backend.fromName('cart', 8080) },
        { match: { path: PathMatch.prefix('/search') }, backend: Backend.fromName('search', 9200), timeout: Duration.seconds(2) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }],
    ['a client-ip limit per minute', { backend: api(), rateLimit: RateLimit.perMinute(120) }],
    // One JWT declaration for both engines: Kong reads publicKeySecret, the NGINX engine jwksSecret.
    ['JWT routes beside public ones', {
      hosts: ['api.example.com'],
      backend: api(),
      routes: [
        {
          match: { path: PathMatch.prefix('/orders') },
          auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/jwks', publicKeySecret: 'id-key', jwksSecret: 'id-jwks' }),
          rateLimit: RateLimit.perSecond(5),
        },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }],
  ];

  test.each(DECLARATIONS)('%s: equivalent routing and policy', (_name, props) => {
    const nginx = normalizeNginx(find(expose(props, ApiGatewayEngine.nginx()), 'ConfigMap').data['nginx.conf']);
    const kongManifests = expose(props, ApiGatewayEngine.kong());
    const kong = normalizeKong(kongOf(kongManifests), gateway(kongManifests).initContainers?.[0]?.command?.[2]);
    expect(Object.keys(kong).sort()).toEqual(Object.keys(nginx).sort());
    expect(kong).toEqual(nginx);
  });
});

describe('the Kong configuration check', () => {
  test('finds unknown plugins and fields, wrong types, dangling hosts, inlined consumers, unresolved targets', () => {
    const config = YAML.stringify({
      _format_version: '2.1',
      consumers: [{ username: 'x' }],
      services: [{ name: 's', host: 'nowhere', port: '80', routes: [{ name: 'r', paths: ['/'], plugins: [{ name: 'key-auth', config: { key_name: ['x'] } }, { name: 'oauth9' }] }] }],
      upstreams: [{ name: 'u', targets: [{ target: 'ghost.shop.svc.cluster.local:80', weight: 1 }] }],
    });
    expect(kongConfigProblems(config, [], 'shop', [])).toEqual([
      '_format_version is "2.1", not "3.0"',
      'consumers are in the configuration: credentials must come from Secrets at pod start',
      'services[0]: field "port" is not a number: "80"',
      'services[0]: host nowhere is no upstream of the configuration',
      'services[0].routes[0].plugins[0] (key-auth).config: unknown field "key_name"',
      'services[0].routes[0].plugins[1]: "oauth9" is not a bundled plugin the library uses',
      'upstreams[u]: target ghost.shop.svc.cluster.local:80 is no Service port in the output nor a declared external Service',
    ]);
  });

  test('finds a hash Kong would not apply: without its header or cookie, under an algorithm that does not hash, with a bad cookie path', () => {
    const config = YAML.stringify({
      _format_version: '3.0',
      services: [],
      upstreams: [
        { name: 'a', algorithm: 'consistent-hashing', hash_on: 'header', targets: [] },
        { name: 'b', hash_on: 'cookie', hash_on_cookie: 'route', hash_on_cookie_path: 'shop', targets: [] },
        { name: 'c', algorithm: 'consistent-hashing', hash_on: 'sticky', hash_on_header: 'x user', targets: [] },
      ],
    });
    expect(kongConfigProblems(config, [], 'shop', [])).toEqual([
      'upstreams[a]: hash_on header without hash_on_header',
      'upstreams[b]: hash_on cookie with algorithm round-robin, which does not hash',
      'upstreams[b]: hash_on_cookie_path is not a path',
      'upstreams[c]: field "hash_on" is not one of none, consumer, ip, header, cookie, path, query_arg, uri_capture: "sticky"',
      'upstreams[c]: hash_on_header is not a header name',
    ]);
  });
});

describe('apiGateway strategy, Kong engine, client IP access lists', () => {
  test('ip-restriction on the services of the routes that have a list, before authentication', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: api(),
      auth: Auth.apiKey({ secret: 'api-keys' }),
      access: AccessPolicy.denyFrom(['203.0.113.0/24']),
      routes: [
        { match: { path: PathMatch.prefix('/admin') }, access: AccessPolicy.allowFrom(['10.0.0.0/8', '2001:db8::/32'], { except: ['10.66.0.0/16'] }) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    const services = kongOf(manifests).services;
    const plugins = (path: string) => services.find((s: any) => s.routes[0].paths.includes(path)).plugins;
    expect(plugins('/admin')[0]).toEqual({
      name: 'ip-restriction', config: { allow: ['10.0.0.0/8', '2001:db8::/32'], deny: ['10.66.0.0/16'], status: 403, message: 'forbidden' },
    });
    expect(plugins('/admin')[1].name).toBe('key-auth');
    expect(plugins('/')[0]).toEqual({ name: 'ip-restriction', config: { deny: ['203.0.113.0/24'], status: 403, message: 'forbidden' } });
    // No proxy trusted: Kong reads the connection's address; the LoadBalancer in front keeps the client's.
    expect(gateway(manifests).containers[0].env.map((e: any) => e.name)).not.toContain('KONG_TRUSTED_IPS');
    expect(find(manifests, 'Service', 'shop-api').spec.externalTrafficPolicy).toBe('Local');
  });

  test('trustedProxies: Kong takes the client address from X-Forwarded-For as the front sends it', () => {
    const manifests = expose({ hosts: ['api.example.com'], backend: api(), access: AccessPolicy.allowFrom(['10.0.0.0/8']) },
      ApiGatewayEngine.kong({ trustedProxies: ['10.244.0.0/16', 'fd00:10:244::/56'] }));
    const env = Object.fromEntries(gateway(manifests).containers[0].env.map((e: any) => [e.name, e.value]));
    expect(env).toEqual(expect.objectContaining({
      KONG_TRUSTED_IPS: '10.244.0.0/16,fd00:10:244::/56', KONG_REAL_IP_HEADER: 'X-Forwarded-For', KONG_REAL_IP_RECURSIVE: 'on',
    }));
  });

  test('behind an L7 front without trustedProxies: an error', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong(), exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) }),
      hosts: ['api.example.com'],
      backend: api(),
      access: AccessPolicy.allowFrom(['10.0.0.0/8']),
    }).message).toBe('ExposedService test/public: access: behind gatewayApi the gateway sees the front\'s address, not the client\'s; set the engine\'s '
      + 'trustedProxies to the addresses the front connects from (its pods\' network), so that the client address comes from X-Forwarded-For');
  });
});

describe('apiGateway strategy, Kong engine, the status of the HTTPS redirect', () => {
  const TLS = { hosts: ['api.example.com'], backend: api(), tls: Tls.fromSecret('api-tls') };
  const routeOf = (manifests: Manifest[]) => kongOf(manifests).services[0].routes[0];

  test('301 unless declared; each code as the route\'s https_redirect_status_code', () => {
    expect(routeOf(expose(TLS)).https_redirect_status_code).toBe(301);
    for (const code of [301, 302, 307, 308]) {
      const manifests = expose({ ...TLS, httpsRedirectCode: code });
      expect(routeOf(manifests)).toMatchObject({ protocols: ['https'], https_redirect_status_code: code });
    }
  });
});

describe('apiGateway strategy, Kong engine, request body size limit', () => {
  test('request-size-limiting on the services of the routes that declare one, in the largest unit it is whole in; the engine option stays global', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      backend: api(),
      maxRequestBody: Size.mebibytes(8),
      routes: [
        { match: { path: PathMatch.prefix('/upload') }, maxRequestBody: Size.gibibytes(1) },
        { match: { path: PathMatch.prefix('/small') }, maxRequestBody: Size.kibibytes(100.5) },
        { match: { path: PathMatch.prefix('/kib') }, maxRequestBody: Size.kibibytes(3) },
        { match: { path: PathMatch.prefix('/') } },
      ],
    }, ApiGatewayEngine.kong({ maxBodySize: Size.kibibytes(64) }));
    const config = kongOf(manifests);
    const limit = (path: string) => config.services.find((s: any) => s.routes[0].paths.includes(path)).plugins
      .filter((p: any) => p.name === 'request-size-limiting').map((p: any) => p.config);
    expect(limit('/upload')).toEqual([{ allowed_payload_size: 1024, size_unit: 'megabytes' }]);
    expect(limit('/small')).toEqual([{ allowed_payload_size: 102912, size_unit: 'bytes' }]);
    expect(limit('/kib')).toEqual([{ allowed_payload_size: 3, size_unit: 'kilobytes' }]);
    expect(limit('/')).toEqual([{ allowed_payload_size: 8, size_unit: 'megabytes' }]);
    // The engine's maxBodySize: the global plugin, which a service's own replaces.
    expect(config.plugins.find((p: any) => p.name === 'request-size-limiting').config).toEqual({ allowed_payload_size: 64, size_unit: 'kilobytes' });
  });
});

describe('Kong engine, WebSockets and idleTimeout', () => {
  test('idleTimeout is the read and write timeouts of its route\'s service; connecting keeps Kong\'s default', () => {
    const kong = kongOf(expose({ backend: api(), routes: [{ match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1) }, {}] }));
    const [ws, other] = kong.services;
    expect(ws).toEqual(expect.objectContaining({ read_timeout: 3_600_000, write_timeout: 3_600_000 }));
    expect(ws.connect_timeout).toBeUndefined();
    expect(other.read_timeout).toBeUndefined();
    expect(other.write_timeout).toBeUndefined();
  });

  test('idleTimeout with timeout or retries.perTryTimeout on one route is an error', () => {
    expect(declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }),
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/ws') }, idleTimeout: Duration.hours(1), timeout: Duration.seconds(5) },
        { match: { path: PathMatch.prefix('/sse') }, idleTimeout: Duration.minutes(5), retries: { attempts: 2, perTryTimeout: Duration.seconds(1), retryOn: ['connect-failure'] } },
      ],
    }).message).toBe([
      'ExposedService test/public: routes[0].idleTimeout: Kong\'s read_timeout and write_timeout are set by routes[0].timeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
      'ExposedService test/public: routes[1].idleTimeout: Kong\'s read_timeout and write_timeout are set by routes[1].retries.perTryTimeout too; '
        + 'declare one of them for this route (a timeout on the other routes, not the exposure)',
    ].join('\n'));
  });
});
