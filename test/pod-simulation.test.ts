import { App, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { PodStartError, secretManifest, SimulatedPod, simulatePod, tlsSecret } from './support/pod-simulation';
import { Manifest, ofKind, synthChecked, testChart } from './support/synth';
import { build as apiGatewayExample } from '../examples/api-gateway/app';
import { build as environmentsExample } from '../examples/environments/app';
import { buildShop } from '../examples/shop/app';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, PathMatch, Tls } from '../src';

/**
 * Every generated gateway pod starts, shown from the synthesized YAML alone: its volumes are laid
 * out from the pod template, the ConfigMaps of the output and the Secrets as the README tells a
 * user to create them; its init container runs in a sandbox with exactly its mounts; and every
 * file the gateway reads is there, in its own view.
 */
jest.setTimeout(60_000);

const HOST = 'api.example.com';
// The README's format: one data key per consumer, its value the API key or the password.
const API_KEYS = { alice: 'key-alice', bob: 'key-"bob"\\\n' };
const ADMINS = { root: 'pa:ss w0rd' };

function declare(engine: ApiGatewayEngine): Manifest[] {
  const chart = testChart('shop', 'shop');
  new ExposedService(chart, 'api', {
    strategy: ExposureStrategy.apiGateway({ engine }),
    hosts: [HOST],
    backend: Backend.fromName('api', 8080),
    auth: Auth.apiKey({ secret: 'api-keys' }),
    tls: Tls.fromSecret('api-tls'),
    routes: [
      { match: { path: PathMatch.prefix('/admin') }, auth: Auth.basic({ secret: 'admins' }) },
      { match: { path: PathMatch.prefix('/') } },
    ],
  });
  return synthChecked(chart);
}

let tls: Manifest;
const secrets = () => [secretManifest('api-keys', API_KEYS), secretManifest('admins', ADMINS), tls];

beforeAll(() => {
  tls = tlsSecret('api-tls', HOST);
});

describe('the NGINX gateway pod starts', () => {
  let pod: SimulatedPod;
  beforeAll(async () => {
    pod = await simulatePod({ manifests: declare(ApiGatewayEngine.nginx()), secrets: secrets() });
  });
  afterAll(() => pod?.dispose());

  test('its init container renders the credentials into the in-memory volume', () => {
    expect(pod.readFile('gateway', '/etc/nginx/generated/api-keys.keys.map')).toBe('"~^key-alice$" "alice";\n"~^key-\\"bob\\"\\\\$" "bob";\n');
    expect(pod.readFile('gateway', '/etc/nginx/generated/admins.htpasswd')).toBe('root:{PLAIN}pa:ss w0rd\n');
  });

  test('every file nginx.conf names is in the gateway\'s view', () => {
    const files = pod.files.get('gateway')!.references.map((r) => `${r.access} ${r.path}`);
    expect(files).toEqual(expect.arrayContaining([
      'read-file /etc/nginx/conf/nginx.conf',
      'read-file /etc/nginx/tls/tls.crt',
      'read-file /etc/nginx/tls/tls.key',
      'read-file /etc/nginx/generated/api-keys.keys.map',
      'read-file /etc/nginx/generated/admins.htpasswd',
      'write-file /tmp/nginx.pid',
      'write-dir /tmp/client_temp',
    ]));
  });
});

describe('the Kong gateway pod starts', () => {
  let pod: SimulatedPod;
  beforeAll(async () => {
    pod = await simulatePod({ manifests: declare(ApiGatewayEngine.kong()), secrets: secrets() });
  });
  afterAll(() => pod?.dispose());

  test('its init container appends the consumers to the declarative configuration', () => {
    const config = YAML.parse(pod.readFile('gateway', '/kong/generated/kong.yml')!, { version: '1.1' });
    expect(config._format_version).toBe('3.0');
    expect(config.consumers).toEqual([
      { username: 'alice', keyauth_credentials: [{ key: 'key-alice' }], acls: [{ group: 'api-keys' }] },
      { username: 'bob', keyauth_credentials: [{ key: 'key-"bob"\\' }], acls: [{ group: 'api-keys' }] },
      { username: 'root', basicauth_credentials: [{ username: 'root', password: 'pa:ss w0rd' }], acls: [{ group: 'admins' }] },
    ]);
  });

  test('every file Kong\'s environment names is in the gateway\'s view', () => {
    const files = pod.files.get('gateway')!.references.map((r) => `${r.access} ${r.path}`);
    expect(files).toEqual(expect.arrayContaining([
      'read-file /kong/generated/kong.yml',
      'read-file /kong/tls/tls.crt',
      'read-file /kong/tls/tls.key',
      'write-dir /kong/prefix',
    ]));
  });
});

test('a gateway pod does not start without the Secrets it mounts', async () => {
  const error = await simulatePod({ manifests: declare(ApiGatewayEngine.nginx()), secrets: [tls] }).catch((e) => e);
  expect(error).toBeInstanceOf(PodStartError);
  expect(error.problems).toEqual([
    'volume secret-0: Secret shop/admins does not exist (the kubelet cannot mount it: the pod stays in ContainerCreating)',
    'volume secret-1: Secret shop/api-keys does not exist (the kubelet cannot mount it: the pod stays in ContainerCreating)',
  ]);
});

describe('every API gateway pod of the examples starts', () => {
  const synth = (build: (app: App) => unknown) => {
    const app = Testing.app();
    build(app);
    return synthChecked(app);
  };
  // What the examples' users create: the auth Secrets, and cert-manager's Secret for Tls.certManager.
  const certManagerSecret = (name: string, host: string) => {
    const secret: Manifest & { data: Record<string, string> } = tlsSecret(name, host) as any;
    return { ...secret, data: { ...secret.data, 'ca.crt': secret.data['tls.crt'] } };
  };

  test.each([
    ['api-gateway', () => synth(apiGatewayExample), () => [
      secretManifest('api-consumers', { 'mobile-app': 'k-mobile', 'partner': 'k-partner' }),
      secretManifest('api-admins', { ops: 'ops-password' }),
      certManagerSecret('orders-nginx-tls', 'api.example.com'),
    ]],
    ['environments (prod)', () => synth((app) => environmentsExample(app, 'prod')), () => []],
    ['shop (api-gateway)', () => synthChecked(buildShop(Testing.app(), 'api-gateway')), () => []],
    ['shop (api-gateway-kong)', () => synthChecked(buildShop(Testing.app(), 'api-gateway-kong')), () => [tlsSecret('shop-public-tls', 'shop.example.com')]],
  ] as [string, () => Manifest[], () => Manifest[]][])('%s', async (_name, manifests, userSecrets) => {
    const output = manifests();
    const gateways = ofKind(output, 'Deployment').filter((d) => (d.metadata.name ?? '').endsWith('-gateway'));
    expect(gateways.length).toBeGreaterThan(0);
    for (const gateway of gateways) {
      const pod = await simulatePod({ manifests: output, deployment: gateway.metadata.name, secrets: userSecrets() });
      pod.dispose();
    }
  });
});
