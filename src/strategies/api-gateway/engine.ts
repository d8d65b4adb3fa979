import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { PodAddresses } from './pod-addresses';
import { parseCidr } from '../../core/cidr';
import { Problem } from '../../core/errors';
import { dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { Capabilities } from '../../intent/capabilities';
import { BackendIntent, ExposureIntent, passthroughStreams, streamPorts } from '../../intent/model';

/** The HSTS policy both engines send with every response when the exposure has TLS (a year, subdomains). */
export const HSTS_POLICY = 'max-age=31536000; includeSubDomains';

/**
 * Where the gateway reaches a backend: `name.namespace.svc.<clusterDomain>:port`, the exposure's
 * namespace when the backend has none, or the bare name when neither has one (the gateway's own).
 */
export function backendAddress(backend: BackendIntent, intent: ExposureIntent, clusterDomain: string): string {
  const namespace = backend.namespace ?? intent.namespace;
  return `${namespace === undefined ? backend.name : `${backend.name}.${namespace}.svc.${clusterDomain}`}:${backend.port}`;
}

/**
 * A Secret the gateway container mounts read-only (API keys, htpasswd files, TLS), or with
 * `configMap` a ConfigMap of that name (a client CA bundle).
 */
export interface SecretMount {
  readonly secretName: string;
  readonly mountPath: string;
  /** The object is a ConfigMap. */
  readonly configMap?: boolean;
  /** Only these keys are projected (the pod does not start without them); unset: every key. */
  readonly keys?: readonly string[];
}

/** Where the gateway terminates TLS, if it does (no L7 strategy in front of it). */
export interface GatewayTls {
  readonly secretName: string;
  /** The status of the redirect from plain HTTP to HTTPS. */
  readonly redirectCode: number;
}

/** What an engine needs to render its configuration (internal). */
export interface EngineContext {
  readonly intent: ExposureIntent;
  /**
   * Set with the strategy's `monitoring`: the engine serves Prometheus metrics (`EngineConfig.metrics`);
   * `latencyObjectiveSeconds` is the alerts' latency objective, which a histogram the engine defines counts exactly.
   */
  readonly metrics?: { readonly latencyObjectiveSeconds?: number };
  /** Set when the gateway itself terminates TLS. */
  readonly tls?: GatewayTls;
  /** The headless Services of the backends of routes with session affinity, by backend key. */
  readonly podAddresses?: ReadonlyMap<string, PodAddresses>;
}

/**
 * A port on which the gateway forwards streams (TLS passthrough by SNI, or TCP): the declared port
 * on the gateway's Service, `containerPort` in the container. Named `tls-<port>` or `tcp-<port>`:
 * Istio reads a Service port's protocol from its name.
 */
export interface StreamListener {
  readonly port: number;
  readonly containerPort: number;
  readonly name: string;
}

/** How much higher than declared the gateway container serves a stream port below 1024. */
export const UNPRIVILEGED_PORT_OFFSET = 10000;

/**
 * What the gateway container listens on for a stream declared on `port`: the gateway runs without
 * privilege (binding below 1024 would take a capability or a sysctl), so a port below 1024 is
 * served on `port + 10000` (443 on 10443) and its Service maps the declared port to it; other
 * ports as declared.
 */
export function streamContainerPort(port: number): number {
  return port < 1024 ? port + UNPRIVILEGED_PORT_OFFSET : port;
}

/** The intent's stream ports, ascending, each named for what it carries. */
export function streamListeners(intent: ExposureIntent): StreamListener[] {
  const passthrough = new Set(passthroughStreams(intent).map((s) => s.port));
  return streamPorts(intent).map((port) => ({
    port,
    containerPort: streamContainerPort(port),
    name: `${passthrough.has(port) ? 'tls' : 'tcp'}-${port}`,
  }));
}

/**
 * The container that serves the gateway's metrics when the proxy itself does not: an exporter
 * that reads what the proxy sends it, with its program from the gateway's ConfigMap.
 */
export interface MetricsSidecar {
  readonly image: string;
  /** Its arguments; the image's entrypoint runs them. */
  readonly args: readonly string[];
  /** Keys of the gateway's ConfigMap mounted (read-only) under `mountPath`. */
  readonly files: readonly string[];
  readonly mountPath: string;
  /** The path of its health check, on the metrics port. */
  readonly healthPath: string;
}

/** Where Prometheus scrapes the gateway's metrics (internal). */
export interface MetricsEndpoint {
  /** The container port: the proxy's (`statusPort`) or the sidecar's. */
  readonly port: number;
  readonly path: string;
  readonly sidecar?: MetricsSidecar;
}

/** The metric names of an engine that the alerts read (internal). */
export interface EngineMetricNames {
  /** The request counter, with the labels `route`, `consumer` and `code` (the status). */
  readonly requests: string;
  /** The buckets of the request latency histogram, with the label `route`. */
  readonly latencyBuckets: string;
  /** The latency histogram's unit in seconds: 1 (seconds) or 0.001 (milliseconds). */
  readonly latencyUnitSeconds: number;
}

/** An engine's container and configuration for one exposure (internal). */
export interface EngineConfig {
  readonly image: string;
  /** ConfigMap data: file name -> content, mounted under `configDir`. */
  readonly files: Readonly<Record<string, string>>;
  readonly configDir: string;
  /** Arguments of the container; the image's entrypoint runs them. */
  readonly args?: readonly string[];
  readonly env?: Readonly<Record<string, string>>;
  /** Port of plain HTTP traffic; `httpsPort` when the gateway terminates TLS. */
  readonly httpPort: number;
  readonly httpsPort: number;
  /** Port of HTTP/2 cleartext (h2c) for the gRPC routes, when the gateway serves them so (see `GatewayEngine.ports`). */
  readonly grpcPort?: number;
  /** Internal port for health checks and metrics: never exposed by the Service. */
  readonly statusPort: number;
  /** The ports of the exposure's streams (TLS passthrough, TCP), when the engine renders them. */
  readonly streamListeners?: readonly StreamListener[];
  readonly healthPath: string;
  /** Directories the engine writes to (emptyDirs under a read-only root filesystem). */
  readonly writablePaths: readonly string[];
  readonly secretMounts: readonly SecretMount[];
  /**
   * Credentials rendered at pod start from the mounted Secrets, by an init container running
   * `initScript` (sh) with the same image: the YAML never holds key material, and the files live
   * in memory (`generatedDir`, an emptyDir with medium Memory).
   */
  readonly initScript?: string;
  readonly generatedDir?: string;
  /** True when `initScript` reads the configuration (under `configDir`): the init container mounts it read-only. */
  readonly initReadsConfig?: boolean;
  /** The user id the image runs as. */
  readonly runAsUser: number;
  /** With `EngineContext.metrics`: where the metrics are served. */
  readonly metrics?: MetricsEndpoint;
}

/** An API gateway engine (internal): NGINX, Kong. */
export interface GatewayEngine {
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly problems: readonly string[];
  /**
   * The ports of plain HTTP and of HTTPS (when the gateway terminates TLS) traffic; `grpc`, where
   * the engine serves gRPC routes in cleartext on a port of their own (HTTP/2 with prior
   * knowledge), when the gateway does not terminate TLS.
   */
  readonly ports: { readonly http: number; readonly https: number; readonly grpc?: number };
  /**
   * The ranges (normal form) whose connections' `X-Forwarded-For` the engine believes for the
   * client address; empty: the address of the connection is the client's.
   */
  readonly trustedProxies: readonly string[];
  /** The body size limit of routes without their own (`maxBodySize`), in bytes as written. */
  readonly defaultMaxBodyBytes: number;
  /** The names of the metrics the engine serves (with `EngineContext.metrics`). */
  readonly metricNames: EngineMetricNames;
  /** What the engine cannot express in the intent beyond its capability row: every problem. */
  check(intent: ExposureIntent): Problem[];
  /** The engine's container and configuration; `check` found no problem. */
  configure(ctx: EngineContext): EngineConfig;
}

/**
 * Met while rendering a state the engine's `check` refuses (a value nginx would expand, a redirect
 * on Kong): a bug of the library, not of the declaration, so a plain Error rather than a problem.
 */
export function checkLetThrough(engine: string, what: string): never {
  throw new Error(`apiGateway (${engine}): the check let through ${what}`);
}

/**
 * The engine option `maxBodySize` in whole KiB, as the engines write it (1 MiB unset; 0, which no
 * engine writes, for a value of the wrong type, which the option check reports).
 */
export function defaultMaxBodyKib(maxBodySize: Size | undefined): number {
  if (maxBodySize === undefined) return 1024;
  return typeof maxBodySize.toKibibytes === 'function' ? maxBodySize.toKibibytes({ rounding: SizeRoundingBehavior.FLOOR }) : 0;
}

/** The engine option `trustedProxies`, normalised (bad entries left out), and its problems. */
export function trustedProxiesOption(ranges: readonly string[] | undefined): { ranges: string[]; problems: string[] } {
  const problems: string[] = [];
  const normal: string[] = [];
  if (ranges !== undefined && ranges.length === 0) problems.push('trustedProxies is empty; leave it unset when no proxy in front is trusted');
  (ranges ?? []).forEach((r, i) => {
    const { cidr, problem } = parseCidr(r);
    if (problem !== undefined) problems.push(`trustedProxies[${i}]: ${problem}`);
    else if (normal.includes(cidr!.text)) problems.push(`trustedProxies[${i}] "${cidr!.text}" is listed twice; list it once`);
    else normal.push(cidr!.text);
  });
  return { ranges: normal, problems };
}

/** The options every engine takes, checked alike: a pinned image, a whole-second cache TTL, a DNS cluster domain, a body limit of at least 1 KiB. */
export function engineOptionProblems(image: string, cacheTtl: Duration | undefined, clusterDomain: string | undefined,
  maxBodySize: Size | undefined): string[] {
  const ttl = cacheTtl?.toSeconds({ integral: false });
  return problemsOf(
    /:latest$|^[^:@]+$/.test(image) ? `image "${image}" is not pinned; use a version tag or a digest` : undefined,
    ttl !== undefined && (ttl < 1 || !Number.isInteger(ttl)) ? `cacheTtl of ${ttl}s is not a whole number of seconds of at least 1` : undefined,
    // Both engines count the limit in KiB: below one, nginx would write 0 (no limit at all).
    maxBodySize !== undefined && maxBodySize.toKibibytes({ rounding: SizeRoundingBehavior.NONE }) < 1 ? 'maxBodySize is below 1 KiB' : undefined,
    clusterDomain === undefined ? undefined : dnsSubdomainProblem(clusterDomain, 'clusterDomain'),
  );
}
