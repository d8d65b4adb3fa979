/**
 * Runs generated nginx configurations on the real nginx (Debian's package, installed by
 * .ci/run): `nginx -t` for every configuration the suite synthesizes (localized into a temporary
 * prefix), and, for the end-to-end tests, nginx as the gateway container of a simulated pod
 * (pod-simulation.ts): its command and args, as its user, in a sandbox with exactly its mounts,
 * reading the configuration, the Secrets and the credentials the init container rendered from the
 * pod's volumes. What the test changes is named: listen ports move to free loopback ports, upstream
 * Services to the test's loopback backends.
 */
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { SandboxProcess, SimulatedPod } from './pod-simulation';

export interface NginxPorts {
  readonly http: number;
  readonly https: number;
  readonly status: number;
}

export interface LocalizeOptions {
  /** `service.namespace.svc.cluster.local:port` -> `127.0.0.1:port`; other upstreams go to a closed port. */
  readonly upstreams?: Readonly<Record<string, string>>;
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

/** Where Debian's libnginx-mod-stream installs ngx_stream_module. */
const DEBIAN_STREAM_MODULE = '/usr/lib/nginx/modules/ngx_stream_module.so';
let streamModuleIsDynamic: boolean | undefined;

/**
 * The configuration as the test's nginx runs it: the generated one has no `load_module`, since
 * the pinned image (nginx.org's build) has ngx_stream_module built in; Debian's nginx builds it as
 * a module, loaded here first (`load_module` must precede every other directive).
 */
function withStreamModule(config: string): string {
  if (!/^stream \{$/m.test(config)) return config;
  streamModuleIsDynamic ??= /--with-stream=dynamic/.test(spawnSync('nginx', ['-V'], { encoding: 'utf8' }).stderr ?? '');
  if (!streamModuleIsDynamic) return config;
  if (!fs.existsSync(DEBIAN_STREAM_MODULE)) throw new Error(`nginx's stream module is not installed (apt-get install -y libnginx-mod-stream): ${DEBIAN_STREAM_MODULE}`);
  return `load_module ${DEBIAN_STREAM_MODULE};\n${config}`;
}

/** Where the pinned image has njs (`load_module` of the generated configuration), and where Debian's libnginx-mod-http-js installs it. */
const IMAGE_NJS_MODULE = '/etc/nginx/modules/ngx_http_js_module.so';
const DEBIAN_NJS_MODULE = '/usr/lib/nginx/modules/ngx_http_js_module.so';

/** The configuration as the test's nginx runs it: the image's njs module path is Debian's here. */
function withNjsModule(config: string): string {
  const line = `load_module ${IMAGE_NJS_MODULE};`;
  if (!config.includes(line)) return config;
  if (!fs.existsSync(DEBIAN_NJS_MODULE)) throw new Error(`nginx's njs module is not installed (apt-get install -y libnginx-mod-http-js): ${DEBIAN_NJS_MODULE}`);
  return config.replace(line, `load_module ${DEBIAN_NJS_MODULE};`);
}

/**
 * The configuration as the test's nginx runs it: the modules it loads in place of the image's
 * (stream and njs), and HTTP/2 as nginx 1.22 enables it.
 */
function withModules(config: string): string {
  return withHttp2Listeners(withStreamModule(withNjsModule(config)));
}

/** The gateway's gRPC (h2c) port, as the NGINX engine writes it (nginx-layout.ts). */
const GRPC_PORT = 8082;
let http2DirectiveMissing: boolean | undefined;

/**
 * The configuration as the test's nginx speaks HTTP/2: the generated one enables it per server
 * with `http2 on;` (nginx 1.25.1+, the pinned image's 1.28), which Debian's nginx 1.22 does not
 * know. There it is the `http2` parameter of the server's listeners that should speak it: the
 * HTTPS one (HTTP/2 by ALPN) and the gRPC port (h2c) — never the plain HTTP port, which 1.22
 * would make speak HTTP/2 only (1.28 tells the two apart on one port).
 */
function withHttp2Listeners(config: string): string {
  if (!/^\s*http2 on;$/m.test(config)) return config;
  http2DirectiveMissing ??= (() => {
    const version = /nginx\/(\d+)\.(\d+)\.(\d+)/.exec(spawnSync('nginx', ['-v'], { encoding: 'utf8' }).stderr ?? '');
    if (!version) return false;
    const [major, minor, patch] = version.slice(1).map(Number);
    return major === 1 && (minor < 25 || (minor === 25 && patch < 1));
  })();
  if (!http2DirectiveMissing) return config;
  return config
    .replace(/^\s*http2 on;\n/gm, '')
    .replace(new RegExp(`^(\\s*listen\\s+(?:\\S+:)?(?:${GRPC_PORT}(?: default_server)?|\\d+ ssl))(?=;)`, 'gm'), '$1 http2');
}

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

/**
 * The configuration in a temporary prefix. `files` are the other files of its ConfigMap (the njs
 * modules), written next to it: the configuration directory (`js_path /etc/nginx/conf/`) is the prefix.
 */
export function prepareNginx(config: string, options: LocalizeOptions = {}, files: Readonly<Record<string, string>> = {}): PreparedNginx {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-nginx-'));
  const ports = options.ports ?? { http: 18080, https: 18443, status: 18081 };
  for (const sub of ['tmp', 'cache', 'secrets', 'tls', 'generated']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text, { mode: 0o644 });
  const localize = (text: string) => text
    .replace(/(?<=[\s>])\/etc\/nginx\/secrets\//g, `${dir}/secrets/`)
    .replace(/(?<=[\s>])\/etc\/nginx\/generated/g, `${dir}/generated`)
    .replace(/^(\s*js_path )\/etc\/nginx\/conf\//gm, `$1${dir}/`);
  // `nginx -t` needs the files the init container renders to exist: empty here (the end-to-end
  // tests run nginx on the simulated pod, with the files rendered from Secrets).
  for (const [, file] of config.matchAll(/\/etc\/nginx\/generated\/([A-Za-z0-9._-]+)/g)) fs.writeFileSync(path.join(dir, 'generated', file), '');
  // A CA certificate (any: nginx -t only loads it) where a location verifies its backends.
  for (const [, name] of config.matchAll(/\/etc\/nginx\/secrets\/([a-z0-9.-]+)\/ca\.crt/g)) {
    fs.mkdirSync(path.join(dir, 'secrets', name), { recursive: true });
    fs.writeFileSync(path.join(dir, 'secrets', name, 'ca.crt'), selfSignedCertificate().crt);
  }
  if (config.includes('/etc/nginx/tls/')) {
    const { crt, key } = selfSignedCertificate();
    fs.writeFileSync(path.join(dir, 'tls', 'tls.crt'), crt);
    fs.writeFileSync(path.join(dir, 'tls', 'tls.key'), key);
  }
  // The client CA bundle: any certificate makes a valid bundle for `nginx -t` (the end-to-end
  // tests mount the real one from the simulated pod).
  if (config.includes('/etc/nginx/client-ca/')) {
    fs.mkdirSync(path.join(dir, 'client-ca'));
    fs.writeFileSync(path.join(dir, 'client-ca', 'ca.crt'), selfSignedCertificate().crt);
  }

  const accessLog = path.join(dir, 'access.log');
  // Paths of the configuration, which always follow white space; /tmp first (the prefix is under it).
  const localized = localize(withModules(config).replace(/(?<=\s)\/tmp\//g, `${dir}/tmp/`))
    .replace(/(?<=\s)\/etc\/nginx\/tls\//g, `${dir}/tls/`)
    .replace(/(?<=\s)\/etc\/nginx\/client-ca\//g, `${dir}/client-ca/`)
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

/**
 * `nginx -t` on a generated configuration, with the other files of its ConfigMap (njs modules,
 * which nginx compiles at load: this is their parser check): the problems nginx reports, empty
 * when it accepts it.
 */
export function nginxConfigProblems(config: string, files: Readonly<Record<string, string>> = {}): string[] {
  const prepared = prepareNginx(config, {}, files);
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

/** nginx running as a simulated pod's gateway container, on loopback ports. */
export interface RunningNginx {
  /** The loopback ports of the container's ports named http, https and status. */
  readonly ports: NginxPorts;
  readonly process: SandboxProcess;
  /** The loopback port of the container's port of that name (`tls-443`, `tcp-5432`: its streams). */
  portOf(name: string): number;
  /** The JSON usage log lines so far (the container's stdout, as `kubectl logs` shows it). */
  usageLog(): Record<string, unknown>[];
  /** The first usage log line that matches, waiting for it (nginx logs after it answers); bounded. */
  logLine(matches: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown> | undefined>;
  /** SIGTERM to its process group, SIGKILL after 5 s; resolves when it is gone. */
  stop(): Promise<void>;
}

/** Upper bound of one end-to-end nginx: killed after it even if a test forgets to stop it. */
const NGINX_LIFETIME_MS = 5 * 60_000;

/**
 * Starts a simulated pod's nginx container (run its init containers first: `simulatePod`) with
 * its own command and args, as its user, in a sandbox with exactly its mounts. The configuration
 * is the one of its config volume, read from the pod, with two changes bound over it read-only:
 * each `listen` of a containerPort on a free 127.0.0.1 port (nothing else may listen), and each
 * upstream `server` on the test's loopback backend (`upstreams`; others on a closed port), and
 * with `syslogPort` each loopback syslog destination on that UDP port.
 */
export async function startNginxInPod(pod: SimulatedPod,
  options: { container?: string; upstreams?: Readonly<Record<string, string>>; syslogPort?: number } = {}): Promise<RunningNginx> {
  const container = options.container ?? 'gateway';
  const spec = pod.container(container);
  const args: string[] = [...spec.command ?? [], ...spec.args ?? []];
  const c = args.indexOf('-c');
  if (c < 0) throw new Error(`container ${container} runs no nginx -c <configuration>: ${args.join(' ')}`);
  const configPath = args[c + 1];
  const config = pod.readFile(container, configPath);
  if (config === undefined) throw new Error(`container ${container}: ${configPath} is not in its view`);

  // containerPort -> a free loopback port, by the port's name.
  const declared = new Map<number, string>((spec.ports ?? []).map((p: { containerPort: number; name: string }) => [p.containerPort, p.name]));
  const loopback = new Map<number, number>();
  for (const port of declared.keys()) loopback.set(port, await freePort());
  const localized = withModules(config)
    .replace(/^(\s*listen\s+)(?:\S+:)?(\d+)\b/gm, (_m, lead: string, port: string) => {
      const free = loopback.get(Number(port));
      if (free === undefined) throw new Error(`${configPath}: listen ${port} is not a containerPort of ${container}`);
      return `${lead}127.0.0.1:${free}`;
    })
    // Upstream servers (`server host:port ...;` inside upstream blocks).
    .replace(/^(\s*server )([^\s;{]+:\d+)/gm, (_m, lead: string, target: string) => `${lead}${options.upstreams?.[target] ?? CLOSED}`)
    // Logs sent to a loopback syslog port (the metrics sidecar's): to the test's port, when it runs one.
    .replace(/\bsyslog:server=127\.0\.0\.1:\d+/g, (m) => (options.syslogPort === undefined ? m : `syslog:server=127.0.0.1:${options.syslogPort}`));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-nginx-'));
  const localizedPath = path.join(dir, path.posix.basename(configPath));
  fs.writeFileSync(localizedPath, localized, { mode: 0o644 });
  fs.chmodSync(dir, 0o755);

  const byName = (name: string) => {
    const port = [...declared].find(([, n]) => n === name)?.[0];
    if (port === undefined) throw new Error(`container ${container} has no port named ${name}`);
    return loopback.get(port)!;
  };
  const ports = { http: byName('http'), https: byName('https'), status: byName('status') };
  const child = pod.start(container, { overlays: [{ mountPath: configPath, hostPath: localizedPath }], timeoutMs: NGINX_LIFETIME_MS });
  const stop = async () => {
    await child.stop(5_000);
    fs.rmSync(dir, { recursive: true, force: true });
  };
  // Ready when the status port answers; bounded in time.
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode() !== null) {
      await stop();
      throw new Error(`nginx exited: ${child.stderr()}`);
    }
    if (await canConnect(ports.status)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not start within 10s: ${child.stderr()}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  const usageLog = () => child.stdout().split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
  const logLine = async (matches: (line: Record<string, unknown>) => boolean) => {
    for (let i = 0; i < 40; i++) {
      const line = usageLog().find(matches);
      if (line) return line;
      await new Promise((r) => setTimeout(r, 50));
    }
    return undefined;
  };
  return { ports, portOf: byName, process: child, usageLog, logLine, stop };
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
