import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/**
 * The package as it is published. One `beforeAll` compiles the library from a clean lib/ (a fresh
 * clone has none) and runs `npm pack`; the tests check what the tarball holds. Everything started
 * here is bounded in time (`run`).
 */

const ROOT = path.join(__dirname, '..', '..');

interface Run { readonly code: number | null; readonly stdout: string; readonly output: string }

/**
 * Runs a command in its own process group and kills the whole group after `timeoutMs`. The
 * environment is this one without npm's `npm_*` variables (set by `npm test` for its own run) and
 * without ts-node's settings.
 */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(npm_|TS_NODE_)/i.test(k)));
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...base, CDK8S_CHECK_UPGRADE: 'false', npm_config_update_notifier: 'false', ...env },
    });
    let stdout = '';
    let output = '';
    child.stdout.on('data', (d) => { stdout += d; output += d; });
    child.stderr.on('data', (d) => { output += d; });
    const timer = setTimeout(() => {
      output += `\n[${command} ${args.join(' ')}: killed after ${timeoutMs / 1000} s]`;
      try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    }, timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); resolve({ code: -1, stdout, output: output + String(e) }); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, output }); });
  });
}

async function succeed(command: string, args: readonly string[], cwd: string, timeoutMs: number, env?: NodeJS.ProcessEnv): Promise<string> {
  const result = await run(command, args, cwd, timeoutMs, env);
  if (result.code !== 0) throw new Error(`${command} ${args.join(' ')} (in ${cwd}) exited with ${result.code}:\n${result.output}`);
  return result.stdout;
}

let work: string;
let packed: { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
let unpacked: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-package-'));
  // A clean lib/, so the tarball holds what this tree compiles to and nothing left from before.
  fs.rmSync(path.join(ROOT, 'lib'), { recursive: true, force: true });
  await succeed(path.join(ROOT, 'node_modules', '.bin', 'tsc'), ['--build'], ROOT, 180_000);
  const dist = path.join(work, 'dist');
  fs.mkdirSync(dist);
  packed = JSON.parse(await succeed('npm', ['pack', '--json', '--pack-destination', dist], ROOT, 60_000))[0];
  unpacked = path.join(work, 'unpacked');
  fs.mkdirSync(unpacked);
  await succeed('tar', ['-xzf', path.join(dist, packed.filename), '-C', unpacked], work, 60_000);
  console.log(`cdk8s-expose package: ${(packed.size / 1e6).toFixed(2)} MB packed, ${(packed.unpackedSize / 1e6).toFixed(2)} MB unpacked, ${packed.entryCount} files`);
}, 300_000);

afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('the published package', () => {
  const files = () => packed.files.map((f) => f.path);

  test('holds the compiled library, its docs and nothing else', () => {
    const allowed = [/^lib\/.+\.js$/, /^lib\/.+\.d\.ts$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^docs\/api\/.+/, /^package\.json$/];
    expect(files().filter((f) => !allowed.some((a) => a.test(f)))).toEqual([]);
    expect(files()).toEqual(expect.arrayContaining(['package.json', 'README.md', 'LICENSE', 'CHANGELOG.md', 'lib/src/index.js', 'lib/src/index.d.ts']));
  });

  test('holds none of what the repository keeps for itself', () => {
    const kept = [
      /^imports\//, // the generated L1 sources and the vendored CRDs
      /(^|\/)crds\//,
      /^examples\//,
      /^\.ci\//,
      /BENCHMARKS\.md$/,
      /(^|\/)test\//, /\.test\.(js|d\.ts)$/,
      /^src\//, /(?<!\.d)\.ts$/, /\.map$/,
      /^\.projen|projenrc|tsconfig|\.eslintrc|\.dependency-cruiser/,
    ];
    expect(files().filter((f) => kept.some((k) => k.test(f)))).toEqual([]);
  });

  test('ships no source map comments (there are no sources in the package to map to)', () => {
    expect(files().filter((f) => f.endsWith('.js') && fs.readFileSync(path.join(unpacked, 'package', f), 'utf8').includes('sourceMappingURL'))).toEqual([]);
  });

  test('every relative require of the shipped JavaScript finds its module in the package', () => {
    const shipped = new Set(files());
    const missing = files().filter((f) => f.endsWith('.js')).flatMap((f) => {
      const text = fs.readFileSync(path.join(unpacked, 'package', f), 'utf8');
      return [...text.matchAll(/require\("(\.\.?\/[^"]*)"\)/g)].map((m) => m[1])
        .filter((spec) => {
          const target = path.posix.normalize(path.posix.join(path.posix.dirname(f), spec));
          return ![target, `${target}.js`, `${target}.json`, `${target}/index.js`].some((t) => shipped.has(t));
        })
        .map((spec) => `${f}: require("${spec}")`);
    });
    expect(missing).toEqual([]);
  });

  test('is under 5 MB unpacked', () => {
    expect(packed.unpackedSize).toBeLessThan(5_000_000);
  });

  test('package.json: entry points in the package, exports with types, engines, repository, homepage, keywords', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(unpacked, 'package', 'package.json'), 'utf8'));
    expect(pkg.exports).toEqual({
      '.': { types: './lib/src/index.d.ts', default: './lib/src/index.js' },
      './package.json': './package.json',
    });
    // TypeScript takes the first condition that matches: `types` must come first.
    expect(Object.keys(pkg.exports['.'])[0]).toBe('types');
    expect([pkg.main, pkg.types]).toEqual(['lib/src/index.js', 'lib/src/index.d.ts']);
    const targets = [pkg.main, pkg.types, pkg.exports['.'].types, pkg.exports['.'].default].map((t: string) => path.posix.normalize(t));
    expect(targets.filter((t) => !files().includes(t))).toEqual([]);
    expect(pkg.engines).toEqual({ node: '>=20' });
    expect(pkg.repository).toEqual({ type: 'git', url: 'git+https://github.com/cdk8s-expose/cdk8s-expose.git' });
    expect(pkg.homepage).toBe('https://github.com/cdk8s-expose/cdk8s-expose#readme');
    expect(pkg.keywords).toEqual(expect.arrayContaining(['cdk8s', 'kubernetes']));
    expect(pkg.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', 'README.md', 'LICENSE', 'CHANGELOG.md', 'docs/api/']);
  });
});
