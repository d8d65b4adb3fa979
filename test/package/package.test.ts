import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'cdk8s';
import * as YAML from 'yaml';
import { Manifest, manifestProblems } from '../support/synth';

/**
 * The package as it is published, and installed the way a new user installs it.
 *
 * One `beforeAll` compiles the library from a clean lib/ (a fresh clone has none) and runs
 * `npm pack`; the first block checks what the tarball holds, the second installs it into apps laid
 * out as `cdk8s init typescript-app` lays them out, on cdk8s-plus-27 and on cdk8s-plus-33, with
 * the README's install example as main.ts, then type-checks and synthesizes each as its user would
 * and checks the manifests as every manifest of the suite is checked. Everything started here is
 * bounded in time (`run`).
 */

const ROOT = path.join(__dirname, '..', '..');
const TEMPLATE = path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app');
const PLUS = ['cdk8s-plus-27', 'cdk8s-plus-33'] as const;
type Plus = typeof PLUS[number];

interface Run { readonly code: number | null; readonly stdout: string; readonly output: string }

/**
 * Runs a command in its own process group and kills the whole group after `timeoutMs`. The
 * environment is this one without npm's `npm_*` variables (set by `npm test` for its own package:
 * the apps are other packages), except those saying where packages come from, and without
 * ts-node's settings.
 */
function run(command: string, args: readonly string[], cwd: string, timeoutMs: number, env: NodeJS.ProcessEnv = {}): Promise<Run> {
  // Where packages come from is kept (a CI's registry mirror, proxy, cache and CA), not the rest.
  const source = /^npm_config_(registry|cache|proxy|https_proxy|noproxy|strict_ssl|cafile|userconfig)$/i;
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => source.test(k) || !/^(npm_|TS_NODE_)/i.test(k)));
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

/** The README's install example: the first TypeScript block after the "Install" heading. */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
  const section = readme.indexOf('\n## Install\n');
  if (section < 0) throw new Error('README.md has no "## Install" section');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(section));
  if (!block) throw new Error('README.md\'s Install section has no ```ts block');
  return block[1];
}

/** The version of a package next to the cdk8s CLI, as `cdk8s init` reads it for its template. */
function versionNextToCli(pkg: string): string {
  return JSON.parse(fs.readFileSync(require.resolve(`${pkg}/package.json`, { paths: [path.dirname(TEMPLATE)] }), 'utf8')).version;
}

/**
 * Writes the files `cdk8s init typescript-app` writes (its template, with the substitutions sscaff
 * makes: `{{ name }}` in file names and contents), then the README's example as main.ts, on `plus`.
 *
 * Departures from `cdk8s init`, each because the test cannot or need not do it:
 * - no `cdk8s import k8s` (it downloads the Kubernetes schema from GitHub); main.ts uses no imports/.
 * - the library is the packed tarball, added to the dependencies as `npm install <tarball>` adds it.
 * - tools: tsc and ts-node are the app's own, installed from the registry at the template's ranges
 *   (`typescript` 5.9.x, `ts-node` ^10, with `@types/node` and `@types/jest` for main.test.ts), as
 *   close to a real app as it gets. The cdk8s CLI is the repository's (the same ^2.207 line the
 *   template pins): the CLI itself depends on cdk8s-plus-33, so installing it would put a
 *   cdk8s-plus-33 into the cdk8s-plus-27 app that the library did not bring, and its ~300
 *   packages (jsii-pacmak, ...) would make most of the install time. jest and ts-jest are left out
 *   too: the test does not run the template's placeholder test, and tsc checks that it compiles.
 */
function layOutApp(dir: string, plus: Plus, tarball: string) {
  const variables: Record<string, string> = {
    '$base': path.basename(dir),
    'cdk8s_core_version': versionNextToCli('cdk8s'),
    'cdk8s_plus_version': versionNextToCli('cdk8s-plus-33'),
    'constructs_version': JSON.parse(fs.readFileSync(path.join(TEMPLATE, '..', '..', 'package.json'), 'utf8')).dependencies.constructs.replace('^', ''),
    'cdk8s_cli_spec': `^${versionNextToCli('cdk8s-cli')}`,
    '': '',
  };
  const substitute = (s: string) => Object.entries(variables)
    .reduce((out, [k, v]) => out.replace(new RegExp(`{{ *${k.replace(/[$]/g, '\\$')} *}}`, 'g'), v), s);
  const copy = (sub: string) => {
    for (const entry of fs.readdirSync(path.join(TEMPLATE, sub), { withFileTypes: true })) {
      if (entry.name === '.hooks.sscaff.js') continue;
      const from = path.join(sub, entry.name);
      if (entry.isDirectory()) {
        copy(from);
        continue;
      }
      const to = path.join(dir, substitute(from));
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, substitute(fs.readFileSync(path.join(TEMPLATE, from), 'utf8')));
    }
  };
  copy('.');

  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  if (plus !== 'cdk8s-plus-33') {
    delete pkg.dependencies['cdk8s-plus-33'];
    pkg.dependencies[plus] = `^${JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', plus, 'package.json'), 'utf8')).version}`;
  }
  pkg.dependencies['cdk8s-expose'] = `file:${tarball}`;
  for (const tool of ['cdk8s-cli', 'jest', 'ts-jest']) delete pkg.devDependencies[tool];
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, undefined, 2));

  const example = readmeExample();
  const importLine = /^import \* as kplus from 'cdk8s-plus-33';$/m;
  if (!importLine.test(example)) throw new Error('README\'s install example must import cdk8s-plus-33 as kplus (the app on cdk8s-plus-27 swaps that line)');
  fs.writeFileSync(path.join(dir, 'main.ts'), example.replace(importLine, `import * as kplus from '${plus}';`));
  fs.writeFileSync(path.join(dir, 'every-plus-object.ts'), everyPlusObject(plus));
}

/**
 * A file the app's `tsc` type-checks (the template compiles every .ts file) and nothing runs: every
 * other place the library takes a cdk8s-plus object, given the app's own cdk8s-plus's objects.
 */
function everyPlusObject(plus: Plus): string {
  return `import { Size } from 'cdk8s';
import * as kplus from '${plus}';
import { Construct } from 'constructs';
import { ApiGatewayEngine, Auth, Backend, ExposedService, ExposureStrategy, Tls } from 'cdk8s-expose';

export function everyPlusObject(scope: Construct): void {
  const deployment = new kplus.Deployment(scope, 'api', { containers: [{ image: 'ghcr.io/acme/api:1.0.0', portNumber: 8080 }] });
  const service = deployment.exposeViaService({ ports: [{ port: 80, targetPort: 8080 }] });
  const tls = new kplus.TlsSecret(scope, 'tls', { tlsCert: 'cert', tlsKey: 'key' });
  const users = new kplus.Secret(scope, 'users');
  new ExposedService(scope, 'gateway', {
    strategy: ExposureStrategy.apiGateway({
      engine: ApiGatewayEngine.nginx(),
      resources: { cpu: { request: kplus.Cpu.millis(250), limit: kplus.Cpu.units(1) }, memory: { limit: Size.mebibytes(512) } },
    }),
    hosts: ['api.example.com'],
    backend: Backend.fromService(service),
    routes: [{ backend: Backend.fromDeployment(deployment, { port: 8080 }) }],
    tls: Tls.fromSecret(tls),
    auth: Auth.basic({ secret: users }),
  });
}
`;
}

/** Every installed copy of the given packages under `dir`'s node_modules, nested ones included. */
function installedCopies(dir: string, names: RegExp): string[] {
  const found: string[] = [];
  const walk = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules)) {
      const packages = entry.startsWith('@') ? fs.readdirSync(path.join(modules, entry)).map((e) => `${entry}/${e}`) : [entry];
      for (const name of packages) {
        const at = path.join(modules, name);
        if (!fs.statSync(at).isDirectory() || name.startsWith('.')) continue;
        if (names.test(name)) found.push(path.relative(dir, at));
        walk(path.join(at, 'node_modules'));
      }
    }
  };
  walk(path.join(dir, 'node_modules'));
  return found.sort();
}

/** What each app's user would see: the install, the type-check and the synth. */
interface AppRun { readonly dir: string; readonly install: Run; readonly tsc?: Run; readonly synth?: Run }

/**
 * Lays out the app, installs it, then type-checks and synthesizes it side by side. The cdk8s CLI
 * is the repository's, on PATH where the app's own would be (see layOutApp).
 */
async function tryApp(dir: string, plus: Plus, tarball: string): Promise<AppRun> {
  fs.mkdirSync(dir);
  layOutApp(dir, plus, tarball);
  const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund'], dir, 240_000);
  if (install.code !== 0) return { dir, install };
  const bin = path.join(dir, '..', `cli-for-${plus}`);
  fs.mkdirSync(bin);
  fs.symlinkSync(path.join(ROOT, 'node_modules', '.bin', 'cdk8s'), path.join(bin, 'cdk8s'));
  const [tsc, synth] = await Promise.all([
    run(path.join(dir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], dir, 120_000),
    run('npm', ['run', 'synth'], dir, 150_000, { PATH: `${bin}${path.delimiter}${process.env.PATH}` }),
  ]);
  return { dir, install, tsc, synth };
}

let work: string;
let packed: { filename: string; size: number; unpackedSize: number; entryCount: number; files: { path: string }[] };
let unpacked: string;
let apps: Record<Plus, Promise<AppRun>>;

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

  // Both apps go at once (npm's cache is safe to share); each block below waits for its own.
  apps = Object.fromEntries(PLUS.map((plus) => [plus, tryApp(path.join(work, `app-on-${plus}`), plus, path.join(dist, packed.filename))])) as Record<Plus, Promise<AppRun>>;
}, 300_000);

afterAll(async () => {
  if (apps) await Promise.all(Object.values(apps));
  if (work) fs.rmSync(work, { recursive: true, force: true });
}, 420_000); // an app's install, then its type-check and synth side by side, are bounded by 240 s + 150 s

describe('the published package', () => {
  const files = () => packed.files.map((f) => f.path);

  test('holds the compiled library, its README and changelog, and nothing else', () => {
    const allowed = [/^lib\/.+\.js$/, /^lib\/.+\.d\.ts$/, /^README\.md$/, /^LICENSE$/, /^CHANGELOG\.md$/, /^package\.json$/];
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

  test('ships every typing an app\'s type check reads from index.d.ts, and no L1 typings it never reads', () => {
    const shipped = new Set(files());
    const read = new Set<string>();
    const missing: string[] = [];
    const queue = ['lib/src/index.d.ts'];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (read.has(file)) continue;
      read.add(file);
      const text = fs.readFileSync(path.join(unpacked, 'package', file), 'utf8');
      for (const [, spec] of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*)["'](\.\.?\/[^"']+)["']/g)) {
        const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec!));
        const found = [`${target}.d.ts`, `${target}/index.d.ts`].find((t) => shipped.has(t));
        if (found === undefined) missing.push(`${file}: ${spec}`);
        else queue.push(found);
      }
    }
    expect(missing).toEqual([]);
    expect(files().filter((f) => /^lib\/imports\/.+\.d\.ts$/.test(f) && !read.has(f))).toEqual([]);
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
    expect(pkg.files).toEqual(['lib/**/*.js', 'lib/**/*.d.ts', 'README.md', 'LICENSE', 'CHANGELOG.md', '!lib/src/cli/**/*.d.ts', '!lib/src/import/**/*.d.ts',
      ...['envoy-gateway-gateway.envoyproxy.io', 'traefik-traefik.io', 'nginx-gateway-fabric-gateway.nginx.org', 'kong-configuration.konghq.com']
        .map((l1) => `!lib/imports/${l1}.d.ts`)]);
  });
});

describe.each(PLUS)('the README\'s install example in an app made by `cdk8s init typescript-app`, on %s', (plus) => {
  let app: AppRun;
  beforeAll(async () => {
    app = await apps[plus];
    if (app.install.code !== 0) throw new Error(`npm install (in ${app.dir}) exited with ${app.install.code}:\n${app.install.output}`);
  }, 400_000);

  test(`installs one cdk8s, one constructs and one cdk8s-plus: the app's ${plus}`, () => {
    expect(installedCopies(app.dir, /^(cdk8s|constructs|cdk8s-plus-\d+)$/)).toEqual(['node_modules/cdk8s', `node_modules/${plus}`, 'node_modules/constructs'].sort());
  });

  test('type-checks: `tsc --noEmit` with the app\'s tsconfig.json', () => {
    expect({ code: app.tsc!.code, output: app.tsc!.output }).toEqual({ code: 0, output: '' });
  });

  test('runs `cdk8s-expose import` from its bin, and what it writes type-checks against the installed package', async () => {
    const input = path.join(ROOT, 'test', 'fixtures', 'import-corpus', 'ingress-nginx', 'customization', 'configuration-snippets', 'ingress.yaml');
    const imported = await run(path.join(app.dir, 'node_modules', '.bin', 'cdk8s-expose'), ['import', input, '--out', 'imported.ts'], app.dir, 60_000);
    expect(imported.code).toBe(1);
    expect(imported.output).toContain('nginx.ingress.kubernetes.io/configuration-snippet  raw nginx, not portable');
    expect(fs.readFileSync(path.join(app.dir, 'imported.ts'), 'utf8')).toContain("new ExposedService(chart, 'nginx-configuration-snippet', {");
    const tsc = await run(path.join(app.dir, 'node_modules', '.bin', 'tsc'), ['--noEmit', '-p', '.'], app.dir, 120_000);
    expect({ code: tsc.code, output: tsc.output }).toEqual({ code: 0, output: '' });
  }, 200_000);

  test('synthesizes with `npm run synth` (`cdk8s synth`) to manifests that pass the suite\'s checks', () => {
    expect([app.synth!.code, app.synth!.code === 0 ? '' : app.synth!.output]).toEqual([0, '']);
    const out = path.join(app.dir, 'dist');
    const manifests = fs.readdirSync(out).filter((f) => f.endsWith('.k8s.yaml'))
      .flatMap((f) => YAML.parseAllDocuments(fs.readFileSync(path.join(out, f), 'utf8')).map((d) => d.toJSON() as Manifest));
    expect(manifests.map((m) => m.kind)).toEqual(expect.arrayContaining(['Deployment', 'Service']));
    // Synthesized in another process: the app declares nothing outside its manifests (no
    // Backend.fromName Service, no existing Gateway), which an empty App stands for.
    expect(manifestProblems(new App(), manifests)).toEqual([]);
  });
});
