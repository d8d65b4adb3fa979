import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AggregatePart, ApiGatewayEngine, Auth, Backend, BackendTls, CircuitBreaker, ExposedService, ExposedServiceProps, ExposureStrategy,
  GatewayImplementation, IngressController, PathMatch,
} from '../../src';
import { AGGREGATE_SCRIPT } from '../../src/strategies/api-gateway/nginx/nginx-aggregate-script';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

/**
 * Request aggregation (`aggregate`): what the NGINX engine renders (the parts' upstreams and
 * internal locations, the route's njs handler, the module in the ConfigMap), the values and types
 * it refuses, and every other strategy's refusal. What a client sees is in
 * test/e2e/api-gateway-nginx-aggregate.test.ts, on the real nginx.
 */
const users = () => Backend.fromName('users', 8080);
const orders = () => Backend.fromName('orders', 8080);
const nginxGateway = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });
const dashboard = (aggregate: ExposedServiceProps['routes'] extends (infer R)[] | undefined ? R extends { aggregate?: infer A } ? A : never : never) =>
  ({ match: { path: PathMatch.exact('/dashboard') }, aggregate });
const parts = () => ({
  user: AggregatePart.required(users(), { path: '/users/{query.user}', timeout: Duration.seconds(2) }),
  orders: AggregatePart.optional(orders(), { path: '/orders?user={header.X-User}&limit=5' }),
});

function gatewayManifests(props: Partial<ExposedServiceProps>): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', { strategy: nginxGateway(), backend: Backend.fromName('api', 8080), ...props });
  return synthChecked(chart);
}

const errorOf = (props: Partial<ExposedServiceProps>) => declarationError({ strategy: nginxGateway(), backend: Backend.fromName('api', 8080), ...props }).message;

describe('aggregate routes on the NGINX engine', () => {
  const manifests = gatewayManifests({ timeout: Duration.seconds(5), routes: [dashboard(parts()), { match: { path: PathMatch.prefix('/') } }] });
  const configMap = find(manifests, 'ConfigMap');
  const config: string = configMap.data['nginx.conf'];

  test('the njs module is loaded from the image, imported, and shipped next to nginx.conf', () => {
    expect(config.split('\n')[0]).toBe('load_module /etc/nginx/modules/ngx_http_js_module.so;');
    expect(config).toContain('  js_path /etc/nginx/conf/;\n  js_import aggregate from aggregate.js;');
    expect(configMap.data['aggregate.js']).toBe(AGGREGATE_SCRIPT);
  });

  test('the route answers with njs, its parts (name, internal location, required, path pieces) in $aggregate_parts', () => {
    const route = config.slice(config.indexOf('location = /__route/0 {'));
    const body = route.slice(0, route.indexOf('\n    }'));
    const plan = [
      { name: 'user', location: '/__aggregate/0/0', required: true, path: [['text', '/users/'], ['query', 'user']] },
      // Header names lowercased.
      { name: 'orders', location: '/__aggregate/0/1', required: false, path: [['text', '/orders?user='], ['header', 'x-user'], ['text', '&limit=5']] },
    ];
    expect(body).toContain(`set $aggregate_parts "${JSON.stringify(plan).replace(/"/g, '\\"')}";`);
    expect(body).toContain('js_content aggregate.compose;');
    expect(body).not.toContain('proxy_pass');
  });

  test('each part: an upstream of its Service, an internal location proxying a bodiless GET with its timeout (else the route\'s)', () => {
    expect(config).toContain('upstream aggregate_0_0 {\n    server users.shop.svc.cluster.local:8080 weight=1 max_fails=0;\n    keepalive 16;\n  }');
    expect(config).toContain('upstream aggregate_0_1 {\n    server orders.shop.svc.cluster.local:8080 weight=1 max_fails=0;\n    keepalive 16;\n  }');
    const part = (k: number) => {
      const start = config.indexOf(`location ~ "^/__aggregate/0/${k}(?<aggregate_uri>/.*)$" {`);
      expect(start).toBeGreaterThan(0);
      return config.slice(start, config.indexOf('\n    }', start));
    };
    for (const k of [0, 1]) {
      expect(part(k)).toContain('internal;');
      expect(part(k)).toContain('proxy_pass_request_body off;');
      expect(part(k)).toContain('proxy_set_header Accept-Encoding "";');
      expect(part(k)).toContain('proxy_next_upstream off;');
      expect(part(k)).toContain('subrequest_output_buffer_size 1m;');
      expect(part(k)).toContain(`proxy_pass http://aggregate_0_${k}$aggregate_uri$is_args$args;`);
    }
    expect(part(0)).toContain('proxy_connect_timeout 2000ms;\n      proxy_send_timeout 2000ms;\n      proxy_read_timeout 2000ms;');
    expect(part(1)).toContain('proxy_connect_timeout 5000ms;\n      proxy_send_timeout 5000ms;\n      proxy_read_timeout 5000ms;');
  });

  test('every part\'s Service is an upstream server of the gateway, as the forwarding routes\' are', () => {
    const proxied = config.match(/server [a-z-]+\.shop\.svc\.cluster\.local:8080/g)!.map((s) => s.split(' ')[1].split('.')[0]);
    expect(new Set(proxied)).toEqual(new Set(['api', 'users', 'orders']));
  });

  test('a part to a Deployment gets the Service the library creates for it', () => {
    const chart = testChart('shop', 'shop');
    const profiles = new kplus.Deployment(chart, 'profiles', { containers: [{ image: 'ghcr.io/acme/profiles:1.0.0', portNumber: 8080 }] });
    new ExposedService(chart, 'api', { strategy: nginxGateway(), routes: [dashboard({ profile: AggregatePart.required(Backend.fromDeployment(profiles), { path: '/me' }) })] });
    const synthesized = synthChecked(chart);
    const service = synthesized.find((m) => m.kind === 'Service' && m.metadata.name!.startsWith('shop-profiles'))!;
    expect(service.spec.ports).toEqual([expect.objectContaining({ port: 8080, targetPort: 8080 })]);
    expect(find(synthesized, 'ConfigMap').data['nginx.conf']).toContain(`server ${service.metadata.name}.shop.svc.cluster.local:8080 weight=1 max_fails=0;`);
  });

  test('a part to a backend with TLS proxies over https with its CA', () => {
    const secure = gatewayManifests({
      routes: [dashboard({ user: AggregatePart.required(Backend.fromName('users', 8443, { tls: BackendTls.fromSecret('users-ca', { serverName: 'users.shop.svc' }) }), { path: '/me' }) })],
    });
    const text: string = find(secure, 'ConfigMap').data['nginx.conf'];
    expect(text).toContain('proxy_pass https://aggregate_0_0$aggregate_uri$is_args$args;');
    expect(text).toContain('proxy_ssl_trusted_certificate /etc/nginx/secrets/users-ca/ca.crt;');
  });

  test('with a circuit breaker, a part shares the upstream (and its max_conns) of the routes to its Service alone', () => {
    const limited = gatewayManifests({
      circuitBreaker: CircuitBreaker.of({ maxConnections: 10 }),
      routes: [dashboard({ user: AggregatePart.required(users(), { path: '/me' }) }), { match: { path: PathMatch.prefix('/users') }, backend: users() }],
    });
    const text: string = find(limited, 'ConfigMap').data['nginx.conf'];
    expect(text.match(/server users\.shop\.svc\.cluster\.local:8080 weight=1 max_fails=0 max_conns=10;/g)).toHaveLength(1);
    expect(text).toContain('proxy_pass http://aggregate_0_0$aggregate_uri$is_args$args;');
    expect(text).toContain('proxy_pass "http://aggregate_0_0${request_uri}";');
  });

  test('with a circuit breaker, a part\'s Service in a weighted split too is refused: each upstream would get the whole limit', () => {
    expect(errorOf({
      circuitBreaker: CircuitBreaker.of({ maxConnections: 10 }),
      routes: [dashboard({ user: AggregatePart.required(users(), { path: '/me' }) }), { match: { path: PathMatch.prefix('/users') }, backends: [{ backend: users() }, { backend: orders() }] }],
    }).split('\n')).toContain('ExposedService test/public: circuitBreaker: nginx counts max_conns per upstream, and the Service "users" is in 2 different ones '
      + '(routes[0].aggregate.user.backend, routes[1]: alone, weighted, or mirrored), so each would get the whole limit; send it the same way from every route, or use istio');
  });

  test('no aggregate route: no njs module, the configuration as before', () => {
    const plain = find(gatewayManifests({}), 'ConfigMap');
    expect(Object.keys(plain.data)).toEqual(['nginx.conf']);
    expect(plain.data['nginx.conf']).not.toContain('js_');
  });

  test('the route\'s own policies stay in its location, before the handler', () => {
    const text: string = find(gatewayManifests({ routes: [{ ...dashboard(parts()), auth: Auth.apiKey({ secret: 'keys' }) }] }), 'ConfigMap').data['nginx.conf'];
    const route = text.slice(text.indexOf('location = /__route/0 {'));
    expect(route.indexOf('if ($api_consumer_0 = "")')).toBeGreaterThan(0);
    expect(route.indexOf('if ($api_consumer_0 = "")')).toBeLessThan(route.indexOf('js_content aggregate.compose;'));
  });
});

describe('aggregate: values', () => {
  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['no part', { routes: [dashboard({})] },
      'routes[0].aggregate: is empty; declare at least one part, e.g. { user: AggregatePart.required(backend, { path: \'/users/{query.user}\' }) }'],
    ['a part named errors', { routes: [dashboard({ errors: AggregatePart.required(users(), { path: '/x' }) })] },
      'routes[0].aggregate: "errors" is the member that reports failed parts; name the part otherwise'],
    ['a part name with a space', { routes: [dashboard({ 'my part': AggregatePart.required(users(), { path: '/x' }) })] },
      'routes[0].aggregate: "my part" is not a part name; use 1 to 63 letters, digits, "_" or "-", starting with a letter'],
    ['a part name starting with a digit', { routes: [dashboard({ '1st': AggregatePart.required(users(), { path: '/x' }) })] },
      'routes[0].aggregate: "1st" is not a part name; use 1 to 63 letters, digits, "_" or "-", starting with a letter'],
    ['a path without a leading slash', { routes: [dashboard({ user: AggregatePart.required(users(), { path: 'users/{query.id}' }) })] },
      'routes[0].aggregate.user.path: "users/{query.id}" does not start with "/"; use "/users/{query.id}"'],
    ['an unknown placeholder source', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/users/{cookie.id}' }) })] },
      'routes[0].aggregate.user.path: {cookie.id} is not a placeholder; use {query.NAME} or {header.NAME}'],
    ['a placeholder without a name', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/users/{query.}' }) })] },
      'routes[0].aggregate.user.path: {query.} does not name a query parameter; use 1 to 128 letters, digits, ".", "_", "~" or "-"'],
    ['a header placeholder that is no header name', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/users/{header.x user}' }) })] },
      'routes[0].aggregate.user.path: {header.x user}: "x user" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)'],
    ['a stray brace', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/users/{query.id' }) })] },
      'routes[0].aggregate.user.path: "/users/{query.id" has a "{" or "}" outside a placeholder; placeholders are {query.NAME} and {header.NAME}'],
    ['white space in the path', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/my users/{query.id}' }) })] },
      'routes[0].aggregate.user.path: "/my users/x" contains white space; percent-encode it'],
    ['a fragment', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/users?a=1#top' }) })] },
      'routes[0].aggregate.user.path: the query "a=1#top" has characters a URL query carries percent-encoded (or a "#"); percent-encode them'],
    ['a zero timeout', { routes: [dashboard({ user: AggregatePart.required(users(), { path: '/me', timeout: Duration.millis(0) }) })] },
      'routes[0].aggregate.user.timeout: 0ms is not a positive duration; leave it unset for the default'],
    ['a gRPC backend', { routes: [dashboard({ user: AggregatePart.required(Backend.fromName('users', 9090, { protocol: 'grpc' }), { path: '/me' }) })] },
      'routes[0].aggregate.user.backend: is declared with protocol "grpc"; a part is called with HTTP/1.1 GET and answers JSON: use an HTTP port'],
    ['aggregate and a backend', { routes: [{ ...dashboard(parts()), backend: users() }] },
      'routes[0]: sets aggregate and backend; an aggregate route calls its parts: remove backend'],
    ['aggregate and a redirect', { routes: [{ ...dashboard(parts()), redirect: { path: '/x' } }] },
      'routes[0]: sets aggregate and redirect; an aggregate route calls its parts: remove redirect'],
    ['a rewrite', { routes: [{ ...dashboard(parts()), rewrite: { path: '/x' } }] },
      'routes[0].rewrite: an aggregate route calls each part on its own path and answers itself; remove it or the aggregate'],
    ['retries', { routes: [{ ...dashboard(parts()), retries: { attempts: 2 } }] },
      'routes[0].retries: an aggregate route calls each part on its own path and answers itself; remove it or the aggregate'],
    ['request header edits', { routes: [{ ...dashboard(parts()), requestHeaders: { set: { 'x-a': '1' } } }] },
      'routes[0].requestHeaders: an aggregate route calls each part on its own path and answers itself; remove it or the aggregate'],
    ['gRPC', { routes: [{ ...dashboard(parts()), protocol: 'grpc' }] },
      'routes[0].protocol: an aggregate route composes JSON answers of HTTP parts; remove protocol or the aggregate'],
    ['a POST route', { routes: [{ match: { path: PathMatch.exact('/dashboard'), method: 'POST' }, aggregate: parts() }] },
      'routes[0].match.method: is POST, and an aggregate route answers GET and HEAD (its parts are called with GET); match GET, or leave method unset'],
    ['too many parts', { routes: [dashboard(Object.fromEntries(Array.from({ length: 17 }, (_x, k) => [`p${k}`, AggregatePart.optional(users(), { path: `/p/${k}` })])))] },
      'routes[0].aggregate: has 17 parts; at most 16 (each request calls every one)'],
  ])('%s', (_name, props, message) => {
    expect(errorOf(props).split('\n')).toContain(`ExposedService test/public: ${message}`);
  });

  test('the parts\' paths become one configuration token, which nginx bounds', () => {
    const long = Object.fromEntries(Array.from({ length: 5 }, (_x, k) => [`p${k}`, AggregatePart.optional(users(), { path: `/${'a'.repeat(1000)}` })]));
    expect(errorOf({ routes: [dashboard(long)] })).toMatch(
      /^ExposedService test\/public: routes\[0\]\.aggregate: nginx reads at most 4095 bytes per configuration token, and the list of parts \(names and paths\) is written as one of \d+ bytes; shorten it, or use the Kong engine$/);
  });

  test('the exposure\'s retries concern the forwarding routes: an aggregate route calls each part once', () => {
    const text: string = find(gatewayManifests({ retries: { attempts: 2 }, routes: [dashboard(parts()), { match: { path: PathMatch.prefix('/') } }] }), 'ConfigMap').data['nginx.conf'];
    const partLocation = text.slice(text.indexOf('location ~ "^/__aggregate/0/0'), text.indexOf('location = /__route/0'));
    expect(partLocation).toContain('proxy_next_upstream off;');
    expect(partLocation).not.toContain('proxy_next_upstream_tries');
    expect(text).toContain('proxy_next_upstream_tries 3;');
  });
});

describe('aggregate: runtime types', () => {
  test.each<[string, Partial<ExposedServiceProps>, string]>([
    ['aggregate not an object', { routes: [{ aggregate: 'users' as any }] }, 'routes[0].aggregate: is a string ("users"); use an object of names to values'],
    ['a part that is a Backend', { routes: [{ aggregate: { user: users() as any } }] },
      'routes[0].aggregate.user: is a Backend; use AggregatePart.required(backend, { path }) or AggregatePart.optional(backend, { path })'],
    ['a part without options', { routes: [dashboard({ user: AggregatePart.required(users(), undefined as any) })] },
      'routes[0].aggregate.user: options is undefined; use the options of an aggregate part'],
    ['a part without a path', { routes: [dashboard({ user: AggregatePart.required(users(), {} as any) })] },
      'routes[0].aggregate.user: path is missing; the options of an aggregate part needs it'],
    ['a path that is a number', { routes: [dashboard({ user: AggregatePart.optional(users(), { path: 7 as any }) })] },
      'routes[0].aggregate.user: path is a number (7); use a string'],
    ['a timeout in numbers', { routes: [dashboard({ user: AggregatePart.optional(users(), { path: '/me', timeout: 300 as any }) })] },
      'routes[0].aggregate.user: timeout is a number (300); use a cdk8s Duration, e.g. Duration.seconds(5)'],
    ['an unknown option', { routes: [dashboard({ user: AggregatePart.optional(users(), { path: '/me', required: true } as any) })] },
      'routes[0].aggregate.user: required is not a field of the options of an aggregate part; the fields are path, timeout'],
    ['a backend that is a string', { routes: [dashboard({ user: AggregatePart.optional('users' as any, { path: '/me' }) })] },
      'routes[0].aggregate.user: backend is a string ("users"); use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)'],
  ])('%s', (_name, props, message) => {
    expect(errorOf(props).split('\n')).toContain(`ExposedService test/public: ${message}`);
  });
});

describe('aggregate: the strategies that cannot express it', () => {
  test.each<[string, ExposureStrategy]>([
    ['nodePort', ExposureStrategy.nodePort()],
    ['loadBalancer', ExposureStrategy.loadBalancer()],
    ['ingress', ExposureStrategy.ingress({ className: 'nginx' })],
    ['ingress (ingressNginx)', ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
    // A VirtualService sends each request to one destination.
    ['istio', ExposureStrategy.istio()],
    ['gatewayApi', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
    ['gatewayApi (experimental)', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })],
    ['gatewayApi (envoyGateway)', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() })],
    ['gatewayApi (traefik)', ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: GatewayImplementation.traefik() })],
    ['gatewayApi (nginxGatewayFabric)', ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: GatewayImplementation.nginxGatewayFabric() })],
    ['gatewayApi (kong)', ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: GatewayImplementation.kong() })],
    ['gatewayApi (istio)', ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: GatewayImplementation.istio() })],
    // No bundled plugin of Kong OSS calls several services for one request.
    ['apiGateway (kong)', ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() })],
  ])('%s refuses it, naming the NGINX engine', (name, refusing) => {
    const lines = declarationError({ strategy: refusing, backend: Backend.fromName('api', 8080), routes: [dashboard(parts())] }).message.split('\n');
    expect(lines).toContain(`ExposedService test/public: routes[0].aggregate: 'aggregation' is not supported by ${name}; supported by: apiGateway (nginx)`);
  });

  test('behind a front (exposedVia), the gateway composes: the front only forwards to it', () => {
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.istio() }),
      hosts: ['api.example.com'],
      routes: [dashboard(parts())],
    });
    const manifests = synthChecked(chart);
    expect(find(manifests, 'ConfigMap').data['nginx.conf']).toContain('js_content aggregate.compose;');
    expect(find(manifests, 'VirtualService').spec.http).toHaveLength(1);
  });
});

test('the exposure\'s retries and idle timeout are the forwarding routes\', not an aggregate route\'s', () => {
  const declared = {
    retries: { attempts: 2 },
    idleTimeout: Duration.minutes(5),
    routes: [dashboard(parts()), { match: { path: PathMatch.prefix('/') } }],
  };
  const config: string = find(gatewayManifests(declared), 'ConfigMap').data['nginx.conf'];
  const part = config.slice(config.indexOf('location ~ "^/__aggregate/0/0'), config.indexOf('location ~ "^/__aggregate/0/1'));
  const forwarded = config.slice(config.indexOf('location = /__route/1'));
  // The forwarding route retries and waits 5 minutes for a silent backend; the parts do neither.
  expect(forwarded).toContain('proxy_next_upstream_tries 3;');
  expect(forwarded).toContain('300000ms');
  expect(part).toContain('proxy_next_upstream off;');
  expect(part).not.toContain('300000ms');
});

test('each part gets the identity headers a forwarded backend gets: the JWT\'s consumer, replacing a client\'s own', () => {
  const config: string = find(gatewayManifests({
    auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/keys', jwksSecret: 'id-jwks' }),
    routes: [dashboard(parts()), { match: { path: PathMatch.prefix('/') } }],
  }), 'ConfigMap').data['nginx.conf'];
  for (const k of [0, 1]) {
    const start = config.indexOf(`location ~ "^/__aggregate/0/${k}`);
    expect(config.slice(start, config.indexOf('}', start))).toContain('proxy_set_header X-Consumer-Username $consumer;');
  }
});
