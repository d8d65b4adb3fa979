/**
 * A WebSocket echo server and client for end-to-end tests, written over `http` upgrades and raw
 * sockets (RFC 6455: the handshake, text frames of up to 64 KiB, close): enough to show a gateway
 * passes an upgrade through and keeps the connection. The server listens on 127.0.0.1 and is
 * stopped by the test; every wait of the client is bounded.
 */
/* eslint-disable no-bitwise -- RFC 6455 frames are bit fields: FIN, opcode, mask bit, lengths, the XOR mask */
import { createHash, randomBytes } from 'crypto';
import * as http from 'http';
import * as net from 'net';
import * as tls from 'tls';

const GUID = '258EAFA5-E914-47DA-95CA-C5AB0DC85B11';
const accept = (key: string) => createHash('sha1').update(key + GUID).digest('base64');

/** XOR with the 4-byte mask (a client's frames are masked), into a new Buffer. */
const unmask = (data: Buffer, mask: Buffer): Buffer => Buffer.from(data.map((b, i) => b ^ mask[i % 4]));

/** A frame: FIN, the opcode, the length (7 bits or 16), masked when a client sends it. */
function frame(opcode: number, payload: Buffer, masked: boolean): Buffer {
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | payload.length])
    : Buffer.from([0x80 | opcode, (masked ? 0x80 : 0) | 126, payload.length >> 8, payload.length & 0xff]);
  if (!masked) return Buffer.concat([head, payload]);
  const mask = randomBytes(4);
  return Buffer.concat([head, mask, unmask(payload, mask)]);
}

/** The frames complete in `data`, and what is left of it. */
function parseFrames(data: Buffer): { frames: { opcode: number; payload: Buffer }[]; rest: Buffer } {
  const frames: { opcode: number; payload: Buffer }[] = [];
  let at = 0;
  while (data.length - at >= 2) {
    const opcode = data[at] & 0x0f;
    const masked = (data[at + 1] & 0x80) !== 0;
    let length = data[at + 1] & 0x7f;
    let start = at + 2;
    if (length === 126) {
      if (data.length - at < 4) break;
      length = data.readUInt16BE(at + 2);
      start += 2;
    }
    const end = start + (masked ? 4 : 0) + length;
    if (data.length < end) break;
    const mask = masked ? data.subarray(start, start + 4) : undefined;
    const body = data.subarray(end - length, end);
    frames.push({ opcode, payload: mask ? unmask(body, mask) : Buffer.from(body) });
    at = end;
  }
  return { frames, rest: data.subarray(at) };
}

export interface EchoServer {
  readonly port: number;
  /** The headers of each upgrade request received. */
  readonly upgrades: http.IncomingHttpHeaders[];
  /** The headers of each plain request received (answered 200 with them as JSON). */
  readonly requests: http.IncomingHttpHeaders[];
  close(): Promise<void>;
}

/** A server that answers WebSocket upgrades and echoes each text frame; plain requests get their headers back. */
export async function startEchoServer(): Promise<EchoServer> {
  const upgrades: http.IncomingHttpHeaders[] = [];
  const requests: http.IncomingHttpHeaders[] = [];
  const sockets = new Set<net.Socket>();
  const server = http.createServer((req, res) => {
    requests.push(req.headers);
    req.resume();
    req.on('end', () => res.end(JSON.stringify(req.headers)));
  });
  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket) => {
    upgrades.push(req.headers);
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept(String(req.headers['sec-websocket-key']))}\r\n\r\n`);
    let buffered: Buffer = Buffer.alloc(0);
    socket.on('data', (data: Buffer) => {
      const { frames, rest } = parseFrames(Buffer.concat([buffered, data]));
      buffered = rest;
      for (const f of frames) {
        if (f.opcode === 0x1) socket.write(frame(0x1, f.payload, false));
        if (f.opcode === 0x8) socket.end(frame(0x8, f.payload, false));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    upgrades,
    requests,
    close: () => new Promise((resolve) => {
      sockets.forEach((s) => s.destroy());
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface WebSocketClient {
  /** The handshake's status line and headers (lowercase names). */
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  /** Sends a text frame and resolves with the next text frame received; bounded by `timeoutMs`. */
  echo(text: string, timeoutMs?: number): Promise<string>;
  /** Resolves when the connection is closed by the other end (true), or after `timeoutMs` (false). */
  closedWithin(timeoutMs: number): Promise<boolean>;
  close(): void;
}

/** Opens a WebSocket to 127.0.0.1:port (TLS with `https`) for `host` and `path`; the handshake is bounded by 5 s. */
export function connectWebSocket(port: number, options: { host: string; path: string; https?: boolean }): Promise<WebSocketClient> {
  const key = randomBytes(16).toString('base64');
  return new Promise((resolve, reject) => {
    const socket: net.Socket = options.https
      ? tls.connect({ host: '127.0.0.1', port, servername: options.host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] })
      : net.connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => socket.destroy(new Error('no WebSocket handshake within 5 s')), 5_000);
    socket.once(options.https ? 'secureConnect' : 'connect', () => socket.write(
      `GET ${options.path} HTTP/1.1\r\nHost: ${options.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
      + `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`));
    socket.once('error', (e) => { clearTimeout(timer); reject(e); });
    let buffered: Buffer = Buffer.alloc(0);
    const received: string[] = [];
    const waiting: ((text: string) => void)[] = [];
    let closed = false;
    const onClose: (() => void)[] = [];
    socket.on('close', () => { closed = true; onClose.splice(0).forEach((f) => f()); });
    let handshake: { status: number; headers: Record<string, string> } | undefined;
    socket.on('data', (data: Buffer) => {
      buffered = Buffer.concat([buffered, data]);
      if (handshake === undefined) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end < 0) return;
        const [statusLine, ...lines] = buffered.subarray(0, end).toString('latin1').split('\r\n');
        buffered = buffered.subarray(end + 4);
        handshake = {
          status: Number(statusLine.split(' ')[1]),
          headers: Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])),
        };
        clearTimeout(timer);
        if (handshake.status === 101 && handshake.headers['sec-websocket-accept'] !== accept(key)) {
          socket.destroy();
          reject(new Error(`Sec-WebSocket-Accept ${handshake.headers['sec-websocket-accept']} does not answer the key`));
          return;
        }
        resolve(client(handshake));
      }
      const { frames, rest } = parseFrames(buffered);
      buffered = rest;
      for (const f of frames.filter((x) => x.opcode === 0x1)) {
        const next = waiting.shift();
        if (next) next(f.payload.toString('utf8'));
        else received.push(f.payload.toString('utf8'));
      }
    });
    const client = (h: { status: number; headers: Record<string, string> }): WebSocketClient => ({
      ...h,
      echo: (text, timeoutMs = 5_000) => new Promise((res, rej) => {
        const t = setTimeout(() => rej(new Error(`no echo of "${text}" within ${timeoutMs} ms`)), timeoutMs);
        const got = (answer: string) => { clearTimeout(t); res(answer); };
        const early = received.shift();
        if (early !== undefined) got(early);
        else waiting.push(got);
        socket.write(frame(0x1, Buffer.from(text, 'utf8'), true));
      }),
      closedWithin: (timeoutMs) => new Promise((res) => {
        if (closed) return res(true);
        const t = setTimeout(() => res(false), timeoutMs);
        onClose.push(() => { clearTimeout(t); res(true); });
      }),
      close: () => socket.destroy(),
    });
  });
}
