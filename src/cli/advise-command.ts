/**
 * `cdk8s-expose advise [--app CMD] [--timeout SECONDS]`: runs a cdk8s app in advise mode and prints,
 * per exposure, which strategies can express it and what each would refuse. The app is run as
 * `cdk8s synth` runs it (the `app:` of ./cdk8s.yaml through the shell, its manifests into a
 * CDK8S_OUTDIR), with the file each exposure appends its advice to in CDK8S_EXPOSE_ADVICE_FILE.
 */
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { Io, PROCESS_IO, printable } from './io';
import { ADVICE_FILE_ENV, adviceTable, ExposureAdvice } from '../strategy-advisor';

export const ADVISE_USAGE = `usage: cdk8s-expose advise [--app CMD] [--timeout SECONDS]
  Runs the cdk8s app and prints, per ExposedService, each strategy: whether it can express it, and what it would refuse.
  --app CMD            the command that runs the app (default: the app: of ./cdk8s.yaml)
  --timeout SECONDS    stop the app after this long (default: 120)
Exit code: 0 the advice is printed, 2 the app could not run (bad options, no app, it failed or timed out).
`;

const DEFAULT_TIMEOUT_SECONDS = 120;

interface AdviseOptions {
  readonly app?: string;
  readonly timeoutSeconds: number;
}

/**
 * Runs the command from `cwd` (where the app and its cdk8s.yaml are); resolves to its exit code.
 * The advice goes to `io.out`, the app's own output and every message to `io.err`.
 */
export async function adviseCommand(args: readonly string[], io: Io = PROCESS_IO, cwd: string = process.cwd()): Promise<number> {
  if (args.some((a) => a === '--help' || a === '-h')) {
    io.out(ADVISE_USAGE);
    return 0;
  }
  const options = parseArgs(args);
  if (typeof options === 'string') {
    io.err(`cdk8s-expose advise: ${options}\n${ADVISE_USAGE}`);
    return 2;
  }
  const app = options.app ?? appOfCdk8sYaml(cwd);
  if (app === undefined || app.startsWith('error: ')) {
    io.err(`cdk8s-expose advise: ${app?.slice('error: '.length) ?? 'no --app and no cdk8s.yaml here'}; pass --app "npx ts-node main.ts"\n`);
    return 2;
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-advise-'));
  try {
    const file = path.join(dir, 'advice.jsonl');
    fs.writeFileSync(file, '');
    const run = await runApp(app, io, cwd, { CDK8S_OUTDIR: path.join(dir, 'dist'), [ADVICE_FILE_ENV]: file }, options.timeoutSeconds);
    const advice = readAdvice(file);
    if (advice.length > 0) io.out(adviceTable(advice));
    if (run !== undefined) {
      const partial = advice.length > 0 ? '; the advice above is of the exposures declared before it stopped' : '';
      io.err(`cdk8s-expose advise: the app (${printable(app)}) ${run}${partial}\n`);
      return 2;
    }
    if (advice.length === 0) io.err('cdk8s-expose advise: the app declares no ExposedService\n');
    return 0;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function parseArgs(args: readonly string[]): AdviseOptions | string {
  let app: string | undefined;
  let timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
  for (let i = 0; i < args.length; i++) {
    // `--app=CMD` as well as `--app CMD`.
    const eq = args[i].startsWith('--') ? args[i].indexOf('=') : -1;
    const [flag, inline] = eq > 0 ? [args[i].slice(0, eq), args[i].slice(eq + 1)] : [args[i], undefined];
    const value = () => inline ?? args[++i];
    if (flag === '--app') {
      app = value();
      if (app === undefined || app.trim() === '') return '--app needs a command';
    } else if (flag === '--timeout') {
      const text = value();
      timeoutSeconds = Number(text);
      if (text === undefined || !Number.isFinite(timeoutSeconds) || timeoutSeconds <= 0) {
        return `--timeout needs a positive number of seconds, not ${text === undefined ? 'nothing' : JSON.stringify(text)}`;
      }
    } else {
      return `unknown argument ${JSON.stringify(printable(args[i]))}`;
    }
  }
  return { app, timeoutSeconds };
}

/** The `app:` of ./cdk8s.yaml; undefined without one; `error: ...` when it has none. */
function appOfCdk8sYaml(cwd: string): string | undefined {
  const file = path.join(cwd, 'cdk8s.yaml');
  if (!fs.existsSync(file)) return undefined;
  let config: unknown;
  try {
    config = yaml.load(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    return `error: ${file} is not YAML (${(e as Error).message.split('\n')[0]})`;
  }
  const app = (config as { app?: unknown } | null)?.app;
  return typeof app === 'string' && app.trim() !== '' ? app : `error: ${file} has no app: command`;
}

/**
 * Runs the app through the shell, as `cdk8s synth` does, its output to our stderr (stdout is the
 * advice's); undefined when it exits 0, else what went wrong. Bounded: after the timeout its whole
 * process group is stopped.
 */
function runApp(app: string, io: Io, cwd: string, env: Record<string, string>, timeoutSeconds: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const child = spawn(app, { shell: true, cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    child.stdout.on('data', (chunk: Buffer) => io.err(chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => io.err(chunk.toString()));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, timeoutSeconds * 1000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve(`could not start: ${e.message}`);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      if (timedOut) resolve(`took longer than ${timeoutSeconds} seconds and was stopped`);
      else if (code === 0) resolve(undefined);
      else resolve(code !== null ? `exited with code ${code}` : `was stopped by ${signal}`);
    });
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

/** The advice the app's exposures appended, one JSON line each. */
function readAdvice(file: string): ExposureAdvice[] {
  return fs.readFileSync(file, 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as ExposureAdvice);
}
