/**
 * Pod simulation: what the kubelet and the container runtime make of a synthesized pod template,
 * so that a test shows from the YAML alone that a generated pod starts. Nothing here knows the
 * library: it reads the Deployment's pod template, the ConfigMaps of the output and the Secrets
 * a user creates (Kubernetes Secret objects, with `data` and/or `stringData`).
 *
 * 1. Volumes, laid out once per pod as the kubelet does: configMap and secret (all keys, or
 *    `items` remapped to paths, with `defaultMode` and per-item `mode`, in the kubelet's layout:
 *    a `..data` symlink to a timestamped directory and one symlink per top-level entry), projected
 *    (configMap and secret sources), emptyDir (one directory shared by every container; with
 *    `medium: Memory` it lives on the host's tmpfs, /dev/shm). A missing ConfigMap or Secret, or
 *    a missing item key, stops the pod unless the volume is `optional`, as it does in a cluster.
 * 2. Mounts, per container: `mountPath`, `subPath` (one entry of the volume, resolved inside it;
 *    created as a directory when missing, as the kubelet does), `readOnly`. configMap, secret and
 *    projected volumes are always read-only (the kubelet forces it). A mount of a volume the pod
 *    does not have, a duplicate or relative mountPath, a subPath with `..`: the pod is rejected.
 * 3. Init containers run, in order, in a sandbox where exactly their mounts exist at their mount
 *    paths; a non-zero exit fails with the script's stderr.
 * 4. Main containers: every file the container reads (see gateway-files.ts: nginx.conf and what
 *    it names, Kong's environment and declarative configuration) is opened in the container's own
 *    sandbox view, as its user; every path it writes must be writable there.
 *
 * The sandbox (no packages beyond util-linux, Debian's essential set; works as root and as a
 * normal user, the README's two ways of running the tests): `unshare --user --map-root-user
 * --mount --pid --fork` gives a user, mount and PID namespace; a setup script binds a fresh
 * directory of the pod's as the new root, the host's /usr into it read-only (with /bin, /sbin,
 * /lib* as the host has them), a few devices (null, zero, full, random, urandom; stdio links),
 * /dev/shm and /proc, then each of the container's mounts (ordered by depth, as container
 * runtimes do) with `readOnly` enforced by a read-only bind, remounts the root read-only when
 * `readOnlyRootFilesystem` is set, `pivot_root`s into it and detaches the host's tree, and execs
 * the container's command and args (Kubernetes `$(VAR)` expansion applied) with only the
 * container's environment, as its `runAsUser`/`runAsGroup` (a nested user namespace mapping that
 * one uid and gid). Its stdout and stderr are files, as a runtime's container logs are. Every
 * command is bounded in time (10 s by default) and killed by its process group id, which with the
 * PID namespace takes every process of the sandbox down.
 *
 * Assumptions, and what is not simulated:
 * - The image's tools are the host's: /bin/sh is Debian's dash and cp, sed, cat... are GNU
 *   coreutils/sed. Init scripts are taken to use only what POSIX sh and busybox also provide
 *   (the NGINX image is Alpine, so busybox; the Kong image is Ubuntu). The image's own files are
 *   unknown: a path no volume provides counts only if the test lists it in `imageFiles`.
 * - A container without `command` runs its `args` directly (the nginx and Kong images' entrypoint
 *   scripts exec their arguments); without either it cannot be run.
 * - File ownership: one uid and one gid are mapped, so every file of the pod appears owned by
 *   the container's user. Modes (defaultMode, items' mode, read-only mounts) hold; fsGroup and
 *   supplementalGroups are not applied (the kubelet would give the files that group).
 * - Network, resources, probes, seccomp and capabilities are not simulated.
 */
import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { FileReference, filesReadBy, PodFiles } from './gateway-files';
import { Manifest } from './schema';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Json = any;

/** What a pod is simulated from. */
export interface PodSimulationOptions {
  /** The synthesized manifests: the Deployment whose pod is simulated, and the ConfigMaps. */
  readonly manifests: readonly Manifest[];
  /** The Deployment's name, when the manifests have several. */
  readonly deployment?: string;
  /** The Secrets a user (or cert-manager) creates: Kubernetes Secret objects. */
  readonly secrets?: readonly Manifest[];
  /** Paths each container's image is known to provide (by container name): read from no volume. */
  readonly imageFiles?: Readonly<Record<string, readonly string[]>>;
  /** The bound of each sandboxed command. @default 10 s */
  readonly timeoutMs?: number;
}

/** The pod would not start: every reason found. */
export class PodStartError extends Error {
  constructor(public readonly pod: string, public readonly problems: readonly string[]) {
    super(`the pod of ${pod} would not start:\n${problems.map((p) => `- ${p}`).join('\n')}`);
    this.name = 'PodStartError';
  }
}

/** One mount in a container's view: where a volume (or one entry of it) appears. */
export interface ContainerMount {
  readonly volume: string;
  readonly mountPath: string;
  readonly subPath?: string;
  /** The file or directory on the host that the container sees at `mountPath`. */
  readonly hostPath: string;
  readonly readOnly: boolean;
}

/** A finished sandboxed command. */
export interface SandboxResult {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

/** A running sandboxed command (a long-running container process). */
export interface SandboxProcess {
  readonly pid: number;
  /** Resolves when it exits (never rejects). */
  readonly exited: Promise<SandboxResult>;
  stdout(): string;
  stderr(): string;
  /** The exit status once it has exited, null while it runs. */
  exitCode(): number | null;
  /** SIGTERM to its process group, then SIGKILL after `graceMs`; resolves when it is gone. */
  stop(graceMs?: number): Promise<SandboxResult>;
}

/** Options of one sandboxed run of a container. */
export interface RunOptions {
  /** Instead of the container's command and args. */
  readonly argv?: readonly string[];
  /** Bound in time; a long-running `start` has none unless given. */
  readonly timeoutMs?: number;
  /** Files or directories bound (read-only) over paths of the container's view: test localizations. */
  readonly overlays?: readonly { readonly mountPath: string; readonly hostPath: string }[];
}

interface Volume {
  readonly name: string;
  readonly hostPath: string;
  /** configMap, secret and projected volumes: mounted read-only whatever the mount says. */
  readonly alwaysReadOnly: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MODE = 0o644;
// Docker's default PATH, which the images keep.
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';
const KEY_PATTERN = /^[-._a-zA-Z0-9]+$/;

/** A Secret as a user writes it (`data` base64-encoded, as `kubectl create secret` does). */
export function secretManifest(name: string, data: Readonly<Record<string, string | Buffer>>, type = 'Opaque', namespace?: string): Manifest {
  return {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name, ...(namespace === undefined ? {} : { namespace }) },
    type,
    data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  } as Manifest;
}

/** A `kubernetes.io/tls` Secret with a self-signed certificate for `commonName`, made by openssl. */
export function tlsSecret(name: string, commonName: string, namespace?: string): Manifest {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-tls-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`,
      '-addext', `subjectAltName=DNS:${commonName}`, '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt')], { stdio: 'ignore', timeout: 20_000 });
    return secretManifest(name, { 'tls.crt': fs.readFileSync(path.join(dir, 'tls.crt')), 'tls.key': fs.readFileSync(path.join(dir, 'tls.key')) },
      'kubernetes.io/tls', namespace);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Simulates the pod: lays out its volumes, runs its init containers in order, and checks every
 * file its main containers read. Throws a PodStartError with every reason the pod would not start;
 * otherwise returns the pod, whose files the test may read (call `dispose()`).
 */
export async function simulatePod(options: PodSimulationOptions): Promise<SimulatedPod> {
  const pod = SimulatedPod.create(options);
  try {
    await pod.runInitContainers();
    await pod.checkMainContainers();
    return pod;
  } catch (e) {
    pod.dispose();
    throw e;
  }
}

/** A pod laid out from its template: volumes on the host, a view per container. */
export class SimulatedPod {
  /** Lays out the volumes and each container's mounts; throws a PodStartError for what stops the pod before any container runs. */
  public static create(options: PodSimulationOptions): SimulatedPod {
    const deployments = options.manifests.filter((m) => m.kind === 'Deployment' && (options.deployment === undefined || m.metadata.name === options.deployment));
    if (deployments.length !== 1) {
      throw new Error(`expected one Deployment${options.deployment ? ` named ${options.deployment}` : ''}, found ${deployments.length}`);
    }
    return new SimulatedPod(deployments[0], options);
  }

  /** `namespace/name` of the Deployment. */
  public readonly name: string;
  public readonly namespace: string;
  public readonly spec: Json;
  /** What each main container was found to read and write (after `checkMainContainers`). */
  public readonly files = new Map<string, PodFiles>();
  private readonly dir: string;
  private readonly memoryDir: string;
  private readonly volumes = new Map<string, Volume>();
  private readonly mounts = new Map<string, ContainerMount[]>();
  private readonly timeoutMs: number;
  private runs = 0;

  private constructor(deployment: Manifest, private readonly options: PodSimulationOptions) {
    this.namespace = deployment.metadata.namespace ?? 'default';
    this.name = `${this.namespace}/${deployment.metadata.name}`;
    this.spec = (deployment as Json).spec.template.spec;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-pod-'));
    // emptyDir medium Memory: on the host's tmpfs when it has one.
    this.memoryDir = fs.existsSync('/dev/shm') ? fs.mkdtempSync('/dev/shm/cdk8s-expose-pod-') : path.join(this.dir, 'memory');
    try {
      fs.mkdirSync(path.join(this.dir, 'volumes'));
      fs.mkdirSync(path.join(this.dir, 'roots'));
      fs.mkdirSync(path.join(this.dir, 'logs'));
      fs.mkdirSync(this.memoryDir, { recursive: true });
      const problems = [...this.layOutVolumes(), ...this.allContainers().flatMap((c) => this.mountContainer(c))];
      if (problems.length > 0) throw new PodStartError(this.name, problems);
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  /** The init containers, then the containers. */
  public allContainers(): Json[] {
    return [...this.spec.initContainers ?? [], ...this.spec.containers ?? []];
  }

  public container(name: string): Json {
    const found = this.allContainers().find((c) => c.name === name);
    if (found === undefined) throw new Error(`the pod has no container ${name}: ${this.allContainers().map((c) => c.name).join(', ')}`);
    return found;
  }

  /** The container's mounts, shallowest first (the order they are mounted in). */
  public mountsOf(container: string): readonly ContainerMount[] {
    this.container(container);
    return this.mounts.get(container) ?? [];
  }

  /** The host directory of a volume (shared by every container that mounts it). */
  public volumeDir(volume: string): string {
    const found = this.volumes.get(volume);
    if (found === undefined) throw new Error(`the pod has no volume ${volume}`);
    return found.hostPath;
  }

  /**
   * The host file behind a path of a container's view, or undefined when no mount provides the
   * path (it would be the image's). Symlinks inside volumes resolve on the host as in the pod.
   */
  public hostPath(container: string, podPath: string): string | undefined {
    const mount = this.mountOf(container, podPath);
    if (mount === undefined) return undefined;
    const rest = path.posix.relative(mount.mountPath, path.posix.normalize(podPath));
    return rest === '' ? mount.hostPath : path.join(mount.hostPath, ...rest.split('/'));
  }

  /** The mount a path of a container's view is on (the deepest one), if any. */
  public mountOf(container: string, podPath: string): ContainerMount | undefined {
    const clean = path.posix.normalize(podPath);
    return [...this.mountsOf(container)].reverse()
      .find((m) => clean === m.mountPath || clean.startsWith(m.mountPath.endsWith('/') ? m.mountPath : `${m.mountPath}/`));
  }

  /** A file of a container's view, read through its mounts (host side); undefined when missing. */
  public readFile(container: string, podPath: string): string | undefined {
    const file = this.hostPath(container, podPath);
    if (file === undefined) return undefined;
    try {
      return fs.statSync(file).isFile() ? fs.readFileSync(file, 'utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  /** The entries of a directory of a container's view; undefined when missing. */
  public listDir(container: string, podPath: string): string[] | undefined {
    const dir = this.hostPath(container, podPath);
    try {
      return dir === undefined ? undefined : fs.readdirSync(dir).sort();
    } catch {
      return undefined;
    }
  }

  /** The container's environment as the kubelet builds it (env, envFrom, `$(VAR)` expansion). */
  public envOf(container: string): Record<string, string> {
    const { env } = this.environment(this.container(container));
    return env;
  }

  /** Runs each init container in order; throws with the stderr of the first that fails. */
  public async runInitContainers(): Promise<void> {
    for (const init of this.spec.initContainers ?? []) {
      const result = await this.run(init.name);
      if (result.timedOut) {
        throw new PodStartError(this.name, [`init container ${init.name} did not finish within ${this.timeoutMs} ms (killed); stderr:\n${result.stderr}`]);
      }
      if (result.status !== 0) {
        throw new PodStartError(this.name, [`init container ${init.name} exited with ${result.status ?? result.signal}; stderr:\n${result.stderr}`]);
      }
    }
  }

  /**
   * Checks, for each main container, that every file it reads is a readable file of its view and
   * every path it writes is writable there (opened in its sandbox, as its user).
   */
  public async checkMainContainers(): Promise<void> {
    const problems: string[] = [];
    for (const c of this.spec.containers ?? []) {
      const files = filesReadBy(c, this.envOf(c.name), {
        read: (p) => this.readFile(c.name, p),
        list: (p) => this.listDir(c.name, p),
      });
      this.files.set(c.name, files);
      problems.push(...files.problems.map((p) => `container ${c.name}: ${p}`));
      const imageFiles = new Set(this.options.imageFiles?.[c.name] ?? []);
      const onVolumes: FileReference[] = [];
      for (const ref of files.references) {
        if (STDIO.has(ref.path) || imageFiles.has(ref.path)) continue;
        if (this.mountOf(c.name, ref.path) === undefined && !ref.access.startsWith('write')) {
          problems.push(`container ${c.name}: ${ref.path} (${ref.by}) is on no volume, and the image is not known to have it`);
        } else {
          // Written paths off the volumes are checked in the sandbox too: a read-only root refuses them.
          onVolumes.push(ref);
        }
      }
      problems.push(...(await this.checkFiles(c.name, onVolumes)).map((p) => `container ${c.name}: ${p}`));
    }
    if (problems.length > 0) throw new PodStartError(this.name, problems);
  }

  /** Opens each referenced path in the container's sandbox, as its user; the problems found. */
  public async checkFiles(container: string, references: readonly FileReference[]): Promise<string[]> {
    if (references.length === 0) return [];
    const result = await this.run(container, { argv: ['/bin/sh', '-c', CHECK_SCRIPT, 'check', ...references.map((r) => `${r.access}:${r.path}`)] });
    if (result.status !== 0) throw new Error(`the file check of ${container} failed (${result.status ?? result.signal}): ${result.stderr}`);
    const by = new Map(references.map((r) => [r.path, r.by]));
    return result.stdout.split('\n').filter((l) => l !== '').map((line) => {
      const p = line.slice(0, line.indexOf(': '));
      return `${line} (${by.get(p) ?? 'referenced'})`;
    });
  }

  /** Runs a container's command (or `argv`) in its sandbox, bounded in time; never rejects on a non-zero exit. */
  public async run(container: string, options: RunOptions = {}): Promise<SandboxResult> {
    return this.start(container, { ...options, timeoutMs: options.timeoutMs ?? this.timeoutMs }).exited;
  }

  /** Starts a container's command (or `argv`) in its sandbox; stop it with `stop()`. */
  public start(container: string, options: RunOptions = {}): SandboxProcess {
    const c = this.container(container);
    const { env, problems } = this.environment(c);
    const argv = options.argv ?? this.argvOf(c, env, problems);
    const user = this.userOf(c, problems);
    if (problems.length > 0) throw new PodStartError(this.name, problems.map((p) => `container ${container}: ${p}`));
    if (argv[0].includes('=')) throw new Error(`container ${container}: cannot run a command named ${argv[0]}`);
    const run = this.runs++;
    const root = path.join(this.dir, 'roots', String(run));
    const mounts = [
      ...this.mountsOf(container).map((m) => ({ ...m, isFile: fs.statSync(m.hostPath).isFile() })),
      ...(options.overlays ?? []).map((o) => ({ volume: '(overlay)', mountPath: o.mountPath, hostPath: o.hostPath, readOnly: true, isFile: fs.statSync(o.hostPath).isFile() })),
    ];
    const script = setupScript(root, mounts, c.securityContext?.readOnlyRootFilesystem === true,
      user, c.workingDir ?? '/', { HOSTNAME: this.name.split('/')[1], HOME: '/', PATH: DEFAULT_PATH, ...env }, argv);
    return sandbox(script, options.timeoutMs, path.join(this.dir, 'logs', String(run)));
  }

  /** Removes every file of the pod. */
  public dispose(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
    fs.rmSync(this.memoryDir, { recursive: true, force: true });
  }

  private layOutVolumes(): string[] {
    const problems: string[] = [];
    for (const v of this.spec.volumes ?? []) {
      const where = `volume ${v.name}`;
      if (this.volumes.has(v.name)) {
        problems.push(`${where}: the pod declares it twice`);
        continue;
      }
      const memory = v.emptyDir?.medium === 'Memory';
      const hostPath = path.join(memory ? this.memoryDir : path.join(this.dir, 'volumes'), v.name);
      fs.mkdirSync(hostPath);
      if (v.emptyDir !== undefined) {
        if (v.emptyDir.medium !== undefined && v.emptyDir.medium !== '' && !memory) problems.push(`${where}: emptyDir medium ${v.emptyDir.medium} is not a medium`);
        // The kubelet makes emptyDirs world-writable (0777), whatever the umask.
        fs.chmodSync(hostPath, 0o777);
        this.volumes.set(v.name, { name: v.name, hostPath, alwaysReadOnly: false });
        continue;
      }
      let files: ProjectedFile[] | undefined;
      if (v.configMap !== undefined) {
        files = this.projection(where, 'ConfigMap', v.configMap.name, v.configMap.items, v.configMap.optional, v.configMap.defaultMode, problems);
      } else if (v.secret !== undefined) {
        files = this.projection(where, 'Secret', v.secret.secretName, v.secret.items, v.secret.optional, v.secret.defaultMode, problems);
      } else if (v.projected !== undefined) {
        files = [];
        for (const [i, source] of (v.projected.sources ?? []).entries()) {
          const s = source.configMap ?? source.secret;
          if (s === undefined) {
            problems.push(`${where}: projected source ${i} (${Object.keys(source).join(', ')}) is not simulated; only configMap and secret are`);
            continue;
          }
          files.push(...this.projection(`${where} source ${i}`, source.configMap ? 'ConfigMap' : 'Secret', s.name, s.items, s.optional, v.projected.defaultMode, problems));
        }
      } else {
        problems.push(`${where}: ${Object.keys(v).filter((k) => k !== 'name').join(', ') || 'no source'} is not simulated (emptyDir, configMap, secret and projected are)`);
        continue;
      }
      const seen = new Set<string>();
      for (const f of files) {
        if (seen.has(f.path)) problems.push(`${where}: two items project to ${f.path}`);
        seen.add(f.path);
      }
      writeProjection(hostPath, files);
      this.volumes.set(v.name, { name: v.name, hostPath, alwaysReadOnly: true });
    }
    return problems;
  }

  /** The files of a configMap or secret source: every key, or the items (key -> path, mode). */
  private projection(where: string, kind: 'ConfigMap' | 'Secret', name: string | undefined, items: Json[] | undefined, optional: boolean | undefined,
    defaultMode: number | undefined, problems: string[]): ProjectedFile[] {
    if (defaultMode !== undefined && (!Number.isInteger(defaultMode) || defaultMode < 0 || defaultMode > 0o777)) {
      problems.push(`${where}: defaultMode ${defaultMode} is not a file mode (0-0777)`);
    }
    const data = name === undefined ? undefined : this.dataOf(kind, name);
    if (data === undefined) {
      if (optional !== true) problems.push(`${where}: ${kind} ${this.namespace}/${name} does not exist (the kubelet cannot mount it: the pod stays in ContainerCreating)`);
      return [];
    }
    const mode = defaultMode ?? DEFAULT_MODE;
    if (items === undefined) {
      return [...data.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([key, content]) => ({ path: key, content, mode }));
    }
    return items.flatMap((item: Json): ProjectedFile[] => {
      const content = data.get(item.key);
      if (content === undefined) {
        if (optional !== true) problems.push(`${where}: ${kind} ${this.namespace}/${name} has no key ${item.key}`);
        return [];
      }
      if (typeof item.path !== 'string' || item.path === '' || item.path.startsWith('/') || item.path.split('/').includes('..')) {
        problems.push(`${where}: item path ${item.path} must be relative and must not contain '..'`);
        return [];
      }
      if (item.mode !== undefined && (!Number.isInteger(item.mode) || item.mode < 0 || item.mode > 0o777)) problems.push(`${where}: item mode ${item.mode} is not a file mode`);
      return [{ path: item.path, content, mode: item.mode ?? mode }];
    });
  }

  /** The data of a ConfigMap (of the output) or Secret (given by the test) in the pod's namespace, decoded. */
  private dataOf(kind: 'ConfigMap' | 'Secret', name: string): Map<string, Buffer> | undefined {
    const object: Json = [...this.options.manifests, ...this.options.secrets ?? []]
      .find((m) => m.kind === kind && m.metadata.name === name && (m.metadata.namespace ?? this.namespace) === this.namespace);
    if (object === undefined) return undefined;
    const data = new Map<string, Buffer>();
    const put = (entries: Record<string, string> | undefined, decode: (v: string) => Buffer) => {
      for (const [k, v] of Object.entries(entries ?? {})) {
        if (!KEY_PATTERN.test(k)) throw new Error(`${kind} ${name}: key ${k} is not a valid data key`);
        data.set(k, decode(v));
      }
    };
    if (kind === 'ConfigMap') {
      put(object.data, (v) => Buffer.from(v, 'utf8'));
      put(object.binaryData, (v) => Buffer.from(v, 'base64'));
    } else {
      put(object.data, (v) => Buffer.from(v, 'base64'));
      // The API server merges stringData into data (stringData wins).
      put(object.stringData, (v) => Buffer.from(v, 'utf8'));
    }
    return data;
  }

  /** Resolves a container's volumeMounts; the problems that would reject the pod or stop it. */
  private mountContainer(c: Json): string[] {
    const problems: string[] = [];
    const mounts: ContainerMount[] = [];
    const paths = new Set<string>();
    for (const m of c.volumeMounts ?? []) {
      const where = `container ${c.name}: volumeMount ${m.name} at ${m.mountPath}`;
      const volume = this.volumes.get(m.name);
      if (volume === undefined) {
        problems.push(`${where}: the pod has no volume ${m.name}`);
        continue;
      }
      if (typeof m.mountPath !== 'string' || !m.mountPath.startsWith('/')) {
        problems.push(`${where}: the mountPath must be absolute`);
        continue;
      }
      const mountPath = path.posix.normalize(m.mountPath).replace(/(.)\/$/, '$1');
      if (paths.has(mountPath)) problems.push(`${where}: the container mounts ${mountPath} twice`);
      paths.add(mountPath);
      if (m.subPathExpr !== undefined) {
        problems.push(`${where}: subPathExpr is not simulated`);
        continue;
      }
      let hostPath = volume.hostPath;
      if (m.subPath !== undefined && m.subPath !== '') {
        if (m.subPath.startsWith('/') || m.subPath.split('/').includes('..')) {
          problems.push(`${where}: subPath ${m.subPath} must be relative and must not contain '..'`);
          continue;
        }
        hostPath = path.join(volume.hostPath, ...m.subPath.split('/'));
        // The kubelet creates a missing subPath as a directory.
        if (!fs.existsSync(hostPath)) fs.mkdirSync(hostPath, { recursive: true, mode: 0o755 });
        const real = fs.realpathSync(hostPath);
        const base = fs.realpathSync(volume.hostPath);
        if (real !== base && !real.startsWith(`${base}${path.sep}`)) {
          problems.push(`${where}: subPath ${m.subPath} leaves the volume`);
          continue;
        }
        hostPath = real;
      }
      mounts.push({ volume: m.name, mountPath, subPath: m.subPath || undefined, hostPath, readOnly: m.readOnly === true || volume.alwaysReadOnly });
    }
    // Container runtimes mount shallow paths first (containerd sorts by depth, stably).
    this.mounts.set(c.name, mounts.map((m, i) => ({ m, i }))
      .sort((a, b) => depth(a.m.mountPath) - depth(b.m.mountPath) || a.i - b.i).map(({ m }) => m));
    return problems;
  }

  /** env and envFrom, each value expanded against the ones before it, as the kubelet does. */
  private environment(c: Json): { env: Record<string, string>; problems: string[] } {
    const env: Record<string, string> = {};
    const problems: string[] = [];
    const lookup = (kind: 'ConfigMap' | 'Secret', name: string, key: string | undefined, optional: boolean | undefined, what: string) => {
      const data = this.dataOf(kind, name);
      if (data === undefined || (key !== undefined && !data.has(key))) {
        if (optional !== true) problems.push(`${what}: ${kind} ${this.namespace}/${name}${key === undefined ? '' : ` key ${key}`} does not exist`);
        return undefined;
      }
      return data;
    };
    for (const from of c.envFrom ?? []) {
      const ref = from.configMapRef ?? from.secretRef;
      const data = ref && lookup(from.configMapRef ? 'ConfigMap' : 'Secret', ref.name, undefined, ref.optional, 'envFrom');
      for (const [k, v] of data ?? []) env[`${from.prefix ?? ''}${k}`] = v.toString('utf8');
    }
    for (const e of c.env ?? []) {
      if (e.valueFrom === undefined) {
        env[e.name] = expandReferences(e.value ?? '', env);
      } else if (e.valueFrom.configMapKeyRef || e.valueFrom.secretKeyRef) {
        const ref = e.valueFrom.configMapKeyRef ?? e.valueFrom.secretKeyRef;
        const data = lookup(e.valueFrom.configMapKeyRef ? 'ConfigMap' : 'Secret', ref.name, ref.key, ref.optional, `env ${e.name}`);
        const value = data?.get(ref.key);
        if (value !== undefined) env[e.name] = value.toString('utf8');
      } else {
        problems.push(`env ${e.name}: ${Object.keys(e.valueFrom).join(', ')} is not simulated`);
      }
    }
    return { env, problems };
  }

  /** command + args, `$(VAR)` expanded; without a command the image's entrypoint is taken to exec the args. */
  private argvOf(c: Json, env: Record<string, string>, problems: string[]): string[] {
    const argv = [...c.command ?? [], ...c.args ?? []].map((a: string) => expandReferences(a, env));
    if (argv.length === 0) problems.push('no command or args: the image\'s entrypoint is unknown');
    return argv;
  }

  private userOf(c: Json, problems: string[]): { uid: number; gid: number } {
    const pod = this.spec.securityContext ?? {};
    const own = c.securityContext ?? {};
    const uid = own.runAsUser ?? pod.runAsUser;
    const gid = own.runAsGroup ?? pod.runAsGroup;
    if (uid === undefined) problems.push('no runAsUser: the image\'s user is unknown');
    if ((own.runAsNonRoot ?? pod.runAsNonRoot) === true && uid === 0) problems.push('runAsNonRoot with runAsUser 0: the kubelet refuses to start it');
    return { uid: uid ?? 0, gid: gid ?? uid ?? 0 };
  }
}

interface ProjectedFile {
  readonly path: string;
  readonly content: Buffer;
  readonly mode: number;
}

const STDIO = new Set(['/dev/stdout', '/dev/stderr', '/dev/null']);

/** The kubelet's atomic-writer layout: `..data` -> a timestamped directory, a symlink per top-level entry. */
function writeProjection(dir: string, files: readonly ProjectedFile[]): void {
  const stamp = '..2026_01_01_00_00_00.000000001';
  fs.mkdirSync(path.join(dir, stamp), { mode: 0o755 });
  for (const f of files) {
    const file = path.join(dir, stamp, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    fs.writeFileSync(file, f.content);
    fs.chmodSync(file, f.mode);
  }
  fs.symlinkSync(stamp, path.join(dir, '..data'));
  for (const top of new Set(files.map((f) => f.path.split('/')[0]))) fs.symlinkSync(`..data/${top}`, path.join(dir, top));
}

function depth(p: string): number {
  return p === '/' ? 0 : p.split('/').length - 1;
}

/**
 * Kubernetes' `$(VAR)` expansion of command, args and env values: a defined variable is replaced,
 * `$$` is a literal `$`, anything else is left as written.
 */
export function expandReferences(input: string, env: Readonly<Record<string, string>>): string {
  let out = '';
  for (let i = 0; i < input.length; i++) {
    if (input[i] !== '$' || i + 1 === input.length) {
      out += input[i];
      continue;
    }
    const next = input[i + 1];
    if (next === '$') {
      out += '$';
      i++;
    } else if (next === '(') {
      const close = input.indexOf(')', i + 2);
      if (close === -1) {
        out += '$(';
        i++;
      } else {
        const name = input.slice(i + 2, close);
        out += Object.prototype.hasOwnProperty.call(env, name) ? env[name] : `$(${name})`;
        i = close;
      }
    } else {
      out += `$${next}`;
      i++;
    }
  }
  return out;
}

/** A POSIX sh literal. */
function q(value: string): string {
  return `'${value.replace(/'/g, '\'\\\'\'')}'`;
}

// What the sandbox takes from the host, read-only: /usr and /bin, /sbin, /lib* as the host has them
// (links into /usr on a merged-/usr system), and the common devices.
const HOST_TOP = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom'];

/**
 * The sandbox's root: a directory of the pod's (made here, without a process per entry) with the
 * mount points, and the script that mounts into it inside the new namespaces, pivots into it and
 * execs the command as the container's user.
 */
function setupScript(root: string, mounts: readonly (ContainerMount & { isFile: boolean })[], readOnlyRoot: boolean,
  user: { uid: number; gid: number }, workingDir: string, env: Record<string, string>, argv: readonly string[]): string {
  const at = (p: string) => `"$R"${q(p)}`;
  const host = (p: string) => path.join(root, ...p.split('/'));
  for (const dir of ['usr', 'dev/shm', 'proc', 'etc', 'tmp']) fs.mkdirSync(host(dir), { recursive: true, mode: 0o755 });
  fs.chmodSync(host('tmp'), 0o1777);
  const lines = ['set -eu', `R=${q(root)}`, 'mount --bind "$R" "$R"', 'mount --rbind -o ro /usr "$R/usr"'];
  for (const top of HOST_TOP) {
    const stat = fs.lstatSync(`/${top}`, { throwIfNoEntry: false });
    if (stat?.isSymbolicLink()) {
      fs.symlinkSync(fs.readlinkSync(`/${top}`), host(top));
    } else if (stat?.isDirectory()) {
      fs.mkdirSync(host(top));
      lines.push(`mount --rbind -o ro /${top} ${at(`/${top}`)}`);
    }
  }
  for (const device of DEVICES) {
    fs.writeFileSync(host(`dev/${device}`), '');
    lines.push(`mount --bind /dev/${device} "$R/dev/${device}"`);
  }
  fs.symlinkSync('/proc/self/fd', host('dev/fd'));
  ['stdin', 'stdout', 'stderr'].forEach((name, fd) => fs.symlinkSync(`/proc/self/fd/${fd}`, host(`dev/${name}`)));
  lines.push('mount -t tmpfs -o mode=1777 shm "$R/dev/shm"', 'mount -t proc proc "$R/proc"');
  for (const [i, m] of mounts.entries()) {
    // A mount point inside an earlier mount is made there, in the namespace, as the runtime does
    // (and fails as it does when that mount is read-only); the others are made here.
    const nested = mounts.slice(0, i).some((o) => m.mountPath.startsWith(o.mountPath === '/' ? '/' : `${o.mountPath}/`));
    if (nested) {
      lines.push(m.isFile ? `mkdir -p ${at(path.posix.dirname(m.mountPath))}; [ -e ${at(m.mountPath)} ] || : > ${at(m.mountPath)}` : `mkdir -p ${at(m.mountPath)}`);
    } else if (m.isFile) {
      fs.mkdirSync(path.dirname(host(m.mountPath)), { recursive: true });
      fs.writeFileSync(host(m.mountPath), '');
    } else {
      fs.mkdirSync(host(m.mountPath), { recursive: true });
    }
    lines.push(`mount --bind ${m.readOnly ? '-o ro ' : ''}${q(m.hostPath)} ${at(m.mountPath)}`);
  }
  if (readOnlyRoot) lines.push('mount -o remount,bind,ro "$R"');
  lines.push(
    // runc's pivot_root(".", "."): the old root stacks on the new one, and is then detached.
    'cd "$R"',
    'pivot_root . .',
    'umount -l .',
    'cd /',
    // The container's user: a nested user namespace that maps exactly its uid and gid.
    `exec /usr/bin/unshare --user --map-user=${user.uid} --map-group=${user.gid} -- /usr/bin/env -i -C ${q(workingDir)} -- `
      + `${Object.entries(env).map(([k, v]) => q(`${k}=${v}`)).join(' ')} ${argv.map(q).join(' ')}`,
  );
  return lines.join('\n');
}

/**
 * Runs a setup script in fresh user, mount and PID namespaces; killed by its process group after
 * `timeoutMs`. Its stdout and stderr are files (`logs`.stdout, .stderr), as a container runtime's
 * logs are: a process may open /dev/stdout and /dev/stderr (nginx does), which node's stdio
 * sockets would refuse.
 */
function sandbox(script: string, timeoutMs: number | undefined, logs: string): SandboxProcess {
  const out = fs.openSync(`${logs}.stdout`, 'a', 0o644);
  const err = fs.openSync(`${logs}.stderr`, 'a', 0o644);
  let child: ChildProcess;
  try {
    child = spawn('unshare', ['--user', '--map-root-user', '--mount', '--pid', '--fork', '--', '/bin/sh', '-c', script, 'podsim'],
      { detached: true, stdio: ['ignore', out, err] });
  } finally {
    fs.closeSync(out);
    fs.closeSync(err);
  }
  const read = (file: string) => fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  const stdout = () => read(`${logs}.stdout`);
  let spawnError = '';
  const stderr = () => `${read(`${logs}.stderr`)}${spawnError}`;
  let timedOut = false;
  const pid = child.pid;
  const killGroup = (signal: NodeJS.Signals) => {
    if (pid === undefined) return;
    try {
      process.kill(-pid, signal);
    } catch {
      // Already gone.
    }
  };
  const timer = timeoutMs === undefined ? undefined : setTimeout(() => { timedOut = true; killGroup('SIGKILL'); }, timeoutMs);
  const exited = new Promise<SandboxResult>((resolve) => {
    child.once('error', (e) => { spawnError += `${e.message}\n`; });
    child.once('close', (status, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ status, signal, stdout: stdout(), stderr: stderr(), timedOut });
    });
  });
  return {
    pid: pid ?? -1,
    exited,
    stdout,
    stderr,
    exitCode: () => child.exitCode,
    stop: async (graceMs = 5_000) => {
      killGroup('SIGTERM');
      const kill = setTimeout(() => killGroup('SIGKILL'), graceMs);
      const result = await exited;
      clearTimeout(kill);
      return result;
    },
  };
}

/**
 * Opens each `access:path` argument as the container would: reads a file, lists a directory,
 * creates (and removes) a file in a directory it writes to. Prints one line per problem.
 */
const CHECK_SCRIPT = `
for ref; do
  access=\${ref%%:*}
  p=\${ref#*:}
  case $access in
    read-file)
      if [ ! -e "$p" ]; then echo "$p: does not exist"
      elif [ ! -f "$p" ]; then echo "$p: is not a file"
      elif ! (: < "$p") 2>/dev/null; then echo "$p: cannot be read"
      fi ;;
    read-dir)
      if [ ! -d "$p" ]; then echo "$p: is not a directory"
      elif ! ls "$p" > /dev/null 2>&1; then echo "$p: cannot be listed"
      fi ;;
    write-file)
      if [ -e "$p" ]; then
        [ -f "$p" ] && (: >> "$p") 2>/dev/null || echo "$p: cannot be written"
      else
        d=$(dirname "$p")
        if t=$(mktemp -p "$d" 2>/dev/null); then rm -f "$t"; else echo "$p: cannot be created (in $d)"; fi
      fi ;;
    write-dir)
      if [ -e "$p" ]; then
        if [ ! -d "$p" ]; then echo "$p: is not a directory"
        elif t=$(mktemp -p "$p" 2>/dev/null); then rm -f "$t"; else echo "$p: cannot be written"; fi
      else
        d=$(dirname "$p")
        if t=$(mktemp -d -p "$d" 2>/dev/null); then rmdir "$t"; else echo "$p: cannot be created (in $d)"; fi
      fi ;;
    *) echo "$p: unknown access $access" ;;
  esac
done
`;
