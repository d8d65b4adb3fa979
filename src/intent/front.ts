import { BackendIntent, backendKey, ExposureIntent, RouteIntent, StreamIntent, TlsIntent, translatesGrpc } from './model';

/** The workload a front routes to: a gateway the exposure deploys. */
export interface FrontTarget {
  /** The name of the workload's Service (the object name of an L7 front's backend). */
  readonly name: string;
  readonly port: number;
  /** The labels of the workload's pods, read at synth (they exist once the workload is rendered). */
  readonly podLabels: () => Record<string, string>;
  /**
   * True when the front is an L4 strategy (a Service): it then carries neither hosts nor TLS,
   * which the workload serves itself.
   */
  readonly l4: boolean;
  /** True when the workload compares client addresses (access lists): an L4 front must keep them. */
  readonly needsClientAddress: boolean;
  /** The largest request body the workload accepts on any route, in bytes. */
  readonly largestBodyBytes: number;
  /** The workload's port for a stream declared on `port` (its Service maps one to the other). */
  readonly streamTargetPort: (port: number) => number;
  /**
   * The workload's port of HTTP/2 cleartext for the gRPC routes (its Service port and its pods'),
   * when it serves them on one of their own; undefined: they go to `port` with the rest.
   */
  readonly grpcPort?: number;
}

/**
 * The intent of the strategy in front of a workload the exposure deploys (the API gateway's
 * `exposedVia`): the exposure's hosts and TLS (unless the front is L4), one route taking every
 * request to the workload (when the exposure has HTTP routes), with a `grpcPort` one gRPC route
 * per declared gRPC route, of its match, to that port (see `frontGrpcRoutes`), and its streams, each to the
 * workload on the stream's own port (see `frontStreams`). Built here, so the front is checked and
 * rendered like any exposure.
 */
export function frontIntent(intent: ExposureIntent, target: FrontTarget): ExposureIntent {
  const backend = workloadBackend(intent, target, target.port);
  const streams = frontStreams(intent, target);
  const streamBackends = [...new Map(streams.map((s) => [s.backend.key, s.backend])).values()];
  const grpc = frontGrpcRoutes(intent, target);
  const grpcBackends = grpc.length === 0 ? [] : [grpc[0].backend];
  const http = intent.routes.length > grpc.length;
  return {
    path: intent.path,
    name: intent.name,
    namespace: intent.namespace,
    hosts: target.l4 ? [] : intent.hosts,
    // Client certificates are the workload's to verify (it refuses them behind an L7 front).
    tls: target.l4 || intent.tls === undefined ? undefined : withoutClientCertificates(intent.tls),
    routes: [...grpc.map((g) => g.route), ...http ? [{
      field: 'routes',
      isDefault: true,
      protocol: 'http' as const,
      match: { path: { kind: 'prefix' as const, value: '/' }, headers: [], queryParams: [] },
      action: { kind: 'forward' as const, backends: [{ backend, weight: 1 }] },
      sources: {},
    }] : []],
    streams,
    backends: [...http ? [backend] : [], ...grpcBackends, ...streamBackends],
    backendFields: new Map([...http ? [backend] : [], ...grpcBackends, ...streamBackends].map((b) => [b.key, 'exposedVia'])),
    preserveClientAddress: target.l4 && target.needsClientAddress ? true : undefined,
    passBodiesUpToBytes: target.l4 ? undefined : target.largestBodyBytes,
  };
}

/**
 * With a `grpcPort`, the front's gRPC routes: one per declared gRPC route, of its match (path,
 * headers), to the workload's gRPC port, speaking gRPC (HTTP/2) to it; fields stay the declared
 * ones. The workload then picks the route among all, as for HTTP.
 */
function frontGrpcRoutes(intent: ExposureIntent, target: FrontTarget): { route: RouteIntent; backend: BackendIntent }[] {
  if (target.grpcPort === undefined) return [];
  const backend: BackendIntent = { ...workloadBackend(intent, target, target.grpcPort), protocol: 'grpc' };
  // Routes of gRPC-Web or JSON clients are HTTP routes to the front: the workload translates.
  return intent.routes.filter((r) => r.protocol === 'grpc' && !translatesGrpc(r)).map((r) => ({
    backend,
    route: {
      field: r.field,
      isDefault: r.isDefault,
      protocol: 'grpc',
      match: r.match,
      action: { kind: 'forward', backends: [{ backend, weight: 1 }] },
      sources: { protocol: r.sources.protocol },
    },
  }));
}

function withoutClientCertificates(tls: TlsIntent): TlsIntent {
  const { clientCertificates: _, ...rest } = tls;
  return rest;
}

/** The workload's Service on `port` (its pods' `targetPort`), as the front's backend. */
function workloadBackend(intent: ExposureIntent, target: FrontTarget, port: number, targetPort = port): BackendIntent {
  return {
    key: backendKey(target.name, intent.namespace, port),
    name: target.name,
    namespace: intent.namespace,
    port,
    targetPort,
    origin: 'deployment',
    podLabels: target.podLabels,
    protocol: 'http',
  };
}

/**
 * The streams as the front forwards them to the workload, which serves each on its declared port
 * of its Service (`streamTargetPort` of its pods) and routes it further. An L7 front keeps them as
 * declared (a passthrough hostname is passed through by SNI to the workload); an L4 front (a
 * Service) cannot read SNI, so each passthrough port is a TCP port to the workload, which reads
 * SNI itself. Fields stay the declared ones, so what a front cannot express is reported where it
 * was declared.
 */
function frontStreams(intent: ExposureIntent, target: FrontTarget): StreamIntent[] {
  const toWorkload = (port: number) => workloadBackend(intent, target, port, target.streamTargetPort(port));
  if (!target.l4) return intent.streams.map((s) => ({ ...s, backend: toWorkload(s.port) }));
  const byPort = new Map<number, StreamIntent>();
  for (const s of intent.streams) {
    if (!byPort.has(s.port)) byPort.set(s.port, { kind: 'tcp', field: s.field, port: s.port, backend: toWorkload(s.port) });
  }
  return [...byPort.values()];
}
