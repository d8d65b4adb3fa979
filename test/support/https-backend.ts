/**
 * An HTTPS backend for end-to-end tests of TLS to the backend: a test CA and a server certificate
 * it issues (made by openssl), and a server on 127.0.0.1 that answers with JSON describing the
 * connection it got: the TLS server name (SNI) the client sent, and that it was TLS. Stopped by the test.
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as https from 'https';
import { AddressInfo } from 'net';
import * as os from 'os';
import * as path from 'path';
import { TLSSocket } from 'tls';

/** A CA: its certificate and key (PEM). */
export interface TestCa {
  readonly crt: string;
  readonly key: string;
}

function openssl(dir: string, args: string[]): void {
  execFileSync('openssl', args, { cwd: dir, stdio: 'ignore', timeout: 20_000 });
}

/** A self-signed CA certificate (CA:TRUE), made by openssl. */
export function testCa(commonName: string): TestCa {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-ca-'));
  try {
    openssl(dir, ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${commonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', 'ca.key', '-out', 'ca.crt']);
    return { crt: fs.readFileSync(path.join(dir, 'ca.crt'), 'utf8'), key: fs.readFileSync(path.join(dir, 'ca.key'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A server certificate for `dnsName`, issued by `ca`. */
export function issueCertificate(ca: TestCa, dnsName: string): { crt: string; key: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-cert-'));
  try {
    fs.writeFileSync(path.join(dir, 'ca.crt'), ca.crt);
    fs.writeFileSync(path.join(dir, 'ca.key'), ca.key);
    fs.writeFileSync(path.join(dir, 'ext.cnf'), `subjectAltName=DNS:${dnsName}\n`);
    openssl(dir, ['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${dnsName}`, '-keyout', 'tls.key', '-out', 'tls.csr']);
    openssl(dir, ['x509', '-req', '-in', 'tls.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '1', '-extfile', 'ext.cnf', '-out', 'tls.crt']);
    return { crt: fs.readFileSync(path.join(dir, 'tls.crt'), 'utf8'), key: fs.readFileSync(path.join(dir, 'tls.key'), 'utf8') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export interface HttpsBackend {
  readonly port: number;
  /** Requests answered so far: path, the SNI the client sent (false when none), and whether it came over TLS. */
  readonly received: { path: string; servername: string | false; encrypted: boolean }[];
  close(): Promise<void>;
}

/** An HTTPS server with `certificate`, on 127.0.0.1. */
export async function startHttpsBackend(certificate: { crt: string; key: string }): Promise<HttpsBackend> {
  const received: HttpsBackend['received'] = [];
  const server = https.createServer({ cert: certificate.crt, key: certificate.key }, (req, res) => {
    req.resume();
    req.on('end', () => {
      const socket = req.socket as TLSSocket;
      const seen = { path: req.url!, servername: socket.servername ?? false, encrypted: socket.encrypted === true };
      received.push(seen);
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ backend: 'https', ...seen }));
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
