import { Duration, Size } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import {
  AccessPolicy, ApiGatewayEngine, Auth, Backend, CircuitBreaker, ClientCertificates,
  ExposedService, ExposedServiceProps, ExposureError, ExposureStrategy, HeaderMatch, IngressController, IstioGateway,
  PathMatch, QueryParamMatch, RateLimit, SessionAffinity, TcpPort, Tls, TlsPassthrough,
} from '../src';
import { declarationError, find, synthChecked, testChart } from './support/synth';

const strategy = () => ExposureStrategy.ingress({ className: 'nginx' });
const httpbin = () => Backend.fromName('httpbin', 8000);
const gateway = () => ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() });

const errorOf = (props: Partial<ExposedServiceProps>) => declarationError({ strategy: strategy(), ...props });

/**
 * Bad input: each declaration is rejected when the ExposedService is constructed (so no YAML is
 * ever synthesized), with an ExposureError naming the construct path, the field and what is valid.
 */
const CASES: [string, Partial<ExposedServiceProps>, string][] = [
  ['an uppercase host', { backend: httpbin(), hosts: ['Shop.example.com'] },
    'hosts[0]: "Shop.example.com" has uppercase letters; hostnames are lowercase: "shop.example.com"'],
  ['a wildcard in the middle', { backend: httpbin(), hosts: ['shop.*.example.com'] },
    'hosts[0]: "shop.*.example.com" has a wildcard that is not a leading "*."; use e.g. "*.example.com"'],
  ['a host with an underscore', { backend: httpbin(), hosts: ['my_shop.example.com'] },
    'hosts[0]: "my_shop.example.com" is not an RFC 1123 hostname (label "my_shop"); use lowercase letters, digits and "-", labels of 1-63 characters separated by "."'],
  ['an IP address as host', { backend: httpbin(), hosts: ['10.0.0.1'] }, 'hosts[0]: "10.0.0.1" is an IP address; use a DNS name'],
  ['a host listed twice', { backend: httpbin(), hosts: ['a.example.com', 'a.example.com'] }, 'hosts[1]: "a.example.com" is listed twice'],
  ['a host label over 63 characters', { backend: httpbin(), hosts: [`${'a'.repeat(64)}.example.com`] },
    `hosts[0]: "${'a'.repeat(64)}.example.com" is not an RFC 1123 hostname (label "${'a'.repeat(64)}"); use lowercase letters, digits and "-", labels of 1-63 characters separated by "."`],
  ['a port of 0', { backend: Backend.fromName('httpbin', 0) }, 'backend: port 0 is not a port number; use an integer from 1 to 65535'],
  ['a port above 65535', { backend: Backend.fromName('httpbin', 70000) }, 'backend: port 70000 is not a port number; use an integer from 1 to 65535'],
  ['a service name that is not DNS', { backend: Backend.fromName('HttpBin', 80) },
    'backend: service name "HttpBin" is not a DNS-1035 label; use lowercase letters, digits and "-", starting with a letter'],
  ['a bad namespace', { backend: Backend.fromName('httpbin', 80, { namespace: 'My_NS' }) },
    'backend: namespace "My_NS" is not a DNS-1123 label; use lowercase letters, digits and "-"'],
  ['a path without a leading slash', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('status') } }] },
    'routes[0].match.path: "status" does not start with "/"; use "/status"'],
  ['a path with a query', { backend: httpbin(), routes: [{ match: { path: PathMatch.exact('/a?b=c') } }] },
    'routes[0].match.path: "/a?b=c" contains "?" or "#"; a path match covers the path only (use queryParams for the query)'],
  ['a path with a character URLs carry percent-encoded', { backend: httpbin(), routes: [{ match: { path: PathMatch.exact('/a\\b') } }] },
    'routes[0].match.path: "/a\\b" contains "\\\\", which a URL path carries percent-encoded; write it as "%5C"'],
  ['a path with a non-ASCII character', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/café') } }] },
    'routes[0].match.path: "/café" contains "é", which a URL path carries percent-encoded; write it as "%C3%A9"'],
  ['a path with a stray "%"', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/100%') } }] },
    'routes[0].match.path: "/100%" contains "%", which a URL path carries percent-encoded; write it as "%25"'],
  ['a path with a NUL byte', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/a%00') } }] },
    'routes[0].match.path: "/a%00" contains %00 (a NUL byte), which no proxy accepts in a path'],
  ['a path with a dot segment', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/a/../b') } }] },
    'routes[0].match.path: "/a/../b" contains "/../", which proxies normalize (merge, resolve or decode) before matching, so no request matches it as declared; remove it'],
  ['a path with an encoded dot segment', { backend: httpbin(), routes: [{ match: { path: PathMatch.prefix('/a/%2E%2e/b') } }] },
    'routes[0].match.path: "/a/%2E%2e/b" contains "/../", which proxies normalize (merge, resolve or decode) before matching, so no request matches it as declared; remove it'],
  ['a path with an encoded slash', { backend: httpbin(), routes: [{ match: { path: PathMatch.exact('/a%2Fb') } }] },
    'routes[0].match.path: "/a%2Fb" contains "%2F", which proxies normalize (merge, resolve or decode) before matching, so no request matches it as declared; remove it'],
  ['a rewrite to a path with a quote', { backend: httpbin(), routes: [{ rewrite: { path: '/a"b' } }] },
    'routes[0].rewrite.path: "/a"b" contains "\\"", which a URL path carries percent-encoded; write it as "%22"'],
  ['a regex that does not compile', { backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/users/[0-9') } }] },
    'routes[0].match.path: regex "/users/[0-9" does not compile: Unterminated character class'],
  ['a regex with lookahead', { backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/(?!admin).*') } }] },
    'routes[0].match.path: regex "/(?!admin).*" uses lookaround, which RE2 (Envoy) does not support'],
  // JavaScript compiles these; RE2 (Envoy) refuses them at apply time.
  ['a regex with a named backreference', { backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/(?<id>[a-z]+)/\\k<id>') } }] },
    'routes[0].match.path: regex "/(?<id>[a-z]+)/\\k<id>" is not RE2 syntax, which Envoy (Istio, Gateway API) requires: invalid escape sequence: `\\k`'],
  ['a regex with \\Z', { backend: httpbin(), routes: [{ match: { path: PathMatch.regex('/a\\Z') } }] },
    'routes[0].match.path: regex "/a\\Z" is not RE2 syntax, which Envoy (Istio, Gateway API) requires: invalid escape sequence: `\\Z`'],
  ['a header regex repeated more than the 1000 times RE2 allows', { backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.regex('x-a', 'x{2000}')] } }] },
    'routes[0].match.headers[0]: regex "x{2000}" is not RE2 syntax, which Envoy (Istio, Gateway API) requires: invalid repeat count: `{2000}`'],
  ['a bad header name', { backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('x canary', '1')] } }] },
    'routes[0].match.headers[0]: "x canary" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)'],
  ['a header value with a line break', { backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('x-a', 'a\r\nb')] } }] },
    'routes[0].match.headers[0]: value of "x-a" has control characters'],
  ['an empty header value', { backend: httpbin(), routes: [{ requestHeaders: { set: { 'x-a': '' } } }] },
    'routes[0].requestHeaders.set: value of "x-a" is empty; proxies do not send empty headers (remove the header instead)'],
  ['a header value with white space around it', { backend: httpbin(), routes: [{ responseHeaders: { add: { 'x-a': ' v' } } }] },
    'routes[0].responseHeaders.add: value of "x-a" starts or ends with white space, which HTTP strips; trim it'],
  ['a header matched twice', { backend: httpbin(), routes: [{ match: { headers: [HeaderMatch.exact('X-A', '1'), HeaderMatch.prefix('x-a', '2')] } }] },
    'routes[0].match.headers: "x-a" is matched twice; a header has one condition'],
  ['a bad query parameter', { backend: httpbin(), routes: [{ match: { queryParams: [QueryParamMatch.exact('a b', '1')] } }] },
    'routes[0].match.queryParams[0]: "a b" is not a plain query parameter name; use letters, digits and "-", "_", ".", "~"'],
  ['a bad method', { backend: httpbin(), routes: [{ match: { method: 'FETCH' as any } }] },
    'routes[0].match.method: "FETCH" is not an HTTP method; use one of CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE'],
  ['two routes with the same match', {
    backend: httpbin(),
    routes: [{ match: { path: PathMatch.prefix('/api/') } }, { match: { path: PathMatch.prefix('/api') } }],
  }, 'routes[1].match: takes the same requests as routes[0].match (path prefix /api) on the same hosts; merge the routes or tell them apart'],
  ['no backend at all', {}, 'backend: no backend: set backend, or declare routes that each set backend, backends or redirect'],
  ['a route without backend', { routes: [{ match: { path: PathMatch.prefix('/a') } }] },
    'routes[0]: has no backend: set routes[0].backend, backends or redirect, or the ExposedService\'s backend'],
  ['an empty routes list', { backend: httpbin(), routes: [] }, 'routes: is empty; leave it unset for one route taking every request, or declare routes'],
  ['a route with backend and backends', { routes: [{ backend: httpbin(), backends: [{ backend: httpbin() }] }] },
    'routes[0]: sets backend and backends; a route forwards to one backend, to weighted backends, or redirects: set one'],
  ['a route with backends and redirect', { routes: [{ backends: [{ backend: httpbin() }], redirect: { scheme: 'https' } }] },
    'routes[0]: sets backends and redirect; a route forwards to one backend, to weighted backends, or redirects: set one'],
  ['a negative weight', { routes: [{ backends: [{ backend: httpbin(), weight: -1 }, { backend: Backend.fromName('b', 80), weight: 2 }] }] },
    'routes[0].backends[0].weight: -1 is not a weight; use a whole number from 0 to 1000000 (weights are relative)'],
  ['all weights 0', { routes: [{ backends: [{ backend: httpbin(), weight: 0 }, { backend: Backend.fromName('b', 80), weight: 0 }] }] },
    'routes[0].backends: all weights are 0, so no request could be served; give one backend a weight above 0'],
  ['a backend weighted twice', { routes: [{ backends: [{ backend: httpbin() }, { backend: httpbin() }] }] },
    'routes[0].backends[1].backend: httpbin:8000 is listed twice; give it one weight'],
  ['empty weighted backends', { routes: [{ backends: [] }] }, 'routes[0].backends: is empty; list at least one backend'],
  ['TLS without hosts', { backend: httpbin(), tls: Tls.fromSecret('shop-tls') },
    'tls: TLS needs hosts: a certificate is issued and served for names; set hosts'],
  ['a TLS secret name that is not DNS', { backend: httpbin(), hosts: ['a.example.com'], tls: Tls.fromSecret('Shop_TLS') },
    'tls: secret name "Shop_TLS" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."'],
  ['cert-manager with both issuers', { backend: httpbin(), hosts: ['a.example.com'], tls: Tls.certManager({ issuer: 'a', clusterIssuer: 'b' }) },
    'tls: both issuer and clusterIssuer are set; set one'],
  ['cert-manager without issuer', { backend: httpbin(), hosts: ['a.example.com'], tls: Tls.certManager({}) },
    'tls: neither issuer nor clusterIssuer is set; set one'],
  ['a zero service-level timeout', { backend: httpbin(), timeout: Duration.millis(0) }, 'timeout: 0ms is not a positive duration; leave it unset for the default'],
  ['a zero timeout', { backend: httpbin(), routes: [{ timeout: Duration.seconds(0) }] },
    'routes[0].timeout: 0ms is not a positive duration; leave it unset for the default'],
  ['negative retries', { backend: httpbin(), retries: { attempts: -1 } }, 'retries.attempts: -1 is not a retry count; use a whole number from 0 to 100'],
  ['an unknown retry condition', { backend: httpbin(), retries: { attempts: 2, retryOn: ['sometimes' as any] } },
    'retries.retryOn: "sometimes" is not a retry condition; use 5xx, gateway-error, connect-failure, reset, retriable-4xx'],
  ['a zero per-try timeout', { backend: httpbin(), retries: { attempts: 2, perTryTimeout: Duration.seconds(0) } },
    'retries.perTryTimeout: 0ms is not a positive duration; leave it unset for the default'],
  ['a CORS origin with a path', { backend: httpbin(), cors: { allowOrigins: ['https://app.example.com/'] } },
    'cors.allowOrigins[0]: "https://app.example.com/" is not an origin; use "scheme://host[:port]" without path or trailing "/", e.g. "https://app.example.com"'],
  ['a CORS origin that is no URL', { backend: httpbin(), cors: { allowOrigins: ['app.example.com'] } },
    'cors.allowOrigins[0]: "app.example.com" is not an origin; use "scheme://host[:port]", e.g. "https://app.example.com", or "*"'],
  ['CORS credentials with any origin', { backend: httpbin(), cors: { allowOrigins: ['*'], allowCredentials: true } },
    'cors.allowCredentials: browsers refuse credentials with origin "*"; list the origins instead'],
  ['no CORS origins', { backend: httpbin(), cors: { allowOrigins: [] } },
    'cors.allowOrigins: is empty; list the origins allowed, e.g. "https://app.example.com"'],
  ['a CORS max age in milliseconds', { backend: httpbin(), cors: { allowOrigins: ['*'], maxAge: Duration.millis(1500) } },
    'cors.maxAge: Access-Control-Max-Age is whole seconds; use Duration.seconds(n)'],
  ['a rate of 0', { strategy: gateway(), backend: httpbin(), rateLimit: RateLimit.perSecond(0) }, 'rateLimit: 0 requests per second is not a rate; use a whole number of at least 1'],
  ['a negative burst', { strategy: gateway(), backend: httpbin(), rateLimit: RateLimit.perMinute(10, { burst: -1 }) },
    'rateLimit: burst -1 is not a request count; use a whole number of at least 0'],
  ['a per-key rate limit without API keys', { strategy: gateway(), backend: httpbin(), rateLimit: RateLimit.perSecond(5, { key: 'api-key' }) },
    'rateLimit: key "api-key" counts requests per API key, but the route has no Auth.apiKey; add auth or use key "client-ip"'],
  ['an API key header that is no header', { strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }), backend: httpbin(), auth: Auth.apiKey({ secret: 'keys', header: 'x api key' }) },
    'auth: "x api key" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)'],
  ['a JWKS over plain http', { hosts: ['api.example.com'], backend: httpbin(), auth: Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'http://id.example.com/jwks' }) },
    'auth: jwksUri "http://id.example.com/jwks" is not an https URL; keys must come over TLS'],
  ['a JWT without issuer', { hosts: ['api.example.com'], backend: httpbin(), auth: Auth.jwt({ issuer: ' ', jwksUri: 'https://id.example.com/jwks' }) },
    'auth: issuer is empty; use the iss claim of the tokens'],
  ['a basic auth secret that is not DNS', { strategy: gateway(), backend: httpbin(), auth: Auth.basic({ secret: 'Users!' }) },
    'auth: secret name "Users!" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."'],
  ['a redirect to itself', { routes: [{ redirect: {} }] },
    'routes[0].redirect: changes nothing, so it would redirect to the same URL in a loop; set scheme, host, port or path'],
  ['a redirect with status 200', { routes: [{ redirect: { scheme: 'https', statusCode: 200 } }] },
    'routes[0].redirect.statusCode: 200 is not a redirect status; use one of 301, 302, 303, 307, 308'],
  ['a redirect to a wildcard host', { routes: [{ redirect: { host: '*.example.com' } }] },
    'routes[0].redirect.host: "*.example.com" is a wildcard; a rewrite or redirect needs one host'],
  ['a redirect route with a timeout', { routes: [{ redirect: { scheme: 'https' }, timeout: Duration.seconds(1) }] },
    'routes[0].timeout: a redirect route forwards nothing; remove it or the redirect'],
  ['an empty rewrite', { backend: httpbin(), routes: [{ rewrite: {} }] }, 'routes[0].rewrite: sets neither path nor host; set one or remove the rewrite'],
  ['a rewrite path without slash', { backend: httpbin(), routes: [{ rewrite: { path: 'v2' } }] }, 'routes[0].rewrite.path: "v2" does not start with "/"; use "/v2"'],
  ['a header set and removed', { backend: httpbin(), routes: [{ requestHeaders: { set: { 'X-Env': 'prod' }, remove: ['x-env'] } }] },
    'routes[0].requestHeaders.remove: "x-env" is both removed and set or added; keep one'],
  ['a header set twice', { backend: httpbin(), routes: [{ responseHeaders: { set: { 'X-Env': 'a', 'x-env': 'b' } } }] },
    'routes[0].responseHeaders.set: "x-env" is set twice (header names are case-insensitive)'],
  ['empty header edits', { backend: httpbin(), routes: [{ requestHeaders: {} }] },
    'routes[0].requestHeaders: edits nothing; set, add or remove a header, or remove the edit'],
  ['a mirror percentage above 100', { backend: httpbin(), routes: [{ mirror: { backend: Backend.fromName('shadow', 80), percentage: 150 } }] },
    'routes[0].mirror.percentage: percentage 150 is not a percentage; use a number from 0 to 100'],
  ['an empty fault', { backend: httpbin(), routes: [{ fault: {} }] }, 'routes[0].fault: sets neither abort nor delay; set one or remove the fault'],
  ['a fault abort with status 99', { backend: httpbin(), routes: [{ fault: { abort: { httpStatus: 99, percentage: 1 } } }] },
    'routes[0].fault.abort.httpStatus: 99 is not an HTTP status; use 200-599'],
  ['a fault delay percentage of -1', { backend: httpbin(), routes: [{ fault: { delay: { fixedDelay: Duration.seconds(1), percentage: -1 } } }] },
    'routes[0].fault.delay.percentage: percentage -1 is not a percentage; use a number from 0 to 100'],
];

describe('bad input', () => {
  // Each bad value is declared on a strategy that expresses its feature (istio, its gateway
  // workload's namespace declared for the JWT policies, or the NGINX engine for rate limits and
  // API-gateway auth), so the value's problem is the only one.
  test.each(CASES)('%s', (_name, props, message) => {
    const error = declarationError({ strategy: ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) }), ...props });
    expect(error).toBeInstanceOf(ExposureError);
    expect(error.message).toBe(`ExposedService test/public: ${message}`);
  });

  test('every problem of a declaration is reported at once, in declaration order', () => {
    expect(errorOf({
      hosts: ['Shop.example.com'],
      backend: Backend.fromName('httpbin', 0),
      routes: [{ match: { path: PathMatch.prefix('api') } }],
    }).message).toBe([
      'ExposedService test/public: hosts[0]: "Shop.example.com" has uppercase letters; hostnames are lowercase: "shop.example.com"',
      'ExposedService test/public: backend: port 0 is not a port number; use an integer from 1 to 65535',
      // The route falls back to the invalid backend: reported once, where it is declared.
      'ExposedService test/public: routes[0].match.path: "api" does not start with "/"; use "/api"',
    ].join('\n'));
  });

  test('values and what the strategy cannot express are reported together', () => {
    const error = declarationError({
      strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
      routes: [{
        match: { path: PathMatch.prefix('/api'), headers: [HeaderMatch.exact('x-canary', '1')] },
        backends: [{ backend: httpbin(), weight: -1 }, { backend: Backend.fromName('v2', 80), weight: 1 }, { backend: Backend.fromName('v3', 80), weight: 1 }],
      }],
    });
    expect(error.message).toBe([
      'ExposedService test/public: routes[0].backends[0].weight: -1 is not a weight; use a whole number from 0 to 1000000 (weights are relative)',
      "ExposedService test/public: routes[0].match.headers: 'header-match' is not supported by ingress (ingressNginx); supported by: istio, gatewayApi, apiGateway (nginx), apiGateway (kong)",
    ].join('\n'));
    // With the feature it lacks gone, the strategy's own limits show with the value's problem.
    expect(declarationError({
      strategy: ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() }),
      routes: [{
        match: { path: PathMatch.prefix('/api') },
        backends: [{ backend: httpbin(), weight: -1 }, { backend: Backend.fromName('v2', 80), weight: 1 }, { backend: Backend.fromName('v3', 80), weight: 1 }],
      }],
    }).message).toBe([
      'ExposedService test/public: routes[0].backends[0].weight: -1 is not a weight; use a whole number from 0 to 1000000 (weights are relative)',
      'ExposedService test/public: routes[0].backends: ingress (ingressNginx) splits a route between two backends (a main and a canary Ingress); 3 are listed: use gatewayApi or istio for more',
    ].join('\n'));
  });

  test('Backend.fromService with several ports and none chosen lists them', () => {
    const chart = testChart();
    const svc = new kplus.Service(chart, 'svc', { ports: [{ port: 80 }, { port: 443 }] });
    expect(() => new ExposedService(chart, 'public', { strategy: strategy(), backend: Backend.fromService(svc) }))
      .toThrow(`ExposedService test/public: backend: Service "${svc.name}" has ports 80, 443; pass { port } with one of them`);
    expect(() => new ExposedService(chart, 'public2', { strategy: strategy(), backend: Backend.fromService(svc, { port: 8080 }) }))
      .toThrow(`ExposedService test/public2: backend: Service "${svc.name}" has no port 8080; its ports are 80, 443`);
  });

  test('Backend.fromDeployment checks the container ports', () => {
    const chart = testChart();
    const dep = new kplus.Deployment(chart, 'api', { containers: [{ image: 'a:1', ports: [{ number: 8080 }, { number: 9090 }] }] });
    expect(() => new ExposedService(chart, 'a', { strategy: strategy(), backend: Backend.fromDeployment(dep) }))
      .toThrow(`ExposedService test/a: backend: Deployment "${dep.name}" has container ports 8080, 9090; pass { port }`);
    expect(() => new ExposedService(chart, 'b', { strategy: strategy(), backend: Backend.fromDeployment(dep, { port: 80 }) }))
      .toThrow(`ExposedService test/b: backend: Deployment "${dep.name}" has no container port 80; its container ports are 8080, 9090 (set targetPort to one of them)`);
  });

  test('a regex may start with "(?i)": RE2, PCRE and Rust read it, though JavaScript has no inline flags', () => {
    expect(HeaderMatch.regex('x-a', '(?i)acme|globex')._problems).toEqual([]);
  });

  test('props are copied: editing them after the declaration changes nothing', () => {
    const chart = testChart();
    const hosts = ['a.example.com'];
    new ExposedService(chart, 'public', { strategy: strategy(), hosts, backend: httpbin() });
    hosts.push('b.example.com');
    expect(find(synthChecked(chart), 'Ingress').spec.rules.map((r: any) => r.host)).toEqual(['a.example.com']);
  });
});

describe('client IP access lists: values', () => {
  // On the NGINX engine, which expresses both lists: each value's problem is the only one.
  const accessError = (access: AccessPolicy) => declarationError({ strategy: gateway(), backend: httpbin(), access }).message;

  test.each<[string, AccessPolicy, string[]]>([
    ['an empty allow list', AccessPolicy.allowFrom([]), ['ranges is empty; list at least one IP range, e.g. "10.0.0.0/8"']],
    ['an empty deny list', AccessPolicy.denyFrom([]), ['ranges is empty; list at least one IP range, e.g. "10.0.0.0/8"']],
    ['an empty except', AccessPolicy.allowFrom(['10.0.0.0/8'], { except: [] }), ['except is empty; leave it unset for no exception']],
    ['host bits set', AccessPolicy.allowFrom(['10.0.0.1/8']),
      ['ranges[0]: "10.0.0.1/8" has host bits set; the range is "10.0.0.0/8" (or write the address alone for one client)']],
    ['IPv6 host bits set', AccessPolicy.denyFrom(['2001:db8::1/32']),
      ['ranges[0]: "2001:db8::1/32" has host bits set; the range is "2001:db8::/32" (or write the address alone for one client)']],
    ['a hostname', AccessPolicy.allowFrom(['office.example.com']),
      ['ranges[0]: "office.example.com" is not an IP address or range; use an IPv4 or IPv6 address with an optional prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32"']],
    ['an octet with a leading zero (octal to some parsers)', AccessPolicy.allowFrom(['010.0.0.0/8']),
      ['ranges[0]: "010.0.0.0/8" is not an IP address or range; use an IPv4 or IPv6 address with an optional prefix length, e.g. "10.0.0.0/8" or "2001:db8::/32"']],
    ['a prefix too long', AccessPolicy.allowFrom(['10.0.0.0/33']), ['ranges[0]: "10.0.0.0/33" has prefix length 33; an IPv4 prefix is at most 32']],
    ['an IPv4-mapped IPv6 address', AccessPolicy.denyFrom(['::ffff:203.0.113.7']),
      ['ranges[0]: "::ffff:203.0.113.7" is an IPv4-mapped IPv6 address, which proxies compare as IPv4; write "203.0.113.7/32"']],
    ['a range listed twice (in another spelling)', AccessPolicy.allowFrom(['2001:db8::/32', '2001:DB8:0::/32']),
      ['ranges[1] "2001:db8::/32" is listed twice; list it once']],
    ['a range inside another', AccessPolicy.allowFrom(['10.1.0.0/16', '10.0.0.0/8']),
      ['ranges[1] "10.0.0.0/8" and "10.1.0.0/16" overlap (one contains the other); keep the larger range']],
    ['an exception outside every allowed range', AccessPolicy.allowFrom(['10.0.0.0/8'], { except: ['192.168.0.0/16'] }),
      ['except[0] "192.168.0.0/16" is outside every allowed range, so it is refused already; remove it']],
    ['an exception equal to an allowed range', AccessPolicy.allowFrom(['10.0.0.0/8', '192.168.0.0/16'], { except: ['192.168.0.0/16'] }),
      ['except[0] "192.168.0.0/16" is an allowed range itself; remove it from both lists']],
    ['a string for the list (JavaScript)', AccessPolicy.allowFrom('10.0.0.0/8' as any),
      ['ranges is a string ("10.0.0.0/8"); use an array of IP ranges such as ["10.0.0.0/8"]']],
    ['a number in the list (JavaScript)', AccessPolicy.denyFrom([10 as any]),
      ['ranges[0]: a number (10) is not an address range; use a string such as "10.0.0.0/8"']],
  ])('%s', (_name, access, messages) => {
    expect(accessError(access)).toBe(messages.map((m) => `ExposedService test/public: access: ${m}`).join('\n'));
  });

  test('a route\'s problems are reported under its field', () => {
    expect(declarationError({ strategy: gateway(), backend: httpbin(), routes: [{ access: AccessPolicy.denyFrom(['10.0.0.0/40']) }] }).message)
      .toBe('ExposedService test/public: routes[0].access: ranges[0]: "10.0.0.0/40" has prefix length 40; an IPv4 prefix is at most 32');
  });

  test('access that is not an AccessPolicy (JavaScript) is a runtime type error', () => {
    expect(declarationError({ strategy: gateway(), backend: httpbin(), access: ['10.0.0.0/8'] as any }).message)
      .toBe('ExposedService test/public: access: is an array; use AccessPolicy.allowFrom(ranges) or AccessPolicy.denyFrom(ranges)');
  });
});

describe('request body size limits: values', () => {
  const limitError = (maxRequestBody: Size) => declarationError({ strategy: gateway(), backend: httpbin(), maxRequestBody }).message;

  test.each<[string, Size, string]>([
    ['zero', Size.kibibytes(0), '0 bytes is not a positive size; leave it unset for the default'],
    ['not a number', Size.kibibytes(Number.NaN), 'NaN bytes is not a positive size; leave it unset for the default'],
    ['infinite', Size.mebibytes(Number.POSITIVE_INFINITY), 'Infinity bytes is not a positive size; leave it unset for the default'],
    ['a fraction of a byte', Size.kibibytes(0.3), '307.2 bytes is not a whole number of bytes'],
    ['beyond what is written exactly', Size.pebibyte(10), '11258999068426240 bytes is more than 9007199254740991, the largest size written exactly'],
  ])('%s', (_name, size, message) => {
    expect(limitError(size)).toBe(`ExposedService test/public: maxRequestBody: ${message}`);
  });

  test('a route\'s limit is reported under its field', () => {
    expect(declarationError({ strategy: gateway(), backend: httpbin(), routes: [{ maxRequestBody: Size.kibibytes(0.1) }] }).message)
      .toBe('ExposedService test/public: routes[0].maxRequestBody: 102.4 bytes is not a whole number of bytes');
  });

  test('a limit that is not a Size (JavaScript) is a runtime type error', () => {
    expect(declarationError({ strategy: gateway(), backend: httpbin(), maxRequestBody: '8m' as any }).message)
      .toBe('ExposedService test/public: maxRequestBody: is a string ("8m"); use a cdk8s Size, e.g. Size.mebibytes(8)');
  });
});

describe('external authentication: values', () => {
  const authz = () => Backend.fromName('authz', 8080);
  // On istio (on the shared gateway, its namespace declared), which takes every valid value (the
  // engines refuse some header names), or, for a sign-in URL and runtime types (an inert basic
  // auth), the NGINX engine: the value's problem is the only one.
  const authError = (auth: Auth) => declarationError({
    strategy: ExposureStrategy.istio({ externalAuthProvider: 'authz', gateway: IstioGateway.create({ namespace: 'istio-system' }) }),
    hosts: ['a.example.com'],
    backend: httpbin(),
    auth,
  }).message;
  const engineError = (auth: Auth) => declarationError({ strategy: gateway(), backend: httpbin(), auth }).message;

  test.each<[string, Auth, string]>([
    ['a path without "/"', Auth.external({ service: authz(), path: 'check' }),
      'auth: path "check" is not a path prefix: "/" and segments of letters, digits, "-._~!$&\'()*+,;=:@" or %XX escapes, with no empty segment or trailing "/" (the client\'s path follows it)'],
    ['a path with a trailing "/"', Auth.external({ service: authz(), path: '/check/' }),
      'auth: path "/check/" is not a path prefix: "/" and segments of letters, digits, "-._~!$&\'()*+,;=:@" or %XX escapes, with no empty segment or trailing "/" (the client\'s path follows it)'],
    ['the path "/"', Auth.external({ service: authz(), path: '/' }),
      'auth: path "/" is not a path prefix: "/" and segments of letters, digits, "-._~!$&\'()*+,;=:@" or %XX escapes, with no empty segment or trailing "/" (the client\'s path follows it)'],
    ['a path with a query', Auth.external({ service: authz(), path: '/check?x=1' }),
      'auth: path "/check?x=1" is not a path prefix: "/" and segments of letters, digits, "-._~!$&\'()*+,;=:@" or %XX escapes, with no empty segment or trailing "/" (the client\'s path follows it)'],
    ['a path with a bad escape', Auth.external({ service: authz(), path: '/a%zz' }),
      'auth: path "/a%zz" is not a path prefix: "/" and segments of letters, digits, "-._~!$&\'()*+,;=:@" or %XX escapes, with no empty segment or trailing "/" (the client\'s path follows it)'],
    ['a path over 1024 characters', Auth.external({ service: authz(), path: `/${'a'.repeat(1024)}` }), 'auth: path is 1025 characters long; use at most 1024'],
    ['a forwarded header that is no header', Auth.external({ service: authz(), forwardHeaders: ['x user'] }),
      'auth: forwardHeaders[0]: "x user" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)'],
    ['a forwarded header listed twice', Auth.external({ service: authz(), forwardHeaders: ['Cookie', 'cookie'] }),
      'auth: forwardHeaders[1]: "cookie" is listed twice (header names are case-insensitive)'],
    ['a forwarded Host', Auth.external({ service: authz(), forwardHeaders: ['host'] }),
      'auth: forwardHeaders[0]: "host" belongs to the connection or the proxy, which sets it itself; remove it'],
    ['a copied Content-Length', Auth.external({ service: authz(), responseHeaders: ['content-length'] }),
      'auth: responseHeaders[0]: "content-length" belongs to the connection or the proxy, which sets it itself; remove it'],
    ['a response header that is no header', Auth.external({ service: authz(), responseHeaders: ['x-user:'] }),
      'auth: responseHeaders[0]: "x-user:" is not an HTTP header name; use letters, digits and "-" (RFC 7230 token)'],
    ['an auth service port of 0', Auth.external({ service: Backend.fromName('authz', 0) }), 'auth.service: port 0 is not a port number; use an integer from 1 to 65535'],
    ['a gRPC auth service', Auth.external({ service: Backend.fromName('authz', 9090, { protocol: 'grpc' }) }),
      'auth.service: the auth service is declared with protocol "grpc"; external authentication sends it HTTP/1.1 requests: use an HTTP port'],
  ])('%s', (_name, auth, message) => {
    expect(authError(auth)).toBe(`ExposedService test/public: ${message}`);
  });

  test.each<[string, Auth, string]>([
    ['a sign-in URL that is no URL', Auth.external({ service: authz(), signinUrl: '/oauth2/start' }), 'auth: signinUrl "/oauth2/start" is not an http or https URL'],
    ['a sign-in URL of another scheme', Auth.external({ service: authz(), signinUrl: 'ftp://sso.example.com/' }), 'auth: signinUrl "ftp://sso.example.com/" is not an http or https URL'],
    ['a sign-in URL with a space', Auth.external({ service: authz(), signinUrl: 'https://sso.example.com/a b' }),
      'auth: signinUrl "https://sso.example.com/a b" has a space, control character or one of "<>\\^`{|}; percent-encode it'],
  ])('%s', (_name, auth, message) => {
    expect(engineError(auth)).toBe(`ExposedService test/public: ${message}`);
  });

  test('a route\'s declaration is reported under its field', () => {
    expect(declarationError({ strategy: gateway(), backend: httpbin(), routes: [{ auth: Auth.external({ service: authz(), path: 'x' }) }] }).message)
      .toContain('ExposedService test/public: routes[0].auth: path "x" is not a path prefix');
  });

  test('an auth service that is not a port of its Service names the ports', () => {
    const chart = testChart();
    const svc = new kplus.Service(chart, 'authz', { ports: [{ port: 4180 }] });
    expect(() => new ExposedService(chart, 'public', { strategy: gateway(), backend: httpbin(), auth: Auth.external({ service: Backend.fromService(svc, { port: 80 }) }) }))
      .toThrow(`ExposedService test/public: auth.service: Service "${svc.name}" has no port 80; its ports are 4180`);
  });

  test.each<[string, unknown, string]>([
    ['options that are not an object', 'authz', 'auth: options is a string ("authz"); use an object'],
    ['a service that is not a Backend', { service: 'authz' }, 'auth: service is a string ("authz"); use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)'],
    ['a path that is not a string', { service: Backend.fromName('authz', 8080), path: 1 }, 'auth: path is a number (1); use a string'],
    ['forwarded headers that are not strings', { service: Backend.fromName('authz', 8080), forwardHeaders: 'cookie' },
      'auth: forwardHeaders is a string ("cookie"); use an array of strings'],
    ['response headers that are not strings', { service: Backend.fromName('authz', 8080), responseHeaders: [1] },
      'auth: responseHeaders is an array; use an array of strings'],
  ])('runtime types (JavaScript): %s', (_name, options, message) => {
    expect(engineError(Auth.external(options as any))).toBe(`ExposedService test/public: ${message}`);
  });
});

describe('client certificates: values', () => {
  // On the NGINX engine, which takes either CA and a depth: each value's problem is the only one.
  const clientError = (clientCertificates: unknown) => declarationError({
    strategy: gateway(), backend: httpbin(), hosts: ['a.example.com'], tls: Tls.fromSecret('a-tls', { clientCertificates: clientCertificates as ClientCertificates }),
  }).message;

  test.each<[string, unknown, string[]]>([
    ['neither CA', ClientCertificates.require({}), ['neither caSecret nor caConfigMap is set; set the Secret or the ConfigMap with the CA bundle (ca.crt)']],
    ['both CAs', ClientCertificates.optional({ caSecret: 'a', caConfigMap: 'b' }), ['both caSecret and caConfigMap are set; set one']],
    ['a CA Secret name that is not DNS', ClientCertificates.require({ caSecret: 'Partners_CA' }),
      ['caSecret "Partners_CA" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."']],
    ['an empty ConfigMap name', ClientCertificates.require({ caConfigMap: '' }), ['caConfigMap is empty']],
    ['a depth of 0', ClientCertificates.require({ caSecret: 'ca', verifyDepth: 0 }), ['verifyDepth is a number (0); use a whole number from 1 to 2147483647']],
    ['a fractional depth', ClientCertificates.require({ caSecret: 'ca', verifyDepth: 1.5 }), ['verifyDepth is a number (1.5); use a whole number from 1 to 2147483647']],
    ['a depth beyond an int', ClientCertificates.require({ caSecret: 'ca', verifyDepth: 2 ** 31 }),
      ['verifyDepth is a number (2147483648); use a whole number from 1 to 2147483647']],
    ['a depth as a string (JavaScript)', ClientCertificates.require({ caSecret: 'ca', verifyDepth: '2' as any }),
      ['verifyDepth is a string ("2"); use a whole number from 1 to 2147483647']],
    ['a number for the Secret (JavaScript)', ClientCertificates.require({ caSecret: 5 as any }), ['caSecret is a number (5); use the Secret\'s name or a cdk8s-plus Secret']],
    ['an array for the ConfigMap (JavaScript)', ClientCertificates.require({ caConfigMap: ['ca'] as any }),
      ['caConfigMap is an array; use the ConfigMap\'s name or a cdk8s-plus ConfigMap']],
    ['no options (JavaScript)', ClientCertificates.require(undefined as any), ['options is undefined; use an object with caSecret or caConfigMap']],
    ['not a ClientCertificates (JavaScript)', { caSecret: 'ca' }, ['is an object; use ClientCertificates.require(...) or ClientCertificates.optional(...)']],
  ])('%s', (_name, clientCertificates, messages) => {
    expect(clientError(clientCertificates)).toBe(messages.map((m) => `ExposedService test/public: tls.clientCertificates: ${m}`).join('\n'));
  });

  test('cert-manager TLS takes client certificates too, checked the same way', () => {
    expect(declarationError({
      strategy: gateway(),
      backend: httpbin(),
      hosts: ['a.example.com'],
      tls: Tls.certManager({ clusterIssuer: 'le', clientCertificates: ClientCertificates.require({ caSecret: 'ca', verifyDepth: -1 }) }),
    }).message).toBe('ExposedService test/public: tls.clientCertificates: verifyDepth is a number (-1); use a whole number from 1 to 2147483647');
  });

  test('a cdk8s-plus ConfigMap names the CA', () => {
    const chart = testChart('test', 'shop');
    const ca = new kplus.ConfigMap(chart, 'ca', { data: { 'ca.crt': 'x' } });
    new ExposedService(chart, 'public', {
      strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }),
      backend: httpbin(),
      hosts: ['a.example.com'],
      tls: Tls.fromSecret('a-tls', { clientCertificates: ClientCertificates.require({ caConfigMap: ca }) }),
    });
    expect(find(synthChecked(chart), 'Gateway').spec.tls.frontend.default.validation.caCertificateRefs).toEqual([{ group: '', kind: 'ConfigMap', name: ca.name }]);
  });
});

describe('circuit breaking: values', () => {
  // On Istio, which expresses every field: each value's problem is the only one.
  const breakerError = (options: unknown) =>
    declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), circuitBreaker: CircuitBreaker.of(options as never) }).message;

  test.each<[string, unknown, string[]]>([
    ['nothing declared', {},
      ['declares nothing; set at least one of maxConnections, maxPendingRequests, maxRequests, consecutiveErrors, interval, ejectionTime, maxEjectedPercent']],
    ['zero connections', { maxConnections: 0 }, ['maxConnections 0 is not a whole number from 1 to 2147483647']],
    ['a fraction of a request', { maxRequests: 1.5 }, ['maxRequests 1.5 is not a whole number from 1 to 2147483647']],
    ['beyond a 32-bit count', { maxPendingRequests: 2 ** 31 }, ['maxPendingRequests 2147483648 is not a whole number from 1 to 2147483647']],
    ['not a number (JavaScript)', { consecutiveErrors: '5' }, ['consecutiveErrors is a string ("5"); use a whole number from 1 to 2147483647']],
    ['NaN', { maxConnections: Number.NaN }, ['maxConnections NaN is not a whole number from 1 to 2147483647']],
    ['a percentage above 100', { consecutiveErrors: 5, maxEjectedPercent: 101 }, ['maxEjectedPercent 101 is not a whole number from 1 to 100']],
    ['a percentage of 0 (nothing would be ejected)', { consecutiveErrors: 5, maxEjectedPercent: 0 }, ['maxEjectedPercent 0 is not a whole number from 1 to 100']],
    ['a fraction of a millisecond', { consecutiveErrors: 5, interval: Duration.millis(1.5) }, ['interval of 1.5ms is not a positive whole number of milliseconds']],
    ['a zero ejection time', { consecutiveErrors: 5, ejectionTime: Duration.seconds(0) }, ['ejectionTime of 0ms is not a positive whole number of milliseconds']],
    ['an ejection time beyond a year', { consecutiveErrors: 5, ejectionTime: Duration.days(366) }, ['ejectionTime of 31622400000ms is longer than 365 days']],
    ['a duration that is not a Duration (JavaScript)', { consecutiveErrors: 5, interval: 10 },
      ['interval is a number (10); use a cdk8s Duration, e.g. Duration.seconds(10)']],
    ['ejection fields without consecutiveErrors', { ejectionTime: Duration.seconds(30), interval: Duration.seconds(10), maxEjectedPercent: 50 }, [
      'interval needs consecutiveErrors: without it no endpoint is ejected; set consecutiveErrors',
      'ejectionTime needs consecutiveErrors: without it no endpoint is ejected; set consecutiveErrors',
      'maxEjectedPercent needs consecutiveErrors: without it no endpoint is ejected; set consecutiveErrors',
    ]],
    ['an unknown option (a misspelling, or an Istio name)', { maxConnections: 10, consecutive5xxErrors: 5 },
      ['consecutive5xxErrors is not an option of CircuitBreaker.of; use maxConnections, maxPendingRequests, maxRequests, consecutiveErrors, interval, ejectionTime, maxEjectedPercent']],
    ['options that are not an object (JavaScript)', 100, ['options is a number (100); use an object such as { maxConnections: 100 }']],
  ])('%s', (_name, options, messages) => {
    expect(breakerError(options)).toBe(messages.map((m) => `ExposedService test/public: circuitBreaker: ${m}`).join('\n'));
  });

  test('circuitBreaker that is not a CircuitBreaker (JavaScript) is a runtime type error', () => {
    expect(declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), circuitBreaker: { maxConnections: 10 } as any }).message)
      .toBe('ExposedService test/public: circuitBreaker: is an object; use CircuitBreaker.of({ ... })');
  });

  test('a route cannot declare one: it is a property of the backends\' endpoints, declared once per exposure', () => {
    const route = { circuitBreaker: CircuitBreaker.of({ maxConnections: 1 }) } as any;
    expect(declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), routes: [route] }).message)
      // The list of route fields that follows grows with the library: the start is the message.
      .toMatch(/^ExposedService test\/public: routes\[0\]\.circuitBreaker: is not a field of a route; the fields are /);
  });
});

describe('circuit breaking: the strategies that cannot express it', () => {
  const both = CircuitBreaker.of({ maxConnections: 100, consecutiveErrors: 5 });
  test.each<[string, ExposureStrategy]>([
    ['nodePort', ExposureStrategy.nodePort()],
    ['loadBalancer', ExposureStrategy.loadBalancer()],
    ['ingress', ExposureStrategy.ingress({ className: 'nginx' })],
    // upstream-max-fails and upstream-fail-timeout were removed with the Lua balancer (kubernetes/ingress-nginx#3207).
    ['ingress (ingressNginx)', ExposureStrategy.ingress({ className: 'nginx', controller: IngressController.ingressNginx() })],
    // XBackendTrafficPolicy (experimental) has retryConstraint and sessionPersistence only (Envoy Gateway's own policy has it).
    ['gatewayApi', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })],
    ['gatewayApi (experimental)', ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })],
    // No connection limit on a Kong upstream; passive health checks have no ejection time.
    ['apiGateway (kong)', ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() })],
  ])('%s refuses limits and ejection, naming the strategies that can', (name, refusing) => {
    const lines = declarationError({ strategy: refusing, backend: httpbin(), circuitBreaker: both }).message.split('\n');
    expect(lines).toContain(`ExposedService test/public: circuitBreaker: 'connection-limits' is not supported by ${name}; supported by: istio, gatewayApi (envoyGateway), apiGateway (nginx)`);
    expect(lines).toContain(`ExposedService test/public: circuitBreaker: 'outlier-detection' is not supported by ${name}; supported by: istio, gatewayApi (envoyGateway)`);
  });
});

describe('session affinity: values', () => {
  const affinityError = (affinity: SessionAffinity) => declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), affinity }).message;
  const COOKIE_NAME = 'is not a cookie name every strategy writes; use 1 to 128 letters, digits, "-", "_" or "."';
  const TTL = 'is not a cookie lifetime; use whole seconds from 1 second to 3650 days (leave it unset for a session cookie)';
  const PATH = 'is not a cookie path every strategy writes; use "/" followed by letters, digits, "-", ".", "_", "~" or "/" (at most 1024 characters)';

  test.each<[string, () => SessionAffinity, string]>([
    ['an empty cookie name', () => SessionAffinity.cookie({ name: '' }), 'name is empty; use a cookie name such as "route"'],
    ['a cookie name with "="', () => SessionAffinity.cookie({ name: 'a=b' }), `name "a=b" ${COOKIE_NAME}`],
    ['a cookie name with a space', () => SessionAffinity.cookie({ name: 'my route' }), `name "my route" ${COOKIE_NAME}`],
    ['a cookie name with "$"', () => SessionAffinity.cookie({ name: '$route' }), `name "$route" ${COOKIE_NAME}`],
    ['a cookie name with unicode', () => SessionAffinity.cookie({ name: 'r\u00e9' }), `name "r\u00e9" ${COOKIE_NAME}`],
    ['a cookie name of 129 characters', () => SessionAffinity.cookie({ name: 'a'.repeat(129) }), `name "${'a'.repeat(129)}" ${COOKIE_NAME}`],
    ['a ttl of 0', () => SessionAffinity.cookie({ name: 'r', ttl: Duration.seconds(0) }), `ttl 0ms ${TTL}`],
    ['a ttl below a second', () => SessionAffinity.cookie({ name: 'r', ttl: Duration.millis(500) }), `ttl 500ms ${TTL}`],
    ['a ttl of a fraction of a second', () => SessionAffinity.cookie({ name: 'r', ttl: Duration.millis(1500) }), `ttl 1500ms ${TTL}`],
    ['a ttl beyond 3650 days', () => SessionAffinity.cookie({ name: 'r', ttl: Duration.days(3651) }), `ttl 315446400000ms ${TTL}`],
    ['a ttl of NaN', () => SessionAffinity.cookie({ name: 'r', ttl: Duration.seconds(Number.NaN) }), `ttl NaNms ${TTL}`],
    ['a relative cookie path', () => SessionAffinity.cookie({ name: 'r', path: 'app' }), `path "app" ${PATH}`],
    ['a cookie path with ";"', () => SessionAffinity.cookie({ name: 'r', path: '/;Domain=evil' }), `path "/;Domain=evil" ${PATH}`],
    ['a cookie path with a space', () => SessionAffinity.cookie({ name: 'r', path: '/a b' }), `path "/a b" ${PATH}`],
    ['an empty header name', () => SessionAffinity.header(''), 'header name is empty; use a header name such as "x-user-id"'],
    ['a header name with "_"', () => SessionAffinity.header('x_user'), 'header name "x_user" is not one every strategy reads; use 1 to 256 letters, digits or "-"'],
    ['a header name with ":"', () => SessionAffinity.header('x:user'), 'header name "x:user" is not one every strategy reads; use 1 to 256 letters, digits or "-"'],
    // JavaScript callers.
    ['cookie options that are not an object', () => SessionAffinity.cookie('route' as any), 'options is a string ("route"); use an object such as { name: \'route\' }'],
    ['a cookie name that is not a string', () => SessionAffinity.cookie({ name: 5 as any }), 'name is a number (5); use a cookie name such as "route"'],
    ['a ttl that is not a Duration', () => SessionAffinity.cookie({ name: 'r', ttl: 3600 as any }), 'ttl is a number (3600); use a Duration such as Duration.hours(8)'],
    ['a path that is not a string', () => SessionAffinity.cookie({ name: 'r', path: ['/'] as any }), 'path is an array; use a path such as "/"'],
    ['a header name that is not a string', () => SessionAffinity.header(undefined as any), 'header name is undefined; use a string such as "x-user-id"'],
  ])('%s', (_name, affinity, message) => {
    expect(affinityError(affinity())).toBe(`ExposedService test/public: affinity: ${message}`);
  });

  test('every problem of a cookie at once, under the route\'s field', () => {
    expect(declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), routes: [{ affinity: SessionAffinity.cookie({ name: '', ttl: Duration.millis(1), path: 'x' }) }] }).message)
      .toBe([
        'ExposedService test/public: routes[0].affinity: name is empty; use a cookie name such as "route"',
        `ExposedService test/public: routes[0].affinity: ttl 1ms ${TTL}`,
        `ExposedService test/public: routes[0].affinity: path "x" ${PATH}`,
      ].join('\n'));
  });

  test('affinity that is not a SessionAffinity (JavaScript) is a runtime type error', () => {
    expect(declarationError({ strategy: ExposureStrategy.istio(), backend: httpbin(), affinity: 'cookie' as any }).message)
      .toBe('ExposedService test/public: affinity: is a string ("cookie"); use SessionAffinity.cookie({ name }), SessionAffinity.header(name) or SessionAffinity.clientIp()');
  });
});

describe('TLS passthrough and TCP ports: values', () => {
  const istio = () => ExposureStrategy.istio();
  const db = () => Backend.fromName('db', 5432);
  const error = (props: Partial<ExposedServiceProps>) => declarationError({ strategy: istio(), ...props }).message;

  test.each<[string, Partial<ExposedServiceProps>, string[]]>([
    ['an empty passthrough list', { backend: httpbin(), passthrough: [] }, ['passthrough: is empty; leave it unset, or declare TlsPassthrough.host(...)']],
    ['an empty tcp list', { backend: httpbin(), tcp: [] }, ['tcp: is empty; leave it unset, or declare TcpPort.of(...)']],
    ['a passthrough host that is no hostname', { passthrough: [TlsPassthrough.host('DB.example.com', db())] },
      ['passthrough[0].host: "DB.example.com" has uppercase letters; hostnames are lowercase: "db.example.com"']],
    ['a passthrough port out of range', { passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 0 })] },
      ['passthrough[0].port: port 0 is not a port number; use an integer from 1 to 65535']],
    ['a TCP port out of range', { tcp: [TcpPort.of(70000, db())] }, ['tcp[0].port: port 70000 is not a port number; use an integer from 1 to 65535']],
    ['a host passed through twice on a port', { passthrough: [TlsPassthrough.host('db.example.com', db()), TlsPassthrough.host('db.example.com', httpbin())] },
      ['passthrough[1].host: "db.example.com" on port 443 is passed through by passthrough[0] already; a hostname goes to one backend']],
    ['a TCP port taken twice', { tcp: [TcpPort.of(5432, db()), TcpPort.of(5432, httpbin())] },
      ['tcp[1].port: 5432 is the port of tcp[0] already; a TCP port takes every connection to it: use another port']],
    ['a TCP port on a passthrough port', { passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 8443 })], tcp: [TcpPort.of(8443, db())] },
      ['tcp[0].port: 8443 is the port of passthrough[0] already; a TCP port takes every connection to it: use another port']],
    ['a TCP port on the HTTP routes\' port', { backend: httpbin(), tcp: [TcpPort.of(80, db())] }, ['tcp[0].port: 80 is a port of the HTTP routes (80); use another port']],
    ['a TCP port on the HTTPS port', { hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret('a'), tcp: [TcpPort.of(443, db())] },
      ['tcp[0].port: 443 is a port of the HTTP routes (80 and 443); use another port']],
    ['a passthrough on the plain HTTP port', { backend: httpbin(), passthrough: [TlsPassthrough.host('db.example.com', db(), { port: 80 })] },
      ['passthrough[0].port: 80 is the plain HTTP port of the routes; use 443 or another port']],
    ['a passthrough host the routes terminate', { hosts: ['a.example.com'], backend: httpbin(), tls: Tls.fromSecret('a'), passthrough: [TlsPassthrough.host('a.example.com', db())] },
      ['passthrough[0].host: "a.example.com" is in hosts, whose TLS the routes terminate on port 443; a hostname is either terminated or passed through']],
    ['a gRPC backend of a stream', { tcp: [TcpPort.of(9090, Backend.fromName('api', 9090, { protocol: 'grpc' }))] },
      ['tcp[0].backend: is declared with protocol "grpc", and a stream is forwarded as bytes without HTTP routing; remove protocol']],
    ['an h2c backend of a passthrough', { passthrough: [TlsPassthrough.host('db.example.com', Backend.fromName('api', 8080, { protocol: 'h2c' }))] },
      ['passthrough[0].backend: is declared with protocol "h2c", and a stream is forwarded as bytes without HTTP routing; remove protocol']],
    ['hosts, tls and policies without HTTP routes', {
      hosts: ['a.example.com'], tls: Tls.fromSecret('a'), timeout: Duration.seconds(5), access: AccessPolicy.denyFrom(['10.0.0.0/8']), tcp: [TcpPort.of(5432, db())],
    }, [
      'timeout: applies to HTTP routes, and the exposure declares none (streams are forwarded as bytes); remove it, or declare backend or routes',
      'access: applies to HTTP routes, and the exposure declares none (streams are forwarded as bytes); remove it, or declare backend or routes',
      'hosts: names the hosts of HTTP routes, and the exposure declares none; remove hosts, or declare backend or routes',
      'tls: terminates TLS for HTTP routes, and the exposure declares none; remove tls (passthrough backends terminate their own), or declare backend or routes',
    ]],
  ])('%s', (_name, props, messages) => {
    expect(error(props)).toBe(messages.map((m) => `ExposedService test/public: ${m}`).join('\n'));
  });

  test('runtime types (JavaScript): the lists, the factories\' arguments', () => {
    expect(error({ passthrough: 'db.example.com' as any })).toBe('ExposedService test/public: passthrough: is a string ("db.example.com"); use an array');
    expect(error({ tcp: [5432] as any })).toBe('ExposedService test/public: tcp[0]: is a number (5432); use TcpPort.of(port, backend)');
    expect(error({ tcp: [TcpPort.of('5432' as any, db())] })).toBe('ExposedService test/public: tcp[0]: port is a string ("5432"); use a port number');
    expect(error({ tcp: [TcpPort.of(5432, 'db' as any)] })).toBe(
      'ExposedService test/public: tcp[0]: backend is a string ("db"); use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)');
    expect(error({ passthrough: [TlsPassthrough.host(5 as any, db())] })).toBe('ExposedService test/public: passthrough[0]: host is a number (5); use a hostname such as "db.example.com"');
    expect(error({ passthrough: [TlsPassthrough.host('db.example.com', db(), 443 as any)] })).toBe('ExposedService test/public: passthrough[0]: options is a number (443); use an object');
    expect(error({ passthrough: [TlsPassthrough.host('db.example.com', db(), { port: '443' as any })] })).toBe(
      'ExposedService test/public: passthrough[0]: port is a string ("443"); use a port number');
  });
});
