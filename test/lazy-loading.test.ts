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

describe('loading the library', () => {
  test('does not load the CRD L1 modules (Istio, Gateway API, Kong, cert-manager)', () => {
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

  test('Ingress, Service and NGINX API gateway exposures load none of them', () => {
    expect(importsLoadedBy(exposeWith("e.ExposureStrategy.ingress({ className: 'nginx' })"))).toEqual([]);
    expect(importsLoadedBy(exposeWith('e.ExposureStrategy.apiGateway({ engine: e.ApiGatewayEngine.nginx() })'))).toEqual([]);
  }, 60_000);

  test('an Istio exposure loads the Istio networking module, and more only for the features that need it', () => {
    expect(importsLoadedBy(exposeWith('e.ExposureStrategy.istio()'))).toEqual(['istio-networking.istio.io.ts']);
    expect(importsLoadedBy(exposeWith('e.ExposureStrategy.istio()',
      ", tls: e.Tls.certManager({ issuer: 'ca' }), auth: e.Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/k' })")))
      .toEqual(['cert-manager-cert-manager.io.ts', 'istio-networking.istio.io.ts', 'istio-security.istio.io.ts']);
  }, 60_000);
});
