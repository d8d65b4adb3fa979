import {
  ApiGatewayEngine, Auth, Backend, ExposedService, ExposedServiceProps, ExposureStrategy, IstioGateway, PathMatch, Tls,
} from '../../src';
import { JWT_NJS } from '../../src/strategies/api-gateway/nginx/nginx-njs';
import { declarationError, find, Manifest, synthChecked, testChart } from '../support/synth';

/**
 * `Auth.jwt` on the NGINX engine: the njs module, the auth subrequest, the JWKS mounts; and the
 * one declaration that names the keys for each engine rendering on nginx, Kong and Istio.
 * (The live checks of tokens are in test/e2e/api-gateway-nginx-jwt.test.ts.)
 */
const ISSUER = 'https://id.example.com';
const JWKS_URI = 'https://id.example.com/.well-known/jwks.json';
const api = () => Backend.fromName('api', 8080);

function expose(props: Partial<ExposedServiceProps>, strategy = ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() })): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', { strategy, backend: api(), ...props });
  return synthChecked(chart);
}

/** The lines of the block that `open` starts, trimmed, up to its closing brace. */
function blockOf(config: string, open: string): string[] {
  const lines = config.split('\n');
  const start = lines.findIndex((l) => l.trim() === open);
  if (start < 0) throw new Error(`no ${open}`);
  const indent = lines[start].length - lines[start].trimStart().length;
  const end = lines.findIndex((l, i) => i > start && l === `${' '.repeat(indent)}}`);
  return lines.slice(start, end + 1).map((l) => l.trim());
}

const configMapOf = (manifests: Manifest[]) => find(manifests, 'ConfigMap', 'shop-api-gateway-config');
const podOf = (manifests: Manifest[]) => find(manifests, 'Deployment', 'shop-api-gateway').spec.template.spec;

describe('Auth.jwt on the NGINX engine', () => {
  test('the njs module is loaded and imported, its file next to nginx.conf; the route asks it by auth_request', () => {
    const manifests = expose({
      hosts: ['api.example.com'],
      routes: [
        { match: { path: PathMatch.prefix('/public') } },
        { match: { path: PathMatch.prefix('/orders') }, auth: Auth.jwt({ issuer: ISSUER, jwksUri: JWKS_URI, audiences: ['orders', 'a$b'], jwksSecret: 'id-jwks' }) },
      ],
    });
    const data = configMapOf(manifests).data;
    expect(Object.keys(data).sort()).toEqual(['jwt.js', 'nginx.conf']);
    expect(data['jwt.js']).toBe(JWT_NJS.source);
    const config: string = data['nginx.conf'];
    const lines = config.split('\n');
    expect(lines[0]).toBe('load_module /etc/nginx/modules/ngx_http_js_module.so;');
    expect(lines).toContain('  js_path /etc/nginx/conf/;');
    expect(lines).toContain('  js_import jwt from jwt.js;');
    // Routes are written most specific first: the JWT route's location is the one of routes[1].
    const route = blockOf(config, 'location = /__route/1 {');
    expect(route).toContain('set $route_name "routes[1]";');
    expect(route).toContain('auth_request /__jwt/1;');
    expect(route).toContain('auth_request_set $consumer $sent_http_x_jwt_subject;');
    expect(route).toContain('auth_request_set $jwt_challenge $sent_http_x_jwt_challenge;');
    expect(route).toContain('proxy_set_header X-Consumer-Username $consumer;');
    expect(route).toContain('error_page 401 @jwt_401;');
    expect(route).toContain('error_page 500 @error_500;');
    expect(route).not.toContain('error_page 401 @error_401;');
    expect(blockOf(config, 'location = /__jwt/1 {')).toEqual([
      'location = /__jwt/1 {',
      'internal;',
      'set $route_name "routes[1]";',
      'set $jwt_jwks /etc/nginx/jwks/secret/id-jwks/jwks.json;',
      'set $jwt_issuer "https://id.example.com";',
      // Declared text literally: a "$" is ${dollar}, quotes escaped.
      'set $jwt_audiences "[\\"orders\\",\\"a${dollar}b\\"]";',
      'js_content jwt.verify;',
      '}',
    ]);
    expect(blockOf(config, 'location @jwt_401 {')).toEqual([
      'location @jwt_401 {',
      'default_type application/json;',
      'add_header WWW-Authenticate $jwt_challenge always;',
      'return 401 \'{"error":"unauthorized","status":401,"request_id":"$request_id"}\\n\';',
      '}',
    ]);
    // The public route asks nothing.
    expect(blockOf(config, 'location = /__route/0 {').join('\n')).not.toMatch(/auth_request|jwt/);
    // The JWKS Secret mounted read-only, its jwks.json only; the module needs no writable path.
    const pod = podOf(manifests);
    const gateway = pod.containers[0];
    const mount = gateway.volumeMounts.find((m: any) => m.mountPath === '/etc/nginx/jwks/secret/id-jwks');
    expect(mount.readOnly).toBe(true);
    expect(pod.volumes.find((v: any) => v.name === mount.name)).toEqual({ name: mount.name, secret: { secretName: 'id-jwks', items: [{ key: 'jwks.json', path: 'jwks.json' }] } });
    expect(gateway.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  test('a JWKS ConfigMap; routes of one issuer share the mount, with HSTS on the 401', () => {
    const auth = Auth.jwt({ issuer: ISSUER, jwksUri: JWKS_URI, jwksConfigMap: 'id-jwks' });
    const chart = testChart('shop', 'shop');
    new ExposedService(chart, 'api', {
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx(), exposedVia: ExposureStrategy.loadBalancer() }),
      hosts: ['api.example.com'],
      tls: Tls.fromSecret('api-tls'),
      backend: api(),
      routes: [{ match: { path: PathMatch.prefix('/a') }, auth }, { match: { path: PathMatch.prefix('/b') }, auth }],
    });
    const manifests = synthChecked(chart);
    const config: string = configMapOf(manifests).data['nginx.conf'];
    expect(config.match(/set \$jwt_jwks \/etc\/nginx\/jwks\/config-map\/id-jwks\/jwks.json;/g)).toHaveLength(2);
    expect(config.match(/location @jwt_401 \{/g)).toHaveLength(1);
    expect(blockOf(config, 'location @jwt_401 {')).toContain('add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;');
    const pod = podOf(manifests);
    const mounts = pod.containers[0].volumeMounts.filter((m: any) => m.mountPath.startsWith('/etc/nginx/jwks/'));
    expect(mounts.map((m: any) => m.mountPath)).toEqual(['/etc/nginx/jwks/config-map/id-jwks']);
    expect(pod.volumes.find((v: any) => v.name === mounts[0].name)).toEqual({ name: mounts[0].name, configMap: { name: 'id-jwks', items: [{ key: 'jwks.json', path: 'jwks.json' }] } });
  });

  test('without a JWT route the configuration has no njs and the ConfigMap only nginx.conf', () => {
    const manifests = expose({ auth: Auth.apiKey({ secret: 'keys' }) });
    const data = configMapOf(manifests).data;
    expect(Object.keys(data)).toEqual(['nginx.conf']);
    expect(data['nginx.conf']).not.toMatch(/load_module|js_import|js_path|jwt/);
  });

  test.each([
    ['both a JWKS Secret and a ConfigMap', { jwksSecret: 'a', jwksConfigMap: 'b' }, 'auth: both jwksSecret and jwksConfigMap are set; set one'],
    ['a JWKS Secret that is no name', { jwksSecret: 'Not_A_Name' },
      'auth: jwksSecret "Not_A_Name" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."'],
    ['a JWKS ConfigMap that is no name', { jwksConfigMap: 'a b' }, 'auth: jwksConfigMap "a b" is not a DNS-1123 subdomain; use lowercase letters, digits, "-" and "."'],
    ['a JWKS ConfigMap of the wrong type', { jwksConfigMap: 7 }, 'auth: jwksConfigMap is a number (7); use the ConfigMap\'s name or a cdk8s-plus ConfigMap'],
    ['a JWKS Secret of the wrong type', { jwksSecret: ['x'] }, 'auth: jwksSecret is an array; use the Secret\'s name or a cdk8s-plus Secret'],
  ] as [string, Record<string, unknown>, string][])('%s', (_name, options, message) => {
    const error = declarationError({
      strategy: ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.nginx() }),
      backend: api(),
      auth: Auth.jwt({ issuer: ISSUER, jwksUri: JWKS_URI, ...options } as any),
    });
    expect(error.message).toBe(`ExposedService test/public: ${message}`);
  });
});

describe('one JWT declaration: each engine reads its own key option', () => {
  // jwksUri for Istio, publicKeySecret for Kong, jwksSecret for the NGINX engine.
  const auth = () => Auth.jwt({ issuer: ISSUER, jwksUri: JWKS_URI, publicKeySecret: 'id-public-key', jwksSecret: 'id-jwks' });
  const props = () => ({ hosts: ['api.example.com'], routes: [{ match: { path: PathMatch.prefix('/orders') }, auth: auth() }] });

  test('NGINX engine: the JWKS Secret', () => {
    const manifests = expose(props());
    expect(configMapOf(manifests).data['nginx.conf']).toContain('set $jwt_jwks /etc/nginx/jwks/secret/id-jwks/jwks.json;');
    expect(JSON.stringify(manifests)).not.toContain('id-public-key');
  });

  test('Kong engine: the public key Secret', () => {
    const manifests = expose(props(), ExposureStrategy.apiGateway({ engine: ApiGatewayEngine.kong() }));
    const pod = podOf(manifests);
    expect(pod.volumes.some((v: any) => v.secret?.secretName === 'id-public-key')).toBe(true);
    expect(JSON.stringify(manifests)).not.toContain('id-jwks');
  });

  test('Istio: the JWKS URI', () => {
    const manifests = expose(props(), ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) }));
    expect(find(manifests, 'RequestAuthentication').spec.jwtRules).toEqual([{ issuer: ISSUER, jwks_uri: JWKS_URI }]);
    expect(JSON.stringify(manifests)).not.toMatch(/id-jwks|id-public-key/);
  });
});
