/**
 * Why the NGINX engine refuses session affinity, observed on the real nginx: a backend's pods are
 * one DNS name (a headless Service) resolving to several addresses, and nginx OSS balances such
 * a name as one `server`. Here the name resolves, through an /etc/hosts of nginx's own (a mount
 * namespace: the machine's file is untouched), to three loopback backends that answer with their
 * address. The configurations are written here, not by the library: they are what the engine
 * would have to render.
 */
import { ChildProcess, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as os from 'os';
import * as path from 'path';
import { freePort } from '../support/nginx';

jest.setTimeout(60_000);

const NAME = 'orders-pods.shop.svc.cluster.local';
const PODS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

let backendPort: number;
const backends: http.Server[] = [];

beforeAll(async () => {
  backendPort = await freePort();
  for (const address of PODS) {
    const server = http.createServer((_req, res) => res.end(address));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(backendPort, address, resolve));
    backends.push(server);
  }
});

afterAll(async () => {
  await Promise.all(backends.map((s) => new Promise((resolve) => s.close(resolve))));
});

/** nginx with `upstream` (its balancing and servers) in front, resolving NAME by `hosts`; the body of `run` while it serves. */
async function withNginx(upstream: string[], hosts: string[], run: (port: number) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-hash-'));
  const port = await freePort();
  fs.writeFileSync(path.join(dir, 'hosts'), ['127.0.0.1 localhost', ...hosts.map((a) => `${a} ${NAME}`), ''].join('\n'));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), [
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'daemon off;',
    'events {}',
    'http {',
    '  access_log off;',
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `  ${t}_temp_path ${dir};`),
    '  upstream pods {',
    ...upstream.map((l) => `    ${l}`),
    '  }',
    `  server { listen 127.0.0.1:${port}; location / { proxy_pass http://pods; } }`,
    '}',
    '',
  ].join('\n'));
  fs.chmodSync(dir, 0o755);
  // nginx resolves the upstream's name when it starts, from the /etc/hosts bound over the
  // machine's in its own mount namespace (a user namespace makes it root there, as root or a normal
  // user), then runs as uid 101 in a nested user namespace, as the engine's image does.
  const script = 'mount --bind "$1/hosts" /etc/hosts && exec unshare --user --map-user=101 --map-group=101 nginx -p "$1" -c "$1/nginx.conf"';
  const child: ChildProcess = spawn('unshare', ['--user', '--map-root-user', '--mount', '--fork', 'sh', '-c', script, 'sh', dir],
    { stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr!.on('data', (d) => { stderr += String(d); });
  const killer = setTimeout(() => child.kill('SIGKILL'), 50_000);
  try {
    for (let i = 0; ; i++) {
      if (child.exitCode !== null) throw new Error(`nginx exited: ${stderr}`);
      if (await get(port, '').then(() => true, () => false)) break;
      if (i > 100) throw new Error(`nginx did not start: ${stderr}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    await run(port);
  } finally {
    clearTimeout(killer);
    const exited = new Promise((resolve) => child.once('exit', resolve));
    if (child.exitCode === null) process.kill(-child.pid!, 'SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The answering backend of a request with cookie `route=<value>`. */
function get(port: number, value: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path: '/', agent: false, headers: value === '' ? {} : { cookie: `route=${value}` } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += String(d); });
      res.on('end', () => (res.statusCode === 200 ? resolve(body) : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
  });
}

/** The backends each cookie value reached, over `times` requests each. */
async function reached(port: number, values: string[], times: number): Promise<Map<string, Set<string>>> {
  const out = new Map<string, Set<string>>();
  for (const value of values) {
    const seen = new Set<string>();
    for (let i = 0; i < times; i++) seen.add(await get(port, value));
    out.set(value, seen);
  }
  return out;
}

const VALUES = Array.from({ length: 12 }, (_, i) => `client-${i}`);

describe('nginx OSS hashing over one name resolving to several pods', () => {
  test('the name resolves to every pod: plain round robin reaches the three', async () => {
    await withNginx([`server ${NAME}:PORT;`].map(withPort), PODS, async (port) => {
      const seen = new Set<string>();
      for (let i = 0; i < 6; i++) seen.add(await get(port, ''));
      expect([...seen].sort()).toEqual(PODS);
    });
  });

  test('`hash ... consistent` does not pin: the addresses of one server share its ring points and take turns', async () => {
    await withNginx(['hash $cookie_route consistent;', `server ${NAME}:PORT;`].map(withPort), PODS, async (port) => {
      for (const [, seen] of await reached(port, VALUES, 6)) expect(seen.size).toBeGreaterThan(1);
    });
  });

  test('with a `server` per pod address, the same ring pins each cookie to one pod and spreads the cookies', async () => {
    await withNginx(['hash $cookie_route consistent;', ...PODS.map((a) => `server ${a}:PORT;`)].map(withPort), PODS, async (port) => {
      const result = await reached(port, VALUES, 6);
      for (const [, seen] of result) expect(seen.size).toBe(1);
      expect(new Set([...result.values()].map((s) => [...s][0])).size).toBeGreaterThan(1);
    });
  });

  test('plain `hash` pins, by position in the order the name resolved: a gateway pod that resolved it in another order sends cookies elsewhere', async () => {
    const pinned = async (order: string[]) => {
      let result = new Map<string, Set<string>>();
      await withNginx(['hash $cookie_route;', `server ${NAME}:PORT;`].map(withPort), order, async (port) => { result = await reached(port, VALUES, 4); });
      for (const [, seen] of result) expect(seen.size).toBe(1);
      return VALUES.map((v) => [...result.get(v)!][0]);
    };
    const one = await pinned(PODS);
    const other = await pinned([...PODS].reverse());
    expect(new Set(one).size).toBeGreaterThan(1);
    expect(other.filter((pod, i) => pod !== one[i]).length).toBeGreaterThan(0);
  });
});

function withPort(line: string): string {
  return line.replace('PORT', String(backendPort));
}
