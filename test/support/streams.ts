/**
 * Stream backends for end-to-end tests: a TLS server with its own certificate (made with openssl
 * for its SNI names), answering each line with its name and the line, and a TCP echo server.
 * Both listen on 127.0.0.1 and count their connections; the test closes them. Every wait of the
 * clients is bounded.
 */
import { execFileSync } from 'child_process';
import { X509Certificate } from 'crypto';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import * as tls from 'tls';

export interface StreamBackend {
  readonly port: number;
  /** TCP connections accepted so far (for TLS: before any handshake). */
  readonly connections: () => number;
  /** The server's certificate (PEM): a client that trusts it alone reached this server. */
  readonly certificate?: string;
  close(): Promise<void>;
}

/** A self-signed certificate for `names` (the first is the subject), made with openssl. */
export function certificateFor(names: readonly string[]): { cert: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-sni-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${names[0]}`,
      '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      '-keyout', path.join(dir, 'tls.key'), '-out', path.join(dir, 'tls.crt')], { stdio: 'ignore', timeout: 20_000 });
    return { cert: fs.readFileSync(path.join(dir, 'tls.crt'), 'utf8'), key: fs.readFileSync(path.join(dir, 'tls.key'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function listening(server: net.Server, count: () => number, certificate?: string): Promise<StreamBackend> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({
      port: (server.address() as net.AddressInfo).port,
      connections: count,
      certificate,
      close: () => new Promise((done) => server.close(() => done())),
    }));
  });
}

/** A TLS server for `names` that answers each chunk with `<name>:<chunk>`: it terminates TLS itself. */
export function startTlsBackend(name: string, names: readonly string[]): Promise<StreamBackend> {
  const { cert, key } = certificateFor(names);
  let connections = 0;
  const server = tls.createServer({ cert, key }, (socket) => {
    socket.on('data', (chunk) => socket.write(`${name}:${chunk.toString('utf8')}`));
    socket.on('error', () => socket.destroy());
  });
  server.on('connection', () => connections++);
  server.on('tlsClientError', () => undefined);
  return listening(server, () => connections, cert);
}

/** A TCP server that echoes every byte back. */
export function startTcpEcho(): Promise<StreamBackend> {
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    socket.on('data', (chunk) => socket.write(chunk));
    socket.on('error', () => socket.destroy());
  });
  return listening(server, () => connections);
}

/** What a TLS client saw: the certificate the server presented and the answer to `payload`, or how it ended. */
export interface TlsOutcome {
  readonly handshake: boolean;
  /** The SHA-256 fingerprint of the certificate presented. */
  readonly fingerprint?: string;
  readonly answer?: string;
  readonly error?: string;
}

/**
 * Connects with TLS to 127.0.0.1:`port` naming `servername` (SNI), trusting `ca` only, sends
 * `payload` once the handshake completes and waits for the first answer; bounded by 5 s.
 */
export function tlsExchange(port: number, servername: string, ca: string, payload: string): Promise<TlsOutcome> {
  return new Promise((resolve) => {
    let handshake = false;
    let fingerprint: string | undefined;
    const socket = tls.connect({ host: '127.0.0.1', port, servername, ca });
    const finish = (outcome: Omit<TlsOutcome, 'handshake' | 'fingerprint'>) => {
      clearTimeout(timer);
      socket.destroy();
      resolve({ handshake, fingerprint, ...outcome });
    };
    const timer = setTimeout(() => finish({ error: 'timeout' }), 5_000);
    socket.once('secureConnect', () => {
      handshake = true;
      fingerprint = new X509Certificate(socket.getPeerX509Certificate()!.raw).fingerprint256;
      socket.write(payload);
    });
    socket.once('data', (chunk) => finish({ answer: chunk.toString('utf8') }));
    socket.once('error', (e) => finish({ error: e.message }));
    socket.once('close', () => finish({ error: 'closed' }));
  });
}

/** The SHA-256 fingerprint of a PEM certificate, as `tlsExchange` reports it. */
export const fingerprintOf = (pem: string) => new X509Certificate(pem).fingerprint256;

/** Sends `payload` over TCP to 127.0.0.1:`port` and collects `payload.length` bytes back; bounded by 5 s. */
export function tcpExchange(port: number, payload: Buffer): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const socket = net.connect(port, '127.0.0.1', () => socket.write(payload));
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`timeout after ${received} bytes`)); }, 5_000);
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received >= payload.length) {
        clearTimeout(timer);
        socket.destroy();
        resolve(Buffer.concat(chunks));
      }
    });
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
  });
}
