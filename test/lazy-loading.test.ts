import { execFileSync } from 'child_process';
import * as path from 'path';

const ROOT = path.join(__dirname, '..');

/** The modules under imports/ that loading `entry` in a fresh node process pulls in. */
function importsLoadedBy(entry: string): string[] {
  const script = `require(${JSON.stringify(entry)});
    const dir = ${JSON.stringify(path.join(ROOT, 'imports') + path.sep)};
    console.log(JSON.stringify(Object.keys(require.cache).filter((m) => m.startsWith(dir)).map((m) => m.slice(dir.length))));`;
  const out = execFileSync(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { cwd: ROOT, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop()!);
}

describe('loading the library', () => {
  test('does not load the CRD L1 modules (Istio, Gateway API, Kong, cert-manager)', () => {
    expect(importsLoadedBy('./src')).toEqual([]);
    // The probe itself sees a module that is loaded.
    expect(importsLoadedBy('./imports/cert-manager-cert-manager.io')).toEqual(['cert-manager-cert-manager.io.ts']);
  }, 60_000);
});
