/**
 * A request as nginx holds it while it processes it: the raw URI and the normalized one
 * (`$uri`), the variables set so far, the last regex's captures; and nginx's built-in variables.
 */
import { RouteRequest } from './model';
import { Unknown, Value } from './nginx-values';

/** Variables of the connection or the peer, which a request table does not give. */
const CONNECTION_VARIABLES = new Set([
  'remote_addr', 'binary_remote_addr', 'remote_port', 'remote_user', 'proxy_add_x_forwarded_for', 'realip_remote_addr',
  'request_id', 'connection', 'connection_requests', 'pid', 'hostname', 'server_addr', 'request_time', 'request_length',
]);

export class NginxRequest {
  /** The normalized, decoded path (`$uri`). */
  public uri: string;
  /** The query string, without `?` (`$args`). */
  public args: string;
  /** Set once a rewrite changed the URI: proxy_pass without a URI part then sends `$uri`, not the client's. */
  public uriChanged = false;
  /** A rewrite in the current location changed the URI (proxy_pass then ignores its URI part). */
  public rewrittenHere = false;
  /** An internal redirect happened: `internal` locations are reachable. */
  public internal = false;
  /** An error page is being served (recursive_error_pages is off). */
  public inErrorPage = false;
  public captures: string[] = [];
  public readonly vars = new Map<string, Value>();
  public readonly method: string;
  public readonly requestUri: string;
  /** Request headers, names lower-case. */
  public readonly headers: Map<string, string>;

  constructor(request: RouteRequest, public readonly scheme: 'http' | 'https', public readonly port: number, public serverName = '') {
    this.method = request.method.toUpperCase();
    this.requestUri = request.path === '' ? '/' : request.path;
    this.headers = new Map(Object.entries(request.headers).map(([k, v]) => [k.toLowerCase(), v]));
    if (!this.headers.has('host')) this.headers.set('host', request.host);
    const q = this.requestUri.indexOf('?');
    this.uri = normalizePath(q < 0 ? this.requestUri : this.requestUri.slice(0, q));
    this.args = q < 0 ? '' : this.requestUri.slice(q + 1);
  }

  /** A copy, for a subrequest. */
  public copy(): NginxRequest {
    const copy = Object.create(NginxRequest.prototype) as NginxRequest;
    Object.assign(copy, this);
    (copy as any).headers = new Map(this.headers);
    (copy as any).vars = new Map(this.vars);
    return copy;
  }

  /** A copy with one header changed (undefined: removed), for what an edit does with and without it. */
  public withHeader(name: string, value: string | undefined): NginxRequest {
    const copy = this.copy();
    if (value === undefined) copy.headers.delete(name);
    else copy.headers.set(name, value);
    return copy;
  }

  /** `$host`: the Host header's name, lower-case, without its port; else the server's name. */
  public get host(): string {
    const h = (this.headers.get('host') ?? '').toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
    return h === '' ? this.serverName : h;
  }

  /** A built-in variable; undefined when nginx has none of that name. */
  public builtin(name: string): Value | undefined {
    if (/^[0-9]$/.test(name)) return this.captures[Number(name)] ?? '';
    switch (name) {
      case 'uri': case 'document_uri': return this.uri;
      case 'args': case 'query_string': return this.args;
      case 'is_args': return this.args === '' ? '' : '?';
      case 'request_uri': return this.requestUri;
      case 'request_method': return this.method;
      case 'scheme': return this.scheme;
      case 'https': return this.scheme === 'https' ? 'on' : '';
      case 'host': return this.host;
      case 'server_port': return String(this.port);
      case 'server_name': return this.serverName;
      case 'server_protocol': return 'HTTP/1.1';
      case 'content_type': return this.headers.get('content-type') ?? '';
      case 'content_length': return this.headers.get('content-length') ?? '';
      case 'msec': { const now = Date.now(); return `${Math.floor(now / 1000)}.${String(now % 1000).padStart(3, '0')}`; }
      case 'time_iso8601': return new Date().toISOString().replace(/\.\d{3}Z$/, '+00:00');
    }
    if (name.startsWith('http_')) return this.headers.get(name.slice(5).replace(/_/g, '-')) ?? '';
    if (name.startsWith('arg_')) return argument(this.args, name.slice(4));
    if (name.startsWith('cookie_')) return cookie(this.headers.get('cookie') ?? '', name.slice(7));
    if (CONNECTION_VARIABLES.has(name) || name.startsWith('ssl_')) return new Unknown(`$${name}: the connection is not part of the request`);
    if (name.startsWith('upstream_') || name.startsWith('sent_http_')) return new Unknown(`$${name}: a response is not part of the request`);
    return undefined;
  }
}

/** `$arg_name`: the first argument of that name (names compare case-insensitively), as sent. */
function argument(args: string, name: string): string {
  for (const pair of args.split('&')) {
    const eq = pair.indexOf('=');
    if ((eq < 0 ? pair : pair.slice(0, eq)).toLowerCase() === name.toLowerCase()) return eq < 0 ? '' : pair.slice(eq + 1);
  }
  return '';
}

function cookie(header: string, name: string): string {
  for (const part of header.split(/;\s*/)) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).toLowerCase() === name.toLowerCase()) return part.slice(eq + 1);
  }
  return '';
}

/**
 * The path as nginx normalizes it (ngx_http_parse_complex_uri): percent-decoded, runs of "/"
 * merged (merge_slashes on), "." and ".." segments resolved; above the root, or a bad escape, is
 * a 400, thrown as such.
 */
export function normalizePath(raw: string): string {
  let decoded = '';
  for (let i = 0; i < raw.length; i++) {
    if (raw[i] === '%') {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) throw new BadRequest(`a bad percent escape in ${JSON.stringify(raw)}`);
      decoded += String.fromCharCode(parseInt(hex, 16));
      i += 2;
    } else {
      decoded += raw[i];
    }
  }
  if (!decoded.startsWith('/')) throw new BadRequest(`the path ${JSON.stringify(raw)} does not start with "/"`);
  const out: string[] = [];
  const segments = decoded.split('/').slice(1);
  segments.forEach((s, i) => {
    const last = i === segments.length - 1;
    if (s === '.' || (s === '' && !last)) {
      if (last) out.push('');
      return;
    }
    if (s === '..') {
      if (out.length === 0) throw new BadRequest(`the path ${JSON.stringify(raw)} leaves the root`);
      out.pop();
      if (last) out.push('');
      return;
    }
    out.push(s);
  });
  return `/${out.join('/')}`;
}

/** nginx answers the request with 400 before any configuration applies. */
export class BadRequest extends Error {}

/** The URI nginx sends upstream for a changed `$uri` (ngx_escape_uri): what may not stand in a path escaped. */
export function escapeUri(uri: string): string {
  let out = '';
  for (const ch of Buffer.from(uri, 'latin1')) {
    const c = String.fromCharCode(ch);
    out += ch <= 0x20 || ch >= 0x7f || c === '"' || c === '#' || c === '%' || c === "'" || c === '?' ? `%${ch.toString(16).toUpperCase().padStart(2, '0')}` : c;
  }
  return out;
}
