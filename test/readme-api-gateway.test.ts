import * as fs from 'fs';
import * as path from 'path';
import { Duration } from 'cdk8s';
import * as ts from 'typescript';
import * as library from '../src';
import { secretManifest, simulatePod } from './support/pod-simulation';
import { find, Manifest, ofKind, synthChecked, testChart } from './support/synth';
import { NJS_MODULE_FILE } from '../src/strategies/api-gateway/nginx/nginx-njs';

/**
 * The README's exposure "with every duty" of an API gateway, as the README prints it: compiled
 * from the README's text and run, so the walk-through cannot drift from the library. Its
 * manifests pass every check of the suite, and the gateway pod starts from them.
 */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const at = readme.indexOf('One exposure with every duty:');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error('README.md: no example after "One exposure with every duty:"');
  return block[1];
}

test('the README\'s API gateway with every duty synthesizes, passes every check, and its pod starts', async () => {
  const chart = testChart('shop', 'shop');
  const js = ts.transpileModule(readmeExample(), { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  const scope: Record<string, unknown> = { ...library, Duration, chart };
  new Function(...Object.keys(scope), js)(...Object.values(scope));
  const manifests: Manifest[] = synthChecked(chart);
  const config: string = find(manifests, 'ConfigMap', 'shop-shop-api-gateway-config').data['nginx.conf'];
  // Each duty, in the gateway's configuration.
  expect(config).toContain('grpc_pass grpc://');
  expect(config).toMatch(/js_import jwt from jwt\.js;\n\s*js_import aggregate from aggregate\.js;/);
  expect(config).toContain('return 410;');
  expect(config).toContain('access_log syslog:server=127.0.0.1:');
  expect(ofKind(manifests, 'ServiceMonitor')).toHaveLength(1);
  expect(ofKind(manifests, 'PrometheusRule')[0].spec.groups[0].rules.map((r: { alert: string }) => r.alert)).toContain('ApiGatewayRouteSlow');
  // The gateway pod starts from the YAML, with the Secrets it names.
  const pod = await simulatePod({
    manifests,
    secrets: [secretManifest('api-keys', { alice: 'key-alice' }), secretManifest('id-jwks', { 'jwks.json': '{"keys":[]}' })],
    imageFiles: { gateway: [NJS_MODULE_FILE] },
  });
  pod.dispose();
}, 60_000);
