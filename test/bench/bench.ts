/**
 * `npm run bench`: synth time and peak memory of N ExposedServices per strategy against the
 * baselines, each measurement in a fresh process, variants alternating; writes BENCHMARKS.md.
 * BENCH_N (default 1,100,1000,10000) and BENCH_REPEATS (default 3) narrow a run.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
const NS = (process.env.BENCH_N ?? '1,100,1000,10000').split(',').map(Number);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
const STRATEGIES = ['nodePort', 'ingress', 'istio', 'gatewayApi', 'apiGateway-nginx', 'apiGateway-kong'];

interface Sample { ms: number; maxRssMb: number; bytes: number; sha: string }

const MANIFESTS = path.join(os.tmpdir(), 'cdk8s-expose-bench-manifests.json');

function measure(strategy: string, n: number, variant: string): Sample {
  const out = execFileSync(process.execPath,
    ['--max-old-space-size=8192', '-r', 'ts-node/register/transpile-only', path.join(__dirname, 'child.ts'), strategy, String(n), variant, MANIFESTS],
    { cwd: ROOT, encoding: 'utf8', maxBuffer: 1_048_576, timeout: 600_000 });
  return JSON.parse(out.trim().split('\n').pop() || '{}');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2));

/** Medians of ms-since-start of two scripts, run alternately so drift on the machine hits both alike. */
function coldPair(a: string, b: string): [number, number] {
  const run = (script: string) => Number(execFileSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8' }).trim());
  const xs: number[] = [];
  const ys: number[] = [];
  for (let r = 0; r < Math.max(11, REPEATS); r++) {
    xs.push(run(a));
    ys.push(run(b));
  }
  return [median(xs), median(ys)];
}

const rows: string[] = [];
const results: Record<string, Record<number, Record<string, { ms: number; rss: number; spread: string }>>> = {};
for (const strategy of STRATEGIES) {
  results[strategy] = {};
  for (const n of NS) {
    const variants = strategy === 'ingress' ? ['library', 'baseline', 'exposeViaIngress', 'plusIngress'] : ['library', 'baseline'];
    const samples: Record<string, Sample[]> = Object.fromEntries(variants.map((v) => [v, []]));
    measure(strategy, n, 'dump');
    for (let r = 0; r < REPEATS; r++) {
      // Alternate the order so drift on the machine hits every variant alike.
      for (const v of r % 2 === 0 ? variants : [...variants].reverse()) samples[v].push(measure(strategy, n, v));
    }
    if (samples.library[0].sha !== samples.baseline[0].sha) throw new Error(`${strategy} N=${n}: the baseline does not produce the library's manifests`);
    results[strategy][n] = Object.fromEntries(variants.map((v) => {
      const ms = samples[v].map((s) => s.ms);
      return [v, { ms: median(ms), rss: median(samples[v].map((s) => s.maxRssMb)), spread: `${fmt(Math.min(...ms))}-${fmt(Math.max(...ms))}` }];
    }));
    const res = results[strategy][n];
    const lib = res.library;
    const vs = (other?: { ms: number }) => (other ? `${fmt(other.ms)} (${(lib.ms / other.ms).toFixed(2)})` : '');
    const base = res.baseline;
    rows.push(`| ${strategy} | ${n} | ${fmt(lib.ms)} (${lib.spread}) | ${fmt(base.ms)} (${base.spread}) | ${(lib.ms / base.ms).toFixed(2)} | ${fmt(lib.rss)} / ${fmt(base.rss)} | ${(lib.rss / base.rss).toFixed(2)} | ${vs(res.exposeViaIngress)} | ${vs(res.plusIngress)} |`);
    process.stderr.write(`${rows[rows.length - 1]}\n`);
  }
}

const growth = STRATEGIES.filter((s) => results[s][10000] && results[s][1000])
  .map((s) => `| ${s} | ${(results[s][10000].library.ms / results[s][1000].library.ms).toFixed(2)} | ${(results[s][10000].baseline.ms / results[s][1000].baseline.ms).toFixed(2)} |`);

const exposure = 'const { App, Chart } = require(\'cdk8s\');';
const libraryScript = `${exposure} const e = require('./lib/src'); const c = new Chart(new App(), 'c');
  new e.ExposedService(c, 'x', { strategy: e.ExposureStrategy.ingress({ className: 'nginx' }), hosts: ['a.example.com'], backend: e.Backend.fromName('a', 80) });
  c.toJson(); console.log(require('perf_hooks').performance.now());`;
const plusScript = `${exposure} const k = require('cdk8s-plus-27'); const c = new Chart(new App(), 'c');
  new k.k8s.KubeIngress(c, 'x', { spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: 'a', port: { number: 80 } } } }] } }] } });
  c.toJson(); console.log(require('perf_hooks').performance.now());`;
const [coldLibrary, coldPlus] = coldPair(libraryScript, plusScript);

// What a Gateway API implementation adds to a cold start: its L1 module is loaded only when one of
// its policies is rendered (a rate limit here), so the standard exposure pays nothing for it.
const gatewayApiScript = (implementation: string) => `${exposure} const e = require('./lib/src'); const c = new Chart(new App(), 'c');
  new e.ExposedService(c, 'x', { strategy: e.ExposureStrategy.gatewayApi({ gatewayClassName: 'eg'${implementation} }), hosts: ['a.example.com'],
    backend: e.Backend.fromName('a', 80), rateLimit: ${implementation === '' ? 'undefined' : 'e.RateLimit.perSecond(10, { burst: 10 })'} });
  c.toJson(); console.log(require('perf_hooks').performance.now());`;
const [coldEnvoyGateway, coldGatewayApi] = coldPair(
  gatewayApiScript(', implementation: e.GatewayImplementation.envoyGateway()'), gatewayApiScript(''));

/**
 * Type-check time of a small app (one exposure, or the same Ingress as cdk8s-plus-27's L1), as
 * `cdk8s init typescript-app`'s tsconfig checks it (no skipLibCheck: every typing it reads), with
 * the library's compiled typings in lib/. Medians of alternating runs of `tsc --noEmit`.
 */
function typeCheckPair(): [number, number] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-bench-tsc-'));
  try {
    fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
    const app = (name: string, main: string) => {
      const appDir = path.join(dir, name);
      fs.mkdirSync(appDir);
      fs.writeFileSync(path.join(appDir, 'main.ts'), main);
      const template = JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', 'cdk8s-cli', 'templates', 'typescript-app', 'tsconfig.json'), 'utf8'));
      template.compilerOptions = { ...template.compilerOptions, noEmit: true, baseUrl: '.', paths: { 'cdk8s-expose': [path.join(ROOT, 'lib', 'src', 'index.d.ts')] } };
      fs.writeFileSync(path.join(appDir, 'tsconfig.json'), JSON.stringify(template));
      return appDir;
    };
    const chart = 'import { App, Chart } from \'cdk8s\';\nconst chart = new Chart(new App(), \'c\');\n';
    const library = app('library', `${chart}import { Backend, ExposedService, ExposureStrategy, GatewayImplementation, RateLimit } from 'cdk8s-expose';
new ExposedService(chart, 'web', {
  strategy: ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }),
  hosts: ['a.example.com'], backend: Backend.fromName('a', 80), rateLimit: RateLimit.perSecond(10, { burst: 10 }),
});
`);
    const plus = app('plus', `${chart}import { k8s } from 'cdk8s-plus-27';
new k8s.KubeIngress(chart, 'web', { spec: { ingressClassName: 'nginx', rules: [{ host: 'a.example.com', http: { paths: [
  { path: '/', pathType: 'Prefix', backend: { service: { name: 'a', port: { number: 80 } } } }] } }] } });
`);
    const tsc = path.join(ROOT, 'node_modules', '.bin', 'tsc');
    const time = (appDir: string) => {
      const start = process.hrtime.bigint();
      execFileSync(tsc, ['-p', appDir], { cwd: appDir, encoding: 'utf8' });
      return Number(process.hrtime.bigint() - start) / 1e6;
    };
    const xs: number[] = [];
    const ys: number[] = [];
    for (let r = 0; r < Math.max(5, REPEATS); r++) {
      xs.push(time(library));
      ys.push(time(plus));
    }
    return [median(xs), median(ys)];
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
const [typeCheckLibrary, typeCheckPlus] = typeCheckPair();

const doc = `# Benchmarks

Generated by \`npm run bench\` (test/bench/); timings are for this document, never asserted in tests.

## Method

- Each measurement is a fresh node process (${process.version}) that builds N ExposedServices with one
  strategy in one chart and synthesizes the app (\`app.synthYaml()\`); time is measured from the
  first construct to the YAML, peak memory is the process's maxRSS (module loading included, the
  same for every variant).
- Every exposure exposes the app's own cdk8s-plus Service, and (L7 strategies) has one host with
  two routes (\`/api\`, \`/\`). The **baseline** is the same app with the library's objects built
  by hand as the typed L1 classes (cdk8s-plus-27's \`k8s.Kube*\`, the generated imports; ports and
  rollout bounds as IntOrString, resources as Quantity, as a hand-written chart spells them): the
  floor. The app's own Services are declared the same way in both variants, since they are the
  app's code either way. The L1s' data is the library's output, read from a file before timing,
  as a hand-written chart holds its object literals. The run fails unless the baseline's YAML is
  byte-identical to the library's. For Ingress, **exposeViaIngress** is cdk8s-plus-27's own
  \`Service.exposeViaIngress\` for the same service (a smaller Ingress: no host, no class, one path:
  exposeViaIngress cannot set them), and **cdk8s-plus Ingress, same rules** is the Ingress L2 it
  builds, given the library's class, host and paths (the same Ingress, paths in another order).
- ${REPEATS} repeats per cell, variants alternating; the median, with the range in parentheses.
  Cold start: ${Math.max(11, REPEATS)} fresh processes of each script, alternating; the medians.
- Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB.

## Results (ms; memory in MiB)

| strategy | N | library | baseline | library / baseline | peak memory library / baseline | memory ratio | exposeViaIngress (library / it) | cdk8s-plus Ingress, same rules (library / it) |
|---|--:|--:|--:|--:|--:|--:|--:|--:|
${rows.join('\n')}

## Growth: t(10,000) / t(1,000)

| strategy | library | baseline |
|---|--:|--:|
${growth.join('\n')}

## Cold start: load the package and synthesize one Ingress exposure

| | ms since process start (median) |
|---|--:|
| \`require('cdk8s-expose')\` + one exposure | ${fmt(coldLibrary)} |
| cdk8s-plus-27 alone, the same Ingress as an L1 | ${fmt(coldPlus)} |
| ratio | ${(coldLibrary / coldPlus).toFixed(2)} |

## Cold start: a Gateway API implementation's policies

| | ms since process start (median) |
|---|--:|
| \`gatewayApi\` with Envoy Gateway, a rate limit (loads its L1 module) | ${fmt(coldEnvoyGateway)} |
| \`gatewayApi\`, the standard API only | ${fmt(coldGatewayApi)} |
| ratio | ${(coldEnvoyGateway / coldGatewayApi).toFixed(2)} |

## Type-check of a small app (\`tsc\`, \`cdk8s init typescript-app\`'s tsconfig)

| | ms (median of ${Math.max(5, REPEATS)}) |
|---|--:|
| one exposure (Gateway API on Envoy Gateway, a rate limit) with the library | ${fmt(typeCheckLibrary)} |
| the same app's Ingress as cdk8s-plus-27's L1, without the library | ${fmt(typeCheckPlus)} |
| ratio | ${(typeCheckLibrary / typeCheckPlus).toFixed(2)} |

## Targets

1,000 exposures at most 1.25x the baseline for every strategy, and not slower than exposeViaIngress;
t(10,000)/t(1,000) at most 11; peak memory at most 1.3x; cold start at most 1.15x cdk8s-plus-27 alone.
`;
// The hand-written analysis (from "## Analysis" on) survives a new run.
const file = path.join(ROOT, 'BENCHMARKS.md');
const previous = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
const analysis = previous.includes('\n## Analysis') ? previous.slice(previous.indexOf('\n## Analysis')) : '';
fs.writeFileSync(file, doc + analysis);
process.stderr.write('wrote BENCHMARKS.md\n');
