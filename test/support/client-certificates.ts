/** Certificate authorities and client certificates made by openssl, for the client certificate tests. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface Pem {
  readonly cert: string;
  readonly key: string;
}

/** A self-signed CA (`/CN=<name>`), and a client certificate it signs for `/CN=<client>/O=<org>`. */
export function caWithClient(name: string, client: string, org: string): { ca: Pem; client: Pem } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-ca-'));
  const at = (f: string) => path.join(dir, f);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore', timeout: 20_000 });
  try {
    openssl('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', `/CN=${name}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-keyout', at('ca.key'), '-out', at('ca.crt'));
    openssl('req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${client}/O=${org}`, '-keyout', at('client.key'), '-out', at('client.csr'));
    fs.writeFileSync(at('ext'), 'extendedKeyUsage=clientAuth\n');
    openssl('x509', '-req', '-in', at('client.csr'), '-CA', at('ca.crt'), '-CAkey', at('ca.key'), '-CAcreateserial', '-days', '1',
      '-extfile', at('ext'), '-out', at('client.crt'));
    const read = (f: string) => fs.readFileSync(at(f), 'utf8');
    return { ca: { cert: read('ca.crt'), key: read('ca.key') }, client: { cert: read('client.crt'), key: read('client.key') } };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
