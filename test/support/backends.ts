/**
 * HTTP backends for end-to-end tests: each answers with JSON describing the request it got (its
 * name, method, path, headers), on 127.0.0.1, optionally after a delay. Stopped by the test.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface TestBackend {
  readonly name: string;
  readonly port: number;
  /** Requests received so far. */
  readonly received: { method: string; path: string; headers: http.IncomingHttpHeaders }[];
  close(): Promise<void>;
}

/** `headers`: response headers the backend sends besides its own. */
export async function startBackend(name: string,
  options: { delayMs?: number; headers?: Readonly<Record<string, string>> } = {}): Promise<TestBackend> {
  const received: TestBackend['received'] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers });
      const answer = () => {
        res.setHeader('content-type', 'application/json');
        res.setHeader('x-backend-version', '1.0.0');
        res.setHeader('cache-control', 'max-age=60');
        for (const [header, value] of Object.entries(options.headers ?? {})) res.setHeader(header, value);
        res.end(JSON.stringify({ backend: name, method: req.method, path: req.url, headers: req.headers }));
      };
      if (options.delayMs) {
        const t = setTimeout(() => { timers.delete(t); answer(); }, options.delayMs);
        timers.add(t);
      } else {
        answer();
      }
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    name,
    port: (server.address() as AddressInfo).port,
    received,
    close: () => new Promise((resolve) => {
      timers.forEach(clearTimeout);
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface Response {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  /** The header fields as received, names as sent, one entry per field line: `[name, value, name, value, ...]`. */
  readonly rawHeaders: readonly string[];
  readonly body: string;
  json(): any;
}

/** One request to 127.0.0.1:port with a Host header; bounded by a timeout. */
export interface RequestOptions {
  readonly host: string;
  readonly path: string;
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly https?: boolean;
  /** A client certificate (PEM) and its key, presented in the TLS handshake. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
}

export function request(port: number, options: RequestOptions): Promise<Response> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const transport: typeof http = options.https ? require('https') : http;
  return new Promise((resolve, reject) => {
    const req = transport.request({
      host: '127.0.0.1',
      port,
      path: options.path,
      method: options.method ?? 'GET',
      headers: { host: options.host, ...options.headers },
      servername: options.host,
      rejectUnauthorized: false,
      cert: options.clientCertificate?.cert,
      key: options.clientCertificate?.key,
      timeout: 15_000,
      agent: false,
    } as http.RequestOptions, (res) => {
      let body = '';
      res.on('data', (d) => { body += String(d); });
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, rawHeaders: res.rawHeaders, body, json: () => JSON.parse(body) }));
    });
    req.on('timeout', () => req.destroy(new Error('request timed out')));
    req.on('error', reject);
    req.end(options.body);
  });
}
