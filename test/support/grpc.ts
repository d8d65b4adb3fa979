/**
 * gRPC for end-to-end tests, with @grpc/grpc-js (pure JS): a loopback server of the services of
 * echo.proto that answers with what it got, and a client whose calls resolve to the reply or the
 * gRPC status the client saw (never reject), each bounded by a deadline.
 */
import * as path from 'path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';

const SERVICES = ['Echo', 'Limited', 'Private', 'Guarded', 'Down', 'Slow', 'Retired', 'Signed'] as const;
export type EchoService = (typeof SERVICES)[number];

let loaded: grpc.GrpcObject | undefined;
function echoPackage(): grpc.GrpcObject {
  loaded ??= grpc.loadPackageDefinition(protoLoader.loadSync(path.join(__dirname, 'echo.proto'), { keepCase: true, defaults: true }));
  return ((loaded.test as grpc.GrpcObject).echo as grpc.GrpcObject).v1 as grpc.GrpcObject;
}
const serviceOf = (name: EchoService) => (echoPackage()[name] as grpc.ServiceClientConstructor);

export interface GrpcBackend {
  readonly name: string;
  readonly port: number;
  /** The calls received so far: path and metadata. */
  readonly received: { path: string; metadata: Record<string, unknown> }[];
  close(): Promise<void>;
}

/** A gRPC server on 127.0.0.1 (h2c) serving every service of echo.proto; `delayMs` before each answer. */
export async function startGrpcBackend(name: string, options: { delayMs?: number } = {}): Promise<GrpcBackend> {
  const received: GrpcBackend['received'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const later = (f: () => void) => {
    if (!options.delayMs) return f();
    const t = setTimeout(() => { timers.delete(t); f(); }, options.delayMs);
    timers.add(t);
  };
  const server = new grpc.Server();
  for (const service of SERVICES) {
    server.addService(serviceOf(service).service, {
      Say: (call: grpc.ServerUnaryCall<{ text: string }, unknown>, callback: grpc.sendUnaryData<unknown>) => {
        const metadata = call.metadata.getMap();
        received.push({ path: call.getPath(), metadata });
        later(() => callback(null, { text: call.request.text, backend: name, path: call.getPath(), metadata: JSON.stringify(metadata) }));
      },
      Count: (call: grpc.ServerWritableStream<{ up_to: number }, unknown>) => {
        received.push({ path: call.getPath(), metadata: call.metadata.getMap() });
        later(() => {
          for (let n = 1; n <= call.request.up_to; n++) call.write({ n, backend: name });
          call.end();
        });
      },
    });
  }
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (e, p) => (e ? reject(e) : resolve(p))));
  return {
    name,
    port,
    received,
    close: () => new Promise((resolve) => {
      timers.forEach(clearTimeout);
      server.tryShutdown(() => resolve());
      // Calls still open (a test that gave up on one) do not hold the test up.
      setTimeout(() => { server.forceShutdown(); resolve(); }, 1000).unref();
    }),
  };
}

/** What a call ended with: the status code (0: OK) and details the client saw, and what it received. */
export interface CallResult<T> {
  readonly code: grpc.status;
  readonly details: string;
  readonly replies: T[];
}

export interface SayReply { text: string; backend: string; path: string; metadata: string }
export interface CountReply { n: number; backend: string }

export interface GrpcClient {
  say(service: EchoService, text: string, metadata?: Record<string, string>): Promise<CallResult<SayReply>>;
  count(service: EchoService, upTo: number, metadata?: Record<string, string>): Promise<CallResult<CountReply>>;
  close(): void;
}

/**
 * A client of 127.0.0.1:port with `authority` as the :authority (the gateway's host), in
 * cleartext (HTTP/2 with prior knowledge) or, with `ca`, over TLS trusting it (HTTP/2 by ALPN).
 * Every call has a deadline of `deadlineMs` (5 s).
 */
export function grpcClient(port: number, options: { authority: string; ca?: Buffer; deadlineMs?: number }): GrpcClient {
  const credentials = options.ca === undefined ? grpc.credentials.createInsecure() : grpc.credentials.createSsl(options.ca);
  const channelOptions: grpc.ChannelOptions = {
    'grpc.default_authority': options.authority,
    ...(options.ca === undefined ? {} : { 'grpc.ssl_target_name_override': options.authority }),
  };
  const clients = new Map<EchoService, grpc.Client>();
  const client = (service: EchoService): any => {
    let c = clients.get(service);
    if (c === undefined) {
      c = new (serviceOf(service))(`127.0.0.1:${port}`, credentials, channelOptions);
      clients.set(service, c);
    }
    return c;
  };
  const deadline = () => new Date(Date.now() + (options.deadlineMs ?? 5000));
  const meta = (record: Record<string, string>) => {
    const m = new grpc.Metadata();
    for (const [k, v] of Object.entries(record)) m.set(k, v);
    return m;
  };
  return {
    say: (service, text, metadata = {}) => new Promise((resolve) => {
      client(service).Say({ text }, meta(metadata), { deadline: deadline() }, (e: grpc.ServiceError | null, reply: SayReply) =>
        resolve(e ? { code: e.code, details: e.details, replies: [] } : { code: grpc.status.OK, details: '', replies: [reply] }));
    }),
    count: (service, upTo, metadata = {}) => new Promise((resolve) => {
      const replies: CountReply[] = [];
      const call = client(service).Count({ up_to: upTo }, meta(metadata), { deadline: deadline() });
      call.on('data', (r: CountReply) => replies.push(r));
      call.on('error', (e: grpc.ServiceError) => resolve({ code: e.code, details: e.details, replies }));
      call.on('end', () => resolve({ code: grpc.status.OK, details: '', replies }));
    }),
    close: () => clients.forEach((c) => c.close()),
  };
}

export { status as GrpcStatus } from '@grpc/grpc-js';
