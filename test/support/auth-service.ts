/**
 * An external auth service for end-to-end tests, on 127.0.0.1: it decides by the Authorization
 * header the request carries (`Bearer allow` passes with 200 and identity headers, `Bearer deny`
 * gets 403, `Bearer broken` gets 302, none or any other 401) and records every request it gets.
 * Stopped by the test.
 */
import * as http from 'http';
import { AddressInfo } from 'net';

export interface TestAuthService {
  readonly port: number;
  /** Requests received so far. */
  readonly received: { method: string; path: string; headers: http.IncomingHttpHeaders; bodyBytes: number }[];
  close(): Promise<void>;
}

export async function startAuthService(): Promise<TestAuthService> {
  const received: TestAuthService['received'] = [];
  const server = http.createServer((req, res) => {
    let bodyBytes = 0;
    req.on('data', (d: Buffer) => { bodyBytes += d.length; });
    req.on('end', () => {
      received.push({ method: req.method!, path: req.url!, headers: req.headers, bodyBytes });
      const auth = req.headers.authorization;
      if (auth === 'Bearer allow') {
        res.setHeader('x-auth-request-user', 'alice');
        res.setHeader('x-auth-request-email', 'alice@example.com');
        // Not declared: must not reach the backend.
        res.setHeader('x-auth-internal', 'secret');
        res.statusCode = 200;
      } else if (auth === 'Bearer deny') {
        res.statusCode = 403;
      } else if (auth === 'Bearer broken') {
        res.statusCode = 302;
        res.setHeader('location', 'https://elsewhere.example.com/');
      } else {
        res.statusCode = 401;
        res.setHeader('www-authenticate', 'Bearer');
      }
      res.end('auth service says no');
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
