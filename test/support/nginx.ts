/**
 * Runs generated nginx configurations on the real nginx (Debian's package, installed by
 * .ci/run): `nginx -t` for every configuration the suite synthesizes, and an nginx process on
 * 127.0.0.1 for the end-to-end tests. The configuration is localized, not changed: paths move
 * into a temporary prefix, listen ports to free loopback ports, upstream Services to the test's
 * loopback backends.
 */
import { ChildProcess, execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

export interface NginxPorts {
  readonly http: number;
  readonly https: number;
  readonly status: number;
}

export interface LocalizeOptions {
  /** `service.namespace.svc.cluster.local:port` -> `127.0.0.1:port`; other upstreams go to a closed port. */
  readonly upstreams?: Readonly<Record<string, string>>;
  /** Mounted Secrets: secret name -> data key (consumer) -> value. */
  readonly secrets?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** The init container's script, run (localized) after the Secrets are in place. */
  readonly initScript?: string;
  readonly ports?: NginxPorts;
}

/** A prepared nginx prefix directory with the localized configuration. */
export interface PreparedNginx {
  readonly dir: string;
  readonly configPath: string;
  readonly accessLog: string;
  readonly ports: NginxPorts;
}

// A port nothing listens on: upstreams the test does not serve fail fast (502).
const CLOSED = '127.0.0.1:9';

let tlsFiles: { crt: string; key: string } | undefined;

/** A self-signed certificate for the HTTPS listener (made once per run with openssl). */
function selfSignedCertificate(): { crt: string; key: string } {
  if (tlsFiles) return tlsFiles;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-tls-'));
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt')], { stdio: 'ignore' });
  tlsFiles = { crt: fs.readFileSync(path.join(dir, 'tls.crt'), 'utf8'), key: fs.readFileSync(path.join(dir, 'tls.key'), 'utf8') };
  fs.rmSync(dir, { recursive: true, force: true });
  return tlsFiles;
}

export function prepareNginx(config: string, options: LocalizeOptions = {}): PreparedNginx {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-nginx-'));
  const ports = options.ports ?? { http: 18080, https: 18443, status: 18081 };
  for (const sub of ['tmp', 'cache', 'secrets', 'tls']) fs.mkdirSync(path.join(dir, sub), { recursive: true });

  // The Secrets as Kubernetes projects them: a directory per Secret, a file per data key.
  for (const [secret, data] of Object.entries(options.secrets ?? {})) {
    fs.mkdirSync(path.join(dir, 'secrets', secret), { recursive: true });
    for (const [key, value] of Object.entries(data)) fs.writeFileSync(path.join(dir, 'secrets', secret, key), value);
  }
  const localize = (text: string) => text
    .replace(/(?<=[\s>])\/etc\/nginx\/secrets\//g, `${dir}/secrets/`)
    .replace(/(?<=[\s>])\/etc\/nginx\/generated/g, `${dir}/generated`);
  // What the init container does in the pod; without a script, empty credential files.
  fs.mkdirSync(path.join(dir, 'generated'), { recursive: true });
  if (options.initScript !== undefined) {
    execFileSync('/bin/sh', ['-c', localize(options.initScript)], { stdio: 'pipe', timeout: 10_000 });
  } else {
    for (const [, file] of config.matchAll(/\/etc\/nginx\/generated\/([A-Za-z0-9._-]+)/g)) fs.writeFileSync(path.join(dir, 'generated', file), '');
  }
  if (config.includes('/etc/nginx/tls/')) {
    const { crt, key } = selfSignedCertificate();
    fs.writeFileSync(path.join(dir, 'tls', 'tls.crt'), crt);
    fs.writeFileSync(path.join(dir, 'tls', 'tls.key'), key);
  }

  const accessLog = path.join(dir, 'access.log');
  // Paths of the configuration, which always follow white space; /tmp first (the prefix is under it).
  const localized = localize(config.replace(/(?<=\s)\/tmp\//g, `${dir}/tmp/`))
    .replace(/(?<=\s)\/etc\/nginx\/tls\//g, `${dir}/tls/`)
    .replace(/(?<=\s)\/var\/cache\/nginx/g, `${dir}/cache`)
    .replace('error_log /dev/stderr warn;', `error_log ${dir}/error.log warn;`)
    .replace('access_log /dev/stdout usage;', `access_log ${accessLog} usage;`)
    .replace(/listen 8080\b/g, `listen 127.0.0.1:${ports.http}`)
    .replace(/listen 8443\b/g, `listen 127.0.0.1:${ports.https}`)
    .replace(/listen 8081\b/g, `listen 127.0.0.1:${ports.status}`)
    // Upstream servers (`server host:port ...;` inside upstream blocks).
    .replace(/^(\s*server )([^\s;{]+:\d+)/gm, (_m, lead: string, target: string) => `${lead}${options.upstreams?.[target] ?? CLOSED}`);
  const configPath = path.join(dir, 'nginx.conf');
  fs.writeFileSync(configPath, localized);
  // Run as root (CI), nginx's workers drop to an unprivileged user: they must reach the prefix.
  fs.chmodSync(dir, 0o755);
  for (const sub of ['tmp', 'cache']) fs.chmodSync(path.join(dir, sub), 0o777);
  for (const sub of ['generated', 'secrets']) execFileSync('chmod', ['-R', 'a+rX', path.join(dir, sub)]);
  return { dir, configPath, accessLog, ports };
}

/** `nginx -t` on a generated configuration: the problems nginx reports, empty when it accepts it. */
export function nginxConfigProblems(config: string): string[] {
  const prepared = prepareNginx(config);
  try {
    const result = spawnSync('nginx', ['-t', '-q', '-p', prepared.dir, '-e', path.join(prepared.dir, 'error.log'), '-c', prepared.configPath],
      { encoding: 'utf8', timeout: 20_000 });
    if (result.error) throw new Error(`nginx is not installed (apt-get install -y nginx): ${result.error.message}`);
    return result.status === 0 ? [] : `${result.stderr}${readError(prepared.dir)}`.split('\n').filter((l) => l.trim() !== '');
  } finally {
    fs.rmSync(prepared.dir, { recursive: true, force: true });
  }
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** A running nginx, bound to loopback, stopped by its pid. */
export interface RunningNginx extends PreparedNginx {
  readonly process: ChildProcess;
  /** The JSON usage log lines so far. */
  usageLog(): Record<string, unknown>[];
  /** The first usage log line that matches, waiting for it (nginx logs after it answers); bounded. */
  logLine(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  stop(): Promise<void>;
}

export async function startNginx(config: string, options: Omit<LocalizeOptions, 'ports'> = {}): Promise<RunningNginx> {
  const ports = { http: await freePort(), https: await freePort(), status: await freePort() };
  const prepared = prepareNginx(config, { ...options, ports });
  const child = spawn('nginx', ['-p', prepared.dir, '-e', path.join(prepared.dir, 'error.log'), '-c', prepared.configPath, '-g', 'daemon off;'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const stop = async () => {
    if (child.exitCode === null && child.pid !== undefined) {
      process.kill(child.pid, 'SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    fs.rmSync(prepared.dir, { recursive: true, force: true });
  };
  // Ready when the status port answers; bounded in time.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}${readError(prepared.dir)}`);
    if (await canConnect(ports.status)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start within 10s: ${stderr}${readError(prepared.dir)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const usageLog = () => (fs.existsSync(prepared.accessLog) ? fs.readFileSync(prepared.accessLog, 'utf8') : '')
    .split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const logLine = async (matches: (line: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 40; i++) {
      const line = usageLog().find(matches);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };
  return { ...prepared, process: child, usageLog, logLine, stop };
}

function readError(dir: string): string {
  const file = path.join(dir, 'error.log');
  return fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
  });
}
