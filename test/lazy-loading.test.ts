import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The modules under imports/ that running `script` in a fresh node process pulls in. */
function importsLoadedBy(script: string): string[] {
  const probe = `${script};
    const dir = ${JSON.stringify(path.join(ROOT, 'imports') + path.sep)};
    console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.startsWith(dir)).map((m) => m.slice(dir.length)).sort()));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

/** A script that declares one exposure with `strategy` (an expression over the library `e`). */
const exposeWith = (strategy: string, extra = '') => `
  const { Chart, Testing } = require('cdk8s');
  const e = require('./src');
  new e.ExposedService(new Chart(Testing.app(), 'c'), 'x', { strategy: ${strategy}, hosts: ['a.example.com'], backend: e.Backend.fromName('a', 80) ${extra} });`;

/**
 * Like `exposeWith`, with a Deployment backend that is no cdk8s-plus object: a construct with the
 * members the library reads (any cdk8s-plus Deployment has them), so the probe loads no cdk8s-plus.
 */
const exposeDeploymentWith = (strategy: string, extra = '') => `
  const { Chart, Testing } = require('cdk8s');
  const { Construct } = require('constructs');
  const e = require('./src');
  const chart = new Chart(Testing.app(), 'c');
  const api = Object.assign(new Construct(chart, 'api'), { name: 'api', metadata: {}, matchLabels: { app: 'api' }, containers: [{ ports: [{ number: 8080 }] }] });
  new e.ExposedService(chart, 'x', { strategy: ${strategy}, backend: e.Backend.fromDeployment(api) ${extra} });`;

describe('loading the library', () => {
  test('does not load the L1 modules (core Kubernetes, Istio, Gateway API, cert-manager)', () => {
    expect(importsLoadedBy("require('./src')")).toEqual([]);
    // The probe itself sees a module that is loaded.
    expect(importsLoadedBy("require('./imports/cert-manager-cert-manager.io')")).toEqual(['cert-manager-cert-manager.io.ts']);
  }, 60_000);

  test('loading the library does not load its YAML serializer either (only the Kong engine uses it)', () => {
    // The library's own dependency, js-yaml (cdk8s brings its own YAML library, which it loads itself).
    const own = JSON.stringify(path.join(ROOT, 'node_modules', 'js-yaml') + path.sep);
    const loaded = (declare: string) => {
      const script = `${declare}; console.log(JSON.stringify([Object.keys(require.cache).some((m) => m.startsWith(${own}))]));`;
      const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
      return JSON.parse(out.trim().split('\n').pop()!)[0];
    };
    expect(loaded("require('./src')")).toBe(false);
    // The probe sees it when a Kong gateway renders its configuration.
    expect(loaded(exposeWith('e.ExposureStrategy.apiGateway({ engine: e.ApiGatewayEngine.kong() })'))).toBe(true);
  }, 60_000);

  test('Ingress, Service and NGINX API gateway exposures load the core Kubernetes module only', () => {
    expect(importsLoadedBy(exposeWith("e.ExposureStrategy.ingress({ className: 'nginx' })"))).toEqual(['k8s.ts']);
    expect(importsLoadedBy(exposeDeploymentWith('e.ExposureStrategy.nodePort()'))).toEqual(['k8s.ts']);
    expect(importsLoadedBy(exposeWith('e.ExposureStrategy.apiGateway({ engine: e.ApiGatewayEngine.nginx() })'))).toEqual(['k8s.ts']);
  }, 60_000);

  test('no strategy loads a cdk8s-plus: the app brings its own, of any version', () => {
    const cdk8sPlusLoadedBy = (script: string): string[] => {
      const probe = `${script};
        console.log(JSON.stringify([...new Set(Object.keys(require.cache).map((m) => /node_modules[\\/](cdk8s-plus-[0-9]+)/.exec(m)?.[1]).filter(Boolean))]));`;
      const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', probe], { cwd: ROOT, encoding: 'utf8' });
      return JSON.parse(out.trim().split('\n').pop()!);
    };
    const l7 = ", hosts: ['a.example.com'], tls: e.Tls.certManager({ clusterIssuer: 'ca' })";
    const strategies = ["e.ExposureStrategy.ingress({ className: 'nginx', controller: e.IngressController.ingressNginx() })",
      'e.ExposureStrategy.istio()', "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })",
      'e.ExposureStrategy.apiGateway({ engine: e.ApiGatewayEngine.kong() })'];
    // One process declares an exposure per strategy (each in its own app).
    const script = [...strategies.map((strategy) => exposeDeploymentWith(strategy, l7)), exposeDeploymentWith('e.ExposureStrategy.loadBalancer()')]
      .map((declare) => `{ ${declare} }`).join('\n');
    expect(cdk8sPlusLoadedBy(script)).toEqual([]);
    // The probe sees a cdk8s-plus that is loaded.
    expect(cdk8sPlusLoadedBy("require('cdk8s-plus-27')")).toEqual(['cdk8s-plus-27']);
  }, 120_000);

  test('an Istio exposure loads the Istio networking module, and more only for the features that need it', () => {
    expect(importsLoadedBy(exposeWith('e.ExposureStrategy.istio()'))).toEqual(['istio-networking.istio.io.ts']);
    // JWT on the shared ingress gateway, whose namespace it needs.
    expect(importsLoadedBy(exposeWith("e.ExposureStrategy.istio({ gateway: e.IstioGateway.create({ namespace: 'istio-system' }) })",
      ", tls: e.Tls.certManager({ issuer: 'ca' }), auth: e.Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' })")))
      .toEqual(['cert-manager-cert-manager.io.ts', 'istio-networking.istio.io.ts', 'istio-security.istio.io.ts']);
  }, 60_000);

  test('an Envoy Gateway exposure loads the Envoy Gateway module only when it renders one of its policies', () => {
    const eg = "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: e.GatewayImplementation.envoyGateway() })";
    expect(importsLoadedBy(exposeWith(eg))).toEqual(['gateway-api-gateway.networking.k8s.io.ts']);
    expect(importsLoadedBy(exposeWith(eg, ', rateLimit: e.RateLimit.perSecond(10, { burst: 10 })')))
      .toEqual(['envoy-gateway-gateway.envoyproxy.io.ts', 'gateway-api-gateway.networking.k8s.io.ts']);
  }, 60_000);

  test('a Traefik exposure loads the Traefik module only when it renders a Middleware', () => {
    const traefik = "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'traefik', implementation: e.GatewayImplementation.traefik() })";
    expect(importsLoadedBy(exposeWith(traefik))).toEqual(['gateway-api-gateway.networking.k8s.io.ts']);
    expect(importsLoadedBy(exposeWith(traefik, ', rateLimit: e.RateLimit.perSecond(10)')))
      .toEqual(['gateway-api-gateway.networking.k8s.io.ts', 'traefik-traefik.io.ts']);
  });

  test('an NGINX Gateway Fabric exposure loads its module only when it renders one of its objects', () => {
    const ngf = "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'nginx', implementation: e.GatewayImplementation.nginxGatewayFabric() })";
    expect(importsLoadedBy(exposeWith(ngf))).toEqual(['gateway-api-gateway.networking.k8s.io.ts']);
    expect(importsLoadedBy(exposeWith(ngf, ", auth: e.Auth.basic({ secret: 'admins' })")))
      .toEqual(['gateway-api-gateway.networking.k8s.io.ts', 'nginx-gateway-fabric-gateway.nginx.org.ts']);
  });

  test('a Kong exposure loads the Kong module only when it renders a KongPlugin, and the core module for a consumer\'s acl Secret', () => {
    const kong = "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'kong', implementation: e.GatewayImplementation.kong() })";
    expect(importsLoadedBy(exposeWith(kong))).toEqual(['gateway-api-gateway.networking.k8s.io.ts']);
    expect(importsLoadedBy(exposeWith(kong, ', rateLimit: e.RateLimit.perSecond(10, { burst: 10 })')))
      .toEqual(['gateway-api-gateway.networking.k8s.io.ts', 'kong-configuration.konghq.com.ts']);
    expect(importsLoadedBy(exposeWith(kong, ", auth: e.Auth.basic({ secret: 'admins' })")))
      .toEqual(['gateway-api-gateway.networking.k8s.io.ts', 'k8s.ts', 'kong-configuration.konghq.com.ts']);
  });

  test('an Istio Gateway API exposure loads the Istio security module only when it renders one of its policies, never the networking one', () => {
    const istio = "e.ExposureStrategy.gatewayApi({ gatewayClassName: 'istio', implementation: e.GatewayImplementation.istio() })";
    expect(importsLoadedBy(exposeWith(istio))).toEqual(['gateway-api-gateway.networking.k8s.io.ts']);
    expect(importsLoadedBy(exposeWith(istio, ", access: e.AccessPolicy.denyFrom(['203.0.113.0/24'])")))
      .toEqual(['gateway-api-gateway.networking.k8s.io.ts', 'istio-security.istio.io.ts']);
  }, 60_000);
});
