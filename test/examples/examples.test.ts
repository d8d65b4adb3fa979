import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { App, Testing } from 'cdk8s';
import * as YAML from 'yaml';
import { build as apiGateway } from '../../examples/api-gateway/app';
import { build as environments, ENVIRONMENTS, Environment } from '../../examples/environments/app';
import { build as envoyGateway } from '../../examples/envoy-gateway/app';
import { build as gatewayApi } from '../../examples/gateway-api/app';
import { build as ingress } from '../../examples/ingress/app';
import { build as istio } from '../../examples/istio/app';
import { build as istioGatewayApi } from '../../examples/istio-gateway-api/app';
import { build as kongGatewayApi } from '../../examples/kong-gateway-api/app';
import { build as migration } from '../../examples/migration/app';
import { build as nginxGatewayFabric } from '../../examples/nginx-gateway-fabric/app';
import { build as service } from '../../examples/service/app';
import { build as traefik } from '../../examples/traefik/app';
import { find, ofKind, synthChecked } from '../support/synth';

/** Builds an example app the way `cdk8s synth` does, and checks every manifest. */
function synth(build: (app: App) => unknown) {
  const app = Testing.app();
  build(app);
  return synthChecked(app);
}

describe('examples', () => {
  // App-repo style: one snapshot of each app's manifests, reviewed like code.
  test.each([
    ['service', service], ['ingress', ingress], ['istio', istio], ['gateway-api', gatewayApi], ['api-gateway', apiGateway], ['migration', migration],
    ['envoy-gateway', envoyGateway], ['traefik', traefik], ['nginx-gateway-fabric', nginxGatewayFabric], ['kong-gateway-api', kongGatewayApi], ['istio-gateway-api', istioGatewayApi],
  ] as [string, (app: App) => unknown][])('%s synthesizes valid manifests', (_name, build) => {
    expect(synth(build)).toMatchSnapshot();
  });

  test.each(Object.keys(ENVIRONMENTS) as Environment[])('environments: %s', (environment) => {
    const manifests = synth((app) => environments(app, environment));
    const kinds = new Set(manifests.map((m) => m.kind));
    if (environment === 'dev') expect(kinds.has('Ingress')).toBe(true);
    if (environment === 'staging') expect(kinds.has('HTTPRoute')).toBe(true);
    if (environment === 'prod') expect(['VirtualService', 'ConfigMap'].every((k) => kinds.has(k))).toBe(true);
    expect(manifests).toMatchSnapshot();
  });

  test('service: a NodePort and a LoadBalancer select the same pods', () => {
    const services = ofKind(synth(service), 'Service');
    expect(services.map((s) => s.spec.type).sort()).toEqual(['LoadBalancer', 'NodePort']);
    expect(services[0].spec.selector).toEqual(services[1].spec.selector);
  });

  test('istio: the canary splits reviews 90/10 between subsets', () => {
    const route = ofKind(synth(istio), 'VirtualService').find((v) => v.metadata.name === 'bookinfo-reviews-edge')!.spec.http[0].route;
    expect(route.map((r: any) => [r.destination.subset, r.weight])).toEqual([['v1', 90], ['v2', 10]]);
  });

  test('migration: the same routes before and after', () => {
    const manifests = synth(migration);
    expect(ofKind(manifests, 'Ingress').length).toBeGreaterThan(1);
    expect(find(manifests, 'HTTPRoute', 'gateway-api-shop').spec.rules.map((r: any) => r.name)).toEqual(['routes-0', 'routes-1', 'routes-2']);
  });

  test('traefik: each rule references its Middlewares, the body size shared by all', () => {
    const rules = find(synth(traefik), 'HTTPRoute', 'shop-shop').spec.rules;
    expect(rules.map((r: any) => r.filters.map((f: any) => f.extensionRef.name))).toEqual([
      ['shop-shop-routes-0-rate-limit', 'shop-shop-body-size'],
      ['shop-shop-routes-1-ip-allow-list', 'shop-shop-routes-1-basic-auth', 'shop-shop-body-size'],
      ['shop-shop-body-size'],
    ]);
  });

  test('kong-gateway-api: each rule references its KongPlugins, the body size one for all', () => {
    const manifests = synth(kongGatewayApi);
    const refs = find(manifests, 'HTTPRoute', 'shop-shop').spec.rules.map((r: any) => r.filters.map((f: any) => f.extensionRef.name));
    expect(refs).toEqual([
      ['shop-shop-routes-0-rate-limiting', 'shop-shop-request-size-limiting'],
      ['shop-shop-routes-1-key-auth', 'shop-shop-routes-1-acl', 'shop-shop-routes-1-rate-limiting', 'shop-shop-request-size-limiting'],
      ['shop-shop-routes-2-ip-restriction', 'shop-shop-routes-2-basic-auth', 'shop-shop-routes-2-acl', 'shop-shop-request-size-limiting'],
      ['shop-shop-request-size-limiting'],
    ]);
    expect(ofKind(manifests, 'KongConsumer').map((c) => c.credentials)).toEqual([['partner-key', 'partner-key-acl'], ['admins', 'admins-acl']]);
  });

  test('every example runs with `cdk8s synth`', () => {
    const root = path.join(__dirname, '..', '..', 'examples');
    const cli = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'cdk8s');
    for (const example of fs.readdirSync(root).filter((d) => fs.existsSync(path.join(root, d, 'cdk8s.yaml')))) {
      const dir = path.join(root, example);
      fs.rmSync(path.join(dir, 'dist'), { recursive: true, force: true });
      execFileSync(cli, ['synth', '--no-check-upgrade'], { cwd: dir, env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' }, stdio: 'pipe', timeout: 120_000 });
      const files = fs.readdirSync(path.join(dir, 'dist')).filter((f) => f.endsWith('.k8s.yaml'));
      expect([example, files.length > 0]).toEqual([example, true]);
      for (const f of files) expect(YAML.parseAllDocuments(fs.readFileSync(path.join(dir, 'dist', f), 'utf8')).length).toBeGreaterThan(0);
    }
  }, 600_000);
});
