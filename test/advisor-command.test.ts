import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Testing } from 'cdk8s';
import { build as migration } from '../examples/migration/app';
import { adviceTable, advise } from '../src';
import { ADVISE_USAGE, adviseCommand } from '../src/cli/advise-command';
import { main } from '../src/cli/main';

/** Runs `cdk8s-expose advise ARGS` from `cwd`; its exit code and what it wrote. */
async function run(cwd: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await adviseCommand(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } }, cwd);
  return { code, stdout, stderr };
}

const EXAMPLES = path.join(__dirname, '..', 'examples');
const FIXTURE = path.join(__dirname, 'fixtures', 'advise-app');

describe('cdk8s-expose advise', () => {
  test('runs the app of ./cdk8s.yaml (the migration example) and prints the advisor\'s table of each exposure', async () => {
    const { code, stdout, stderr } = await run(path.join(EXAMPLES, 'migration'));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    // The same table as the function's on the same app, run in this process.
    const app = Testing.app();
    migration(app);
    expect(stdout).toBe(adviceTable(advise(app)));
    expect(stdout.split('\n').filter((line) => line.startsWith('ExposedService '))).toEqual([
      'ExposedService ingress-nginx/shop (strategy: ingress (ingressNginx), can express it)',
      'ExposedService gateway-api/shop (strategy: gatewayApi (envoyGateway), can express it)',
    ]);
  }, 120_000);

  test('an exposure its own strategy refuses does not stop the app: it is advised on, and so are the next ones', async () => {
    const { code, stdout, stderr } = await run(FIXTURE, '--app', 'node -r ts-node/register/transpile-only main.ts');
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    expect(lines.filter((line) => line.startsWith('ExposedService '))).toEqual([
      'ExposedService shop/api (strategy: istio, refuses it)',
      'ExposedService shop/web (strategy: istio, can express it)',
    ]);
    expect(lines).toContain('istio                                         | no          | rateLimit: \'rate-limit\' is not supported by istio; '
      + 'supported by: ingress (ingressNginx), gatewayApi (envoyGateway), gatewayApi (traefik), gatewayApi (nginxGatewayFabric), gatewayApi (kong), '
      + 'apiGateway (nginx), apiGateway (kong)');
    expect(lines).toContain('apiGateway (nginx) via loadBalancer           | yes         |');
    // The app's manifests went to a temporary directory, not next to it.
    expect(fs.existsSync(path.join(FIXTURE, 'dist'))).toBe(false);
  }, 120_000);

  test('an app that fails is reported, exit code 2', async () => {
    const { code, stdout, stderr } = await run(FIXTURE, '--app=node -e "console.log(1); process.exit(3)"');
    expect({ code, stdout, stderr }).toEqual({
      code: 2,
      stdout: '',
      stderr: '1\ncdk8s-expose advise: the app (node -e "console.log(1); process.exit(3)") exited with code 3\n',
    });
  }, 30_000);

  test('an app that takes longer than --timeout is stopped, with its children', async () => {
    const started = Date.now();
    const { code, stderr } = await run(FIXTURE, '--app', 'sleep 30', '--timeout', '1');
    expect({ code, stderr }).toEqual({ code: 2, stderr: 'cdk8s-expose advise: the app (sleep 30) took longer than 1 seconds and was stopped\n' });
    expect(Date.now() - started).toBeLessThan(10_000);
  }, 30_000);

  test.each([
    [['--timeout', '0'], '--timeout needs a positive number of seconds, not "0"'],
    [['--timeout'], '--timeout needs a positive number of seconds, not nothing'],
    [['--app'], '--app needs a command'],
    [['--out', 'x.ts'], 'unknown argument "--out"'],
  ])('%j is refused with the usage, exit code 2', async (args, message) => {
    expect(await run(FIXTURE, ...args)).toEqual({ code: 2, stdout: '', stderr: `cdk8s-expose advise: ${message}\n${ADVISE_USAGE}` });
  });

  test('without --app, a directory without cdk8s.yaml, or a cdk8s.yaml without app:, is refused', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advise-test-'));
    try {
      expect(await run(dir)).toEqual({
        code: 2, stdout: '', stderr: 'cdk8s-expose advise: no --app and no cdk8s.yaml here; pass --app "npx ts-node main.ts"\n',
      });
      fs.writeFileSync(path.join(dir, 'cdk8s.yaml'), 'language: typescript\n');
      expect(await run(dir)).toEqual({
        code: 2, stdout: '', stderr: `cdk8s-expose advise: ${path.join(dir, 'cdk8s.yaml')} has no app: command; pass --app "npx ts-node main.ts"\n`,
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cdk8s-expose advise, through the command line', () => {
  test('main() dispatches to it, with its own --help', async () => {
    let out = '';
    expect(await main(['advise', '--help'], { out: (t) => { out += t; }, err: () => undefined })).toBe(0);
    expect(out).toBe(ADVISE_USAGE);
  });

  test('the command as a process: an app without exposures is said on stderr, exit code 0', () => {
    const result = spawnSync(process.execPath, ['-r', require.resolve('ts-node/register/transpile-only'), path.join(__dirname, '..', 'src', 'cli', 'main.ts'),
      'advise', '--app', 'node -e 0'], { cwd: path.join(__dirname, '..'), encoding: 'utf8', timeout: 60_000 });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr })
      .toEqual({ status: 0, stdout: '', stderr: 'cdk8s-expose advise: the app declares no ExposedService\n' });
  }, 60_000);
});
