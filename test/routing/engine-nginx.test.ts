import { ApiGatewayEngine, Backend, ExposedService, ExposureStrategy, PathMatch, route as routeTo } from '../../src';
import { routeThroughApiGateway } from '../../src/routing/engines';
import { RouteRequest, RouteResult } from '../../src/routing/model';
import { parseNginxConfig, tokenize } from '../../src/routing/nginx-parse';
import { normalizePath } from '../../src/routing/nginx-request';
import { pcre } from '../../src/routing/nginx-values';
import { synthChecked, testChart } from '../support/synth';

/**
 * The NGINX engine's routing model on hand-written configurations: each expectation follows the
 * nginx documentation cited next to it (nginx.org/en/docs/...). The model's agreement with the
 * real nginx on the engine's generated configurations is in test/e2e/routing-model-nginx.test.ts.
 */

/** A gateway Service `gw` (port 80 -> 8080, 443 -> 8443) whose pod runs nginx from a ConfigMap with `files`. */
function gateway(config: string, files: Record<string, string> = {}): any[] {
  const labels = { app: 'gw' };
  return [
    { apiVersion: 'v1', kind: 'Service', metadata: { name: 'gw', namespace: 'ns' }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }, { port: 443, targetPort: 'https' }] } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'gw', namespace: 'ns' },
      spec: {
        selector: { matchLabels: labels },
        template: {
          metadata: { labels },
          spec: {
            containers: [{
              name: 'nginx',
              image: 'nginx',
              args: ['nginx', '-c', '/etc/nginx/conf/nginx.conf', '-g', 'daemon off;'],
              ports: [{ containerPort: 8080, name: 'http' }, { containerPort: 8443, name: 'https' }],
              volumeMounts: [{ name: 'config', mountPath: '/etc/nginx/conf' }],
            }],
            volumes: [{ name: 'config', configMap: { name: 'gw-config' } }],
          },
        },
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'gw-config', namespace: 'ns' }, data: { 'nginx.conf': config, ...files } },
  ];
}

/** The http block with `body` (servers, maps, upstreams). */
const http = (body: string) => `events {}\nhttp {\n${body}\n}\n`;

function route(manifests: any[], url: string, options: { method?: string; headers?: Record<string, string>; port?: number } = {}): RouteResult {
  const u = /^(https?):\/\/([^/]+)(.*)$/.exec(url)!;
  const request: RouteRequest = { method: options.method ?? 'GET', scheme: u[1] as 'http', host: u[2], path: u[3] || '/', headers: options.headers ?? {} };
  const result = routeThroughApiGateway(manifests, { name: 'gw', port: options.port ?? 80, namespace: 'ns' }, request);
  if (result === undefined) throw new Error('not a gateway');
  return result;
}

const backendOf = (r: RouteResult) => (r.kind === 'forward' ? r.backend : `${r.kind} ${r.kind === 'redirect' ? r.location : r.status}`);

describe('parsing (ngx_conf_file.c: words, quotes, escapes, blocks, include)', () => {
  test('quoted words keep spaces; \\" \\\\ \\n are escapes, other backslashes stay; # starts a comment', () => {
    const words = tokenize('a "b c" \'d\\\'e\' "f\\\\g\\n\\z" # comment\n;').map((t) => t.word);
    expect(words).toEqual(['a', 'b c', "d'e", 'f\\g\n\\z', ';']);
  });

  test('blocks nest, include reads files relative to the configuration directory, a glob in name order', () => {
    const tree = parseNginxConfig('http { include conf.d/*.conf; server { listen 80; } }', '/etc/nginx/nginx.conf', (path) => {
      expect(path).toBe('conf.d/*.conf');
      return [{ path: '/etc/nginx/conf.d/a.conf', text: 'map $a $b { default 1; }' }, { path: '/etc/nginx/conf.d/b.conf', text: 'upstream u { server x; }' }];
    });
    expect(tree[0].block!.map((d) => d.name)).toEqual(['map', 'upstream', 'server']);
  });

  test('an unterminated block or directive is an error', () => {
    expect(() => parseNginxConfig('http { server {', 'x')).toThrow('unexpected end of file, expecting "}"');
    expect(() => parseNginxConfig('listen 80', 'x')).toThrow('expecting ";" or "}"');
  });
});

describe('values', () => {
  test('PCRE as nginx compiles it: \\z, $ before a final newline, (?P<name>), a leading (?i)', () => {
    expect(pcre('^/a\\z').test('/a\n')).toBe(false);
    expect(pcre('^/a$').test('/a\n')).toBe(true);
    expect(pcre('^/(?P<rest>.*)').exec('/x')!.groups!.rest).toBe('x');
    expect(pcre('^(?:(?i)abc)\\z').test('ABC')).toBe(true);
    expect(() => pcre('^a(?i)b')).toThrow('"(?i)" in part of it is not modelled');
    expect(() => pcre('(?>a)')).toThrow('is not modelled');
  });

  test('$uri: decoded, slashes merged, dot segments resolved (ngx_http_parse_complex_uri)', () => {
    expect(normalizePath('/a//b/./c/../%64')).toBe('/a/b/d');
    expect(normalizePath('/a/..')).toBe('/');
    expect(() => normalizePath('/..')).toThrow('leaves the root');
  });
});

describe('server selection (docs/http/server_names.html, request_processing.html)', () => {
  const manifests = gateway(http(`
    server { listen 8080; server_name _; return 200 first; }
    server { listen 8080 default_server; server_name default; return 404; }
    server { listen 8080; server_name www.example.com; return 301 /exact; }
    server { listen 8080; server_name *.example.com; return 301 /star-example; }
    server { listen 8080; server_name *.api.example.com; return 301 /star-api; }
    server { listen 8080; server_name mail.*; return 301 /mail-star; }
    server { listen 8080; server_name ~^(?<user>.+)\\.example\\.net$; return 301 /regex-$user; }
  `));
  test.each([
    ['www.example.com', 'http://www.example.com:8080/exact'],
    ['WWW.Example.com:8080', 'http://www.example.com:8080/exact'],
    ['a.example.com', 'http://a.example.com:8080/star-example'],
    ['v1.api.example.com', 'http://v1.api.example.com:8080/star-api'],
    ['mail.example.org', 'http://mail.example.org:8080/mail-star'],
    ['bob.example.net', 'http://bob.example.net:8080/regex-bob'],
  ])('%s: exact, longest leading wildcard, trailing wildcard, first regex', (host, location) => {
    // A relative redirect gets the scheme, the Host and the port nginx listens on when not the scheme's
    // (absolute_redirect, server_name_in_redirect off, port_in_redirect: 8080 here, behind the Service's 80).
    expect(route(manifests, `http://${host}/`)).toEqual({ kind: 'redirect', dataPlane: 'api-gateway-nginx', status: 301, location });
  });
  test('no name matches: the default_server of the port', () => {
    expect(route(manifests, 'http://unknown.org/')).toMatchObject({ kind: 'respond', status: 404, reason: 'no route' });
  });
});

describe('location selection (ngx_http_core_module.html#location: the example of the docs)', () => {
  const manifests = gateway(http(`
    server {
      listen 8080;
      location = / { proxy_pass http://a; }
      location / { proxy_pass http://b; }
      location /documents/ { proxy_pass http://c; }
      location ^~ /images/ { proxy_pass http://d; }
      location ~* \\.(gif|jpg|jpeg)$ { proxy_pass http://e; }
      location /nested/ {
        location ~ \\.php$ { proxy_pass http://nested-regex; }
        proxy_pass http://nested;
      }
      location ~ ^/nested/x { proxy_pass http://outer-regex; }
      location /internal/ { internal; proxy_pass http://i; }
    }
  `));
  test.each([
    ['/', 'a:80'],
    ['/index.html', 'b:80'],
    ['/documents/document.html', 'c:80'],
    ['/images/1.gif', 'd:80'],
    ['/documents/1.JPG', 'e:80'],
    ['/nested/a.php', 'nested-regex:80'],
    ['/nested/x.html', 'outer-regex:80'],
    ['/nested/y', 'nested:80'],
    ['/internal/x', 'respond 404'],
  ])('%s -> %s', (path, expected) => {
    expect(backendOf(route(manifests, `http://h${path}`))).toBe(expected);
  });
});

describe('proxy_pass (ngx_http_proxy_module.html#proxy_pass) and rewrite (ngx_http_rewrite_module.html)', () => {
  const manifests = gateway(http(`
    upstream app { server app.ns.svc.cluster.local:8080 weight=3; server app-v2.ns.svc.cluster.local:8080; server old.ns.svc.cluster.local:8080 down; }
    server {
      listen 8080;
      location /name/ { proxy_pass http://app/remote/; }
      location /raw/ { proxy_pass http://app; }
      location /vars/ { proxy_pass http://app/fixed$is_args$args; }
      location /users/ { rewrite ^/users/(.*)$ /show?user=$1 break; proxy_pass http://app; }
      location /old/ { rewrite ^/old/(.*)$ https://new.example.com/$1 permanent; }
      location /moved { return 302 https://$host/elsewhere$request_uri; }
      location /last/ { rewrite ^/last/(.*)$ /name/$1 last; }
    }
  `));
  test('a URI part replaces the part of the normalized URI the location matched', () => {
    expect(route(manifests, 'http://h/name/a/../b?q=1')).toMatchObject({ kind: 'forward', path: '/remote/b?q=1', host: 'app', backend: 'app:8080' });
  });
  test('without a URI part, the request URI as the client sent it', () => {
    expect(route(manifests, 'http://h/raw//a/%7Ex?q=1')).toMatchObject({ path: '/raw//a/%7Ex?q=1' });
  });
  test('with variables, the URI written replaces the whole', () => {
    expect(route(manifests, 'http://h/vars/x?q=1')).toMatchObject({ path: '/fixed?q=1' });
  });
  test('after a rewrite, without a URI part: the changed URI, the rewrite\'s arguments before the client\'s', () => {
    expect(route(manifests, 'http://h/users/bob?x=1')).toMatchObject({ path: '/show?user=bob&x=1' });
  });
  test('a rewrite to an absolute URL is a redirect (permanent: 301), the arguments kept', () => {
    expect(route(manifests, 'http://h/old/a?b=c')).toEqual({ kind: 'redirect', dataPlane: 'api-gateway-nginx', status: 301, location: 'https://new.example.com/a?b=c' });
  });
  test('return with a URL', () => {
    expect(route(manifests, 'http://h/moved?x')).toMatchObject({ status: 302, location: 'https://h/elsewhere/moved?x' });
  });
  test('rewrite last searches the locations again', () => {
    expect(route(manifests, 'http://h/last/z')).toMatchObject({ kind: 'forward', path: '/remote/z' });
  });
  test('upstream weights give the shares; a server marked down gets none (ngx_http_upstream_module.html#server)', () => {
    expect(route(manifests, 'http://h/raw/')).toMatchObject({ backend: 'app:8080', backends: { 'app:8080': 0.75, 'app-v2:8080': 0.25 } });
  });
});

describe('maps, if, error pages, header edits, timeouts, mirrors', () => {
  const manifests = gateway(http(`
    map $http_x_tier $tier_backend {
      default http://general;
      GOLD http://gold;
      ~^silver-(?<level>[0-9])$ http://silver$level;
    }
    map $http_x_tag $tag { "" "gw"; default "$http_x_tag, gw"; }
    map $http_x_api_key $consumer { default ""; include /etc/nginx/generated/keys.map; }
    geo $dollar { default "$"; }
    proxy_read_timeout 30s;
    server {
      listen 8080;
      server_name api.example.com;
      error_page 404 @json_404;
      add_header x-server "1" always;
      location /tier { proxy_pass $tier_backend; }
      location /edit {
        proxy_set_header Host "backend.internal";
        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
        proxy_set_header x-env "prod\${dollar}";
        proxy_set_header x-tag $tag;
        proxy_set_header x-debug "";
        proxy_hide_header x-powered-by;
        proxy_hide_header x-version;
        add_header x-version "gateway" always;
        proxy_read_timeout 5s;
        mirror /__mirror;
        proxy_pass http://api.ns.svc.cluster.local:8080;
      }
      location = /__mirror { internal; proxy_pass http://shadow.ns.svc.cluster.local:9090$request_uri; }
      location /keyed {
        if ($consumer = "") { return 401; }
        proxy_pass http://api.ns.svc.cluster.local;
      }
      location /gone { return 404; }
      location @json_404 { default_type application/json; return 404 '{"error":"not found"}'; }
      location /files { root /srv; }
      location /sub { sub_filter a b; proxy_pass http://x; }
    }
  `));
  const at = (path: string, headers: Record<string, string> = {}) => route(manifests, `http://api.example.com${path}`, { headers });

  test('map: strings case-insensitively, then regexes in order with their named captures, else the default (ngx_http_map_module.html)', () => {
    expect(backendOf(at('/tier', { 'x-tier': 'gold' }))).toBe('gold:80');
    expect(backendOf(at('/tier', { 'x-tier': 'silver-2' }))).toBe('silver2:80');
    expect(backendOf(at('/tier'))).toBe('general:80');
  });

  test('request and response header edits; the Host; the timeout as written, the innermost level\'s (proxy_set_header, add_header, proxy_hide_header)', () => {
    const r = at('/edit', { 'x-tag': 'client', 'x-debug': '1' });
    expect(r).toEqual({
      kind: 'forward',
      dataPlane: 'api-gateway-nginx',
      backend: 'api:8080',
      backends: { 'api:8080': 1 },
      host: 'backend.internal',
      path: '/edit',
      timeout: '5s',
      requestHeaders: { set: { 'x-env': 'prod$' }, add: { 'x-tag': 'gw' }, remove: ['x-debug'] },
      // add_header of the location replaces the server's (inherited only without any of its own).
      responseHeaders: { set: { 'x-version': 'gateway' }, remove: ['x-powered-by'] },
      mirrors: ['shadow:9090'],
    });
    // The same edit without the client's header: still an append, of "gw".
    expect(at('/edit')).toMatchObject({ requestHeaders: { add: { 'x-tag': 'gw' } } });
  });

  test('the server\'s add_header and the http level\'s timeout are inherited by a location with none of its own', () => {
    expect(at('/keyed')).toMatchObject({ timeout: '30s', responseHeaders: { add: { 'x-server': '1' } }, host: 'api.ns.svc.cluster.local' });
  });

  test('a condition on a credential table rendered at pod start: the request is taken as passing the check', () => {
    expect(at('/keyed')).toMatchObject({ kind: 'forward', backend: 'api:80' });
  });

  test('return of a code alone: the error page\'s named location answers (error_page)', () => {
    expect(at('/gone')).toEqual({ kind: 'respond', dataPlane: 'api-gateway-nginx', status: 404, reason: 'no route' });
  });

  test('what the model does not know is an error naming it', () => {
    expect(() => at('/files')).toThrow('"root" answers the request itself: not modelled');
    expect(() => at('/sub')).toThrow('the directive "sub_filter" is not modelled');
  });

  test('a Service that is not an nginx gateway from a ConfigMap: undefined', () => {
    const m = gateway('events {}');
    m[1].spec.template.spec.containers[0].args = ['my-app'];
    expect(routeThroughApiGateway(m, { name: 'gw', port: 80 }, { method: 'GET', scheme: 'http', host: 'h', path: '/', headers: {} })).toBeUndefined();
    expect(routeThroughApiGateway(gateway('events {}'), { name: 'other', port: 80 }, { method: 'GET', scheme: 'http', host: 'h', path: '/', headers: {} })).toBeUndefined();
  });
});

describe('the port and the scheme', () => {
  const manifests = gateway(http(`
    server { listen 8080; server_name h; return 301 https://$host$request_uri; }
    server { listen 8443 ssl default_server; ssl_reject_handshake on; }
    server { listen 8443 ssl; server_name h; location / { proxy_set_header X-Proto $scheme; proxy_pass http://app.ns.svc.cluster.local:8080; } }
  `));
  test('the Service port leads to the container port (by name too); a listener with ssl is https', () => {
    expect(route(manifests, 'http://h/a?b')).toMatchObject({ kind: 'redirect', status: 301, location: 'https://h/a?b' });
    expect(route(manifests, 'https://h/a', { port: 443 })).toMatchObject({ kind: 'forward', backend: 'app:8080', requestHeaders: { set: { 'x-proto': 'https' } } });
  });
  test('another host on the TLS port: the default server refuses the handshake', () => {
    expect(route(manifests, 'https://other/', { port: 443 })).toMatchObject({ kind: 'respond', status: 0 });
  });
});

describe('proxy_pass after a rewrite in its own location (ngx_http_proxy_module.html#proxy_pass)', () => {
  test('the URI part is ignored and the changed URI sent', () => {
    const manifests = gateway(http('server { listen 8080; location /name/ { rewrite /name/([^/]+) /users?name=$1 break; proxy_pass http://127.0.0.1/ignored/; } }'));
    expect(route(manifests, 'http://h/name/bob')).toMatchObject({ path: '/users?name=bob', backend: '127.0.0.1:80' });
  });
});

describe('a request line nginx cannot parse (observed on the real nginx: "empty URI in redirect to named location")', () => {
  const manifests = gateway(http(`
    server { listen 8080 default_server; return 404; }
    server { listen 8080; server_name h; error_page 400 @json; location @json { return 400 '{}'; } location / { proxy_pass http://a; } }
    server { listen 8443 ssl; server_name h; error_page 400 @json; location @json { return 400 '{}'; } location / { proxy_pass http://a; } }
  `));
  test('plain HTTP: the port\'s default server answers 400, before the Host is read', () => {
    expect(route(manifests, 'http://h/%2e%2e/x')).toMatchObject({ kind: 'respond', status: 400 });
  });
  test('TLS: the SNI\'s server, whose error page to a named location fails with 500', () => {
    expect(route(manifests, 'https://h/%2e%2e/x', { port: 443 })).toMatchObject({ kind: 'respond', status: 500 });
    expect(route(manifests, 'https://h/%zz', { port: 443 })).toMatchObject({ kind: 'respond', status: 500 });
  });
});

describe('route(): a front that forwards to the NGINX engine\'s gateway', () => {
  test('the gateway\'s answer, with the front\'s as via', () => {
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' }) }),
      hosts: ['api.example.com'],
      backend: Backend.fromName('api', 8080),
      routes: [
        { match: { path: PathMatch.prefix('/v1') }, backend: Backend.fromName('api-v1', 8080), rewrite: { path: '/' } },
        { match: { path: PathMatch.exact('/old') }, redirect: { path: '/new', statusCode: 301 } },
        { match: { path: PathMatch.prefix('/') } },
      ],
    });
    const manifests = synthChecked(chart);
    const answer = routeTo(manifests, 'GET http://api.example.com/v1/orders?x=1');
    expect(answer).toMatchObject({ kind: 'forward', dataPlane: 'api-gateway-nginx', backend: 'api-v1:8080', path: '/orders?x=1', host: 'api.example.com' });
    expect(answer.via).toMatchObject({ kind: 'forward', dataPlane: 'gateway-api' });
    // The redirect's scheme and host are the request's as the gateway sees it.
    expect(routeTo(manifests, 'GET http://api.example.com/old')).toMatchObject({ kind: 'redirect', status: 301, location: 'http://api.example.com/new' });
  });
});
