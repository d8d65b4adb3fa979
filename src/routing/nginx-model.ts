/**
 * What nginx does with a request, read off its configuration: a model of the parts of nginx
 * that route (nginx.org, ngx_http_core_module: `listen`, `server_name`, `location`, `internal`,
 * `error_page`, `try_files`; ngx_http_rewrite_module: `set`, `if`, `rewrite`, `return`,
 * `break`; ngx_http_map_module, ngx_http_geo_module, ngx_http_split_clients_module;
 * ngx_http_proxy_module and ngx_http_grpc_module: `proxy_pass`/`grpc_pass` and their URI rules,
 * `proxy_set_header`, `proxy_hide_header`, `proxy_read_timeout`; ngx_http_headers_module:
 * `add_header`; ngx_http_mirror_module; ngx_http_upstream_module: `upstream` and weights).
 *
 * Access checks are not routing: the model answers for a request that passes the gateway's
 * checks (credentials, client addresses and tokens are not in the request table or not in the
 * manifests). A directive that changes where a request goes or what it becomes, and that the
 * model does not know, is an error naming it: the model never answers wrongly.
 */
import { backendName } from './engine-pod';
import { largest, sharesOf } from './engine-shares';
import { DataPlane, Forwarded, HeaderEdits, RouteRequest, RouteResult } from './model';
import { NginxDirective } from './nginx-parse';
import { BadRequest, escapeUri, NginxRequest } from './nginx-request';
import { inherited, inheritedList, Level, Location, NginxStructure, Server } from './nginx-structure';
import { expand, hasVariables, NginxModelError, pcre, Unknown, Value } from './nginx-values';

const DATA_PLANE: DataPlane = 'api-gateway-nginx';

/**
 * Request headers a proxy sets on every request (the connection's, the client's address, the
 * request id): not edits of the declaration, so not reported. The Host is the result's `host`.
 */
const PROXY_HEADERS = new Set(['host', 'connection', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host',
  'x-forwarded-port', 'x-real-ip', 'x-request-id', 'forwarded', 'content-length']);

/**
 * Response headers of the gateway's policies, not of the route's header edits: HSTS (TLS), CORS,
 * the response cache's status, a rate limit's Retry-After.
 */
const POLICY_RESPONSE_HEADERS = /^(strict-transport-security|access-control-.*|vary|x-cache-status|retry-after|www-authenticate)$/;

/** Directives that only check or observe a request (access, limits, logs, buffers, TLS): they do not route it. */
const NOT_ROUTING = new Set([
  'internal', 'allow', 'deny', 'auth_basic', 'auth_basic_user_file', 'auth_request', 'auth_request_set', 'js_access', 'limit_req',
  'limit_req_status', 'limit_conn', 'limit_conn_status', 'client_max_body_size', 'client_body_buffer_size', 'access_log', 'error_log',
  'log_subrequest', 'default_type', 'types', 'charset', 'server_tokens', 'keepalive_timeout', 'send_timeout', 'proxy_http_version',
  'proxy_buffering', 'proxy_request_buffering', 'proxy_buffer_size', 'proxy_buffers', 'proxy_connect_timeout', 'proxy_send_timeout',
  'proxy_next_upstream', 'proxy_next_upstream_tries', 'proxy_next_upstream_timeout', 'proxy_ssl_server_name', 'proxy_ssl_name',
  'proxy_ssl_verify', 'proxy_ssl_verify_depth', 'proxy_ssl_trusted_certificate', 'proxy_ssl_certificate', 'proxy_ssl_certificate_key',
  'proxy_ssl_protocols', 'proxy_cache', 'proxy_cache_methods', 'proxy_cache_key', 'proxy_cache_valid', 'proxy_cache_bypass',
  'proxy_no_cache', 'proxy_intercept_errors', 'proxy_ignore_headers', 'proxy_pass_header', 'grpc_connect_timeout', 'grpc_send_timeout',
  'grpc_next_upstream', 'grpc_next_upstream_tries', 'grpc_next_upstream_timeout', 'grpc_ssl_server_name', 'grpc_ssl_name',
  'grpc_ssl_verify', 'grpc_ssl_verify_depth', 'grpc_ssl_trusted_certificate', 'grpc_ssl_certificate', 'grpc_ssl_certificate_key',
  'grpc_intercept_errors', 'grpc_buffer_size', 'http2', 'ssl_certificate', 'ssl_certificate_key', 'ssl_protocols', 'ssl_ciphers',
  'ssl_client_certificate', 'ssl_verify_client', 'ssl_verify_depth', 'ssl_reject_handshake', 'ssl_prefer_server_ciphers',
  'set_real_ip_from', 'real_ip_header', 'real_ip_recursive', 'rewrite_log', 'uninitialized_variable_warn', 'listen', 'server_name',
  'location', 'error_page', 'recursive_error_pages', 'absolute_redirect', 'port_in_redirect', 'server_name_in_redirect',
  'proxy_set_header', 'grpc_set_header', 'proxy_hide_header', 'grpc_hide_header', 'add_header', 'proxy_read_timeout',
  'grpc_read_timeout', 'mirror', 'mirror_request_body', 'proxy_pass_request_body', 'js_import', 'js_path', 'js_var', 'js_fetch_trusted_certificate',
  'subrequest_output_buffer_size', 'chunked_transfer_encoding', 'proxy_method', 'resolver', 'resolver_timeout', 'merge_slashes',
  'underscores_in_headers', 'ignore_invalid_headers', 'large_client_header_buffers', 'client_header_buffer_size', 'expires', 'etag',
  'gzip', 'gzip_types', 'sendfile', 'tcp_nopush', 'tcp_nodelay', 'keepalive_requests', 'proxy_cookie_path', 'proxy_cookie_domain',
  'if_modified_since', 'stub_status_off',
]);

/** Answers the request itself: content the model does not follow. */
const OWN_CONTENT = ['js_content', 'stub_status', 'fastcgi_pass', 'uwsgi_pass', 'scgi_pass', 'memcached_pass', 'empty_gif', 'perl', 'root', 'alias', 'index', 'autoindex'];

type Outcome =
  | { readonly kind: 'next'; readonly level: Level }
  | { readonly kind: 'relocate' }
  | { readonly kind: 'return'; readonly code: number; readonly text?: string; readonly level: Level };

/**
 * Where nginx sends `request`, arriving on `port` (the container port), for the configuration's
 * structure. Throws NginxModelError for what the model does not know.
 */
export function routeThroughNginx(config: NginxStructure, port: number, request: RouteRequest): RouteResult {
  return new NginxRun(config, port, request).run();
}

class NginxRun {
  private readonly servers: readonly Server[];
  private readonly scheme: 'http' | 'https';
  private server?: Server;

  constructor(private readonly config: NginxStructure, private readonly port: number, private readonly request: RouteRequest) {
    this.servers = config.servers.filter((s) => s.listens.some((l) => l.port === port));
    if (this.servers.length === 0) throw new NginxModelError(`no server of the configuration listens on port ${port}`);
    this.scheme = this.servers.some((s) => s.listens.some((l) => l.port === port && l.ssl)) ? 'https' : 'http';
  }

  public run(): RouteResult {
    if (this.scheme === 'https') {
      // The TLS handshake first: the server of the SNI (the request's host) may refuse it.
      const sni = this.selectServer(new NginxRequest({ ...this.request, path: '/' }, this.scheme, this.port));
      if (sni.level.directives.some((d) => d.name === 'ssl_reject_handshake' && d.args[0] === 'on')) {
        return respond(0, 'no route: the TLS handshake is refused');
      }
    }
    let st: NginxRequest;
    try {
      st = new NginxRequest(this.request, this.scheme, this.port);
    } catch (e) {
      if (e instanceof BadRequest) return this.badRequestLine();
      throw e;
    }
    const server = this.selectServer(st);
    this.server = server;
    st.serverName = server.names[0] ?? '';
    return this.serve(server, st, true);
  }

  /**
   * A request line nginx cannot parse (a bad escape, a path above the root) is answered before the
   * Host header is read: by the port's default server, or with TLS by the server of the SNI (the
   * request's host here). Its error_page for 400 applies; one to a named location fails, as the
   * request has no URI yet ("empty URI in redirect to named location"): a 500.
   */
  private badRequestLine(): RouteResult {
    const server = this.scheme === 'https' ? this.selectServer(new NginxRequest({ ...this.request, path: '/' }, this.scheme, this.port))
      : this.servers.find((s) => s.listens.some((l) => l.port === this.port && l.defaultServer)) ?? this.servers[0];
    const page = inheritedList(server.level, 'error_page').find((d) => d.args.slice(0, -1).includes('400'));
    if (page !== undefined && page.args[page.args.length - 1].startsWith('@')) return respond(500, 'internal error');
    if (page !== undefined) throw new NginxModelError(`${page.at}: an error page for a bad request line is not modelled`);
    return respond(400, 'bad request');
  }

  /**
   * ngx_http_core_module, server_name: exact name, longest leading wildcard, longest trailing
   * wildcard, first regex; else the port's default server.
   */
  private selectServer(st: NginxRequest): Server {
    const host = st.host;
    const named = (test: (name: string) => number | boolean) => {
      let best: Server | undefined;
      let bestScore = 0;
      for (const s of this.servers) {
        for (const name of s.names) {
          const score = Number(test(name.toLowerCase()));
          if (score > bestScore) { best = s; bestScore = score; }
        }
      }
      return best;
    };
    const exact = named((n) => !n.startsWith('~') && !n.includes('*') && !n.startsWith('.') && n === host);
    if (exact) return exact;
    const leading = named((n) => (n.startsWith('*.') && host.endsWith(n.slice(1)) ? n.length
      : n.startsWith('.') && (host === n.slice(1) || host.endsWith(n)) ? n.length : 0));
    if (leading) return leading;
    const trailing = named((n) => (n.endsWith('.*') && host.startsWith(n.slice(0, -1)) ? n.length : 0));
    if (trailing) return trailing;
    for (const s of this.servers) {
      for (const name of s.names) {
        const m = name.startsWith('~') ? pcre(name.slice(1)).exec(host) : null;
        // Its captures are variables of the request.
        if (m !== null) {
          setCaptures(st, m);
          return s;
        }
      }
    }
    return this.servers.find((s) => s.listens.some((l) => l.port === this.port && l.defaultServer)) ?? this.servers[0];
  }

  /** The server's rewrite phase (for a new request or a URI redirect), then location after location. */
  private serve(server: Server, st: NginxRequest, serverRewrite: boolean): RouteResult {
    if (serverRewrite) {
      const outcome = this.rewritePhase(server.level, st);
      if (outcome.kind === 'return') return this.finish(server, outcome, st);
    }
    for (let cycle = 0; cycle < 10; cycle++) {
      const location = findLocation(server.locations, st);
      if (location === undefined) return this.content(server, server.level, undefined, st);
      if (location.internal && !st.internal) return this.finish(server, { kind: 'return', code: 404, level: location.level }, st);
      st.rewrittenHere = false;
      const outcome = this.rewritePhase(location.level, st);
      if (outcome.kind === 'relocate') {
        st.internal = true;
        continue;
      }
      if (outcome.kind === 'return') return this.finish(server, outcome, st);
      return this.content(server, outcome.level, location, st);
    }
    // nginx: "rewrite or internal redirection cycle", a 500.
    return respond(500, 'internal redirection cycle');
  }

  /** A named location (try_files, error_page): its rewrite phase and content, without the server's. */
  private serveNamed(server: Server, name: string, st: NginxRequest, at: string): RouteResult {
    const location = server.named.get(name);
    if (location === undefined) throw new NginxModelError(`${at}: no location @${name}`);
    st.internal = true;
    const outcome = this.rewritePhase(location.level, st);
    if (outcome.kind === 'relocate') return this.serve(server, st, false);
    if (outcome.kind === 'return') return this.finish(server, outcome, st);
    return this.content(server, outcome.level, location, st);
  }

  /**
   * ngx_http_rewrite_module: the level's `set`, `if`, `rewrite`, `return`, `break` in order. A
   * true `if` runs its block, whose configuration then applies (it inherits the location's).
   */
  private rewritePhase(level: Level, st: NginxRequest, mirror = false): Outcome {
    let active = level;
    let changed = false;
    for (const d of level.directives) {
      switch (d.name) {
        case 'set':
          st.vars.set(variableArg(d.args[0], d), this.value(d.args[1] ?? '', st));
          break;
        case 'break':
          return { kind: 'next', level: active };
        case 'return':
          return returnOutcome(d, active, (t) => this.value(t, st));
        case 'rewrite': {
          const r = this.rewrite(d, st);
          if (r === 'last') return { kind: 'relocate' };
          if (r === 'break') return { kind: 'next', level: active };
          if (r !== undefined && r !== 'changed') return { ...r, level: active };
          if (r === 'changed') changed = true;
          break;
        }
        case 'if': {
          const holds = this.condition(d, st, mirror);
          if (!holds) break;
          const inner: Level = { directives: d.block ?? [], parent: level };
          const outcome = this.rewritePhase(inner, st, mirror);
          if (outcome.kind !== 'next') return outcome;
          active = outcome.level;
          break;
        }
        default:
          break;
      }
    }
    return changed ? { kind: 'relocate' } : { kind: 'next', level: active };
  }

  /** `rewrite regex replacement [flag]` on `$uri`: undefined when it does not match. */
  private rewrite(d: NginxDirective, st: NginxRequest): 'last' | 'break' | 'changed' | { kind: 'return'; code: number; text: string } | undefined {
    const [regex, replacement, flag] = d.args;
    const m = pcre(regex).exec(st.uri);
    if (m === null) return undefined;
    setCaptures(st, m);
    const value = this.value(replacement, st);
    if (value instanceof Unknown) throw new NginxModelError(`${d.at}: the rewrite's target depends on ${value.why}`);
    const keepArgs = !value.endsWith('?');
    const target = keepArgs ? value : value.slice(0, -1);
    if (/^(https?:\/\/|\$scheme)/.test(replacement) || /^https?:\/\//.test(target)) {
      const location = keepArgs && st.args !== '' ? `${target}${target.includes('?') ? '&' : '?'}${st.args}` : target;
      return { kind: 'return', code: flag === 'permanent' ? 301 : 302, text: location };
    }
    const q = target.indexOf('?');
    st.uri = q < 0 ? target : target.slice(0, q);
    if (q >= 0) st.args = keepArgs && st.args !== '' ? `${target.slice(q + 1)}&${st.args}` : target.slice(q + 1);
    else if (!keepArgs) st.args = '';
    st.uriChanged = true;
    st.rewrittenHere = true;
    if (flag === 'redirect' || flag === 'permanent') {
      return { kind: 'return', code: flag === 'permanent' ? 301 : 302, text: `${st.uri}${st.args === '' ? '' : `?${st.args}`}` };
    }
    if (flag === 'last' || flag === 'break') return flag;
    if (flag !== undefined) throw new NginxModelError(`${d.at}: rewrite flag "${flag}"`);
    return 'changed';
  }

  /**
   * An `if` condition: a variable (false when "" or "0"), `=`/`!=` a value, `~`/`~*`/`!~`/`!~*` a
   * regex. A condition on a value the manifests do not determine (a client address, a credential)
   * is taken as passed when its block only refuses (a 4xx): the model answers for requests that
   * pass the checks; in a mirror's subrequest, a sample (split_clients) is taken as sampled.
   */
  private condition(d: NginxDirective, st: NginxRequest, mirror: boolean): boolean {
    const args = [...d.args];
    if (args.length > 0 && args[args.length - 1] === ')') args.pop();
    args[0] = (args[0] ?? '').replace(/^\(/, '');
    args[args.length - 1] = args[args.length - 1].replace(/\)$/, '');
    if (args.length === 2 || /^!?-[fdex]$/.test(args[0])) throw new NginxModelError(`${d.at}: file checks in "if" are not modelled`);
    const subject = this.value(args[0], st);
    if (subject instanceof Unknown) {
      const block = d.block ?? [];
      const refuses = block.length > 0 && block.every((x) => x.name === 'return' && Number(x.args[0]) >= 400 && Number(x.args[0]) < 500);
      const skipsMirror = mirror && block.every((x) => x.name === 'return');
      if (refuses || skipsMirror) return false;
      throw new NginxModelError(`${d.at}: the condition depends on ${subject.why}`);
    }
    if (args.length === 1) return subject !== '' && subject !== '0';
    const [, op, operand] = args;
    if (op === '=' || op === '!=') {
      const v = this.value(operand, st);
      if (v instanceof Unknown) throw new NginxModelError(`${d.at}: the condition depends on ${v.why}`);
      return (subject === v) === (op === '=');
    }
    if (!['~', '~*', '!~', '!~*'].includes(op)) throw new NginxModelError(`${d.at}: the condition operator "${op}"`);
    const m = pcre(operand, op.endsWith('*')).exec(subject);
    if (m !== null) setCaptures(st, m);
    return (m !== null) === !op.startsWith('!');
  }

  /** After a `return`: a redirect, the response itself, or (a code alone) the error page for it. */
  private finish(server: Server, outcome: Extract<Outcome, { kind: 'return' }>, st: NginxRequest): RouteResult {
    const { code, text, level } = outcome;
    if (REDIRECT_CODES.includes(code) && text !== undefined) return redirect(code, absolute(text, st));
    if (text !== undefined || code < 400) return respond(code, reasonOf(code));
    const page = st.inErrorPage ? undefined : inheritedList(level, 'error_page').find((d) => d.args.slice(0, -1).includes(String(code)));
    if (page === undefined) return respond(code, reasonOf(code));
    st.inErrorPage = true;
    const target = page.args[page.args.length - 1];
    const override = page.args.find((a) => /^=\d*$/.test(a));
    const status = override === undefined || override === '=' ? undefined : Number(override.slice(1));
    if (/^https?:\/\//.test(target) || /^\$scheme/.test(target)) {
      const url = this.value(target, st);
      if (url instanceof Unknown) throw new NginxModelError(`${page.at}: the error page's URL depends on ${url.why}`);
      return redirect(status !== undefined && REDIRECT_CODES.includes(status) ? status : 302, url);
    }
    let result: RouteResult;
    if (target.startsWith('@')) {
      result = this.serveNamed(server, target.slice(1), st, page.at);
    } else {
      const uri = this.value(target, st);
      if (uri instanceof Unknown) throw new NginxModelError(`${page.at}: the error page's URI depends on ${uri.why}`);
      st.uri = uri;
      st.internal = true;
      st.uriChanged = true;
      result = this.serve(server, st, true);
    }
    if (result.kind === 'forward') throw new NginxModelError(`${page.at}: an error page served by a backend is not modelled`);
    return result.kind === 'respond' && status !== undefined ? respond(status, reasonOf(status)) : result;
  }

  /** The content phase: try_files, proxy_pass/grpc_pass; what answers by itself is refused. */
  private content(server: Server, level: Level, location: Location | undefined, st: NginxRequest): RouteResult {
    this.checkRouting(level);
    const tryFiles = location === undefined ? undefined : ownDirective(location.level, 'try_files');
    if (tryFiles !== undefined) {
      // The gateway serves no files (its root has none of the names tried): the last parameter applies.
      const last = tryFiles.args[tryFiles.args.length - 1];
      if (last.startsWith('@')) return this.serveNamed(server, last.slice(1), st, tryFiles.at);
      if (/^=\d+$/.test(last)) return this.finish(server, { kind: 'return', code: Number(last.slice(1)), level }, st);
      const uri = this.value(last, st);
      if (uri instanceof Unknown) throw new NginxModelError(`${tryFiles.at}: the URI depends on ${uri.why}`);
      st.uri = uri;
      st.internal = true;
      st.uriChanged = true;
      return this.serve(server, st, true);
    }
    const pass = handler(level, location, 'proxy_pass') ?? handler(level, location, 'grpc_pass');
    if (pass !== undefined) return this.forward(level, location, pass, st);
    const own = OWN_CONTENT.map((name) => handler(level, location, name)).find((d) => d !== undefined);
    if (own !== undefined) throw new NginxModelError(`${own.at}: "${own.name}" answers the request itself: not modelled`);
    throw new NginxModelError(`${location?.at ?? 'the server'}: the request is served from files (no proxy_pass, return or try_files): not modelled`);
  }

  /** Refuses a directive the model does not know in the levels a request's content runs under. */
  private checkRouting(level: Level | undefined): void {
    for (let l = level; l !== undefined && l !== this.config.http; l = l.parent) {
      for (const d of l.directives) {
        if (NOT_ROUTING.has(d.name) || OWN_CONTENT.includes(d.name)) continue;
        if (['set', 'if', 'rewrite', 'return', 'break', 'try_files', 'proxy_pass', 'grpc_pass', 'server'].includes(d.name)) continue;
        throw new NginxModelError(`${d.at}: the directive "${d.name}" is not modelled`);
      }
    }
  }

  /** ngx_http_proxy_module, proxy_pass: the URI sent, the upstream's servers, the edits of the request and the response. */
  private forward(level: Level, location: Location | undefined, pass: NginxDirective, st: NginxRequest): Forwarded {
    const grpc = pass.name === 'grpc_pass';
    const prefix = grpc ? 'grpc' : 'proxy';
    const raw = pass.args[0];
    const url = this.value(raw, st);
    if (url instanceof Unknown) throw new NginxModelError(`${pass.at}: the ${pass.name} target depends on ${url.why}`);
    const m = /^(https?|grpcs?):\/\/([^/?]+)([\s\S]*)$/.exec(url);
    if (m === null) throw new NginxModelError(`${pass.at}: the ${pass.name} target ${JSON.stringify(url)} is not a URL`);
    const [, scheme, authority, uriPart] = m;
    const clientUri = st.uriChanged ? `${escapeUri(st.uri)}${st.args === '' ? '' : `?${st.args}`}` : st.requestUri;
    let path: string;
    if (uriPart === '') {
      path = clientUri;
    } else if (grpc) {
      throw new NginxModelError(`${pass.at}: grpc_pass takes no URI`);
    } else if (hasVariables(raw)) {
      // With variables, the URI written replaces the request's whole (proxy_pass docs).
      path = uriPart;
    } else if (st.rewrittenHere) {
      // The URI was changed by a rewrite in this location: the URI written is ignored, the changed URI is sent.
      path = clientUri;
    } else {
      if (location === undefined || !['', '^~', '='].includes(location.modifier) || level !== location.level) {
        throw new NginxModelError(`${pass.at}: proxy_pass with a URI outside a prefix location is not modelled`);
      }
      // The part of the normalized URI that matched the location is replaced by the URI written.
      path = `${uriPart}${escapeUri(st.uri.slice(location.pattern.length))}${st.args === '' ? '' : `?${st.args}`}`;
    }
    if (inherited(level, `${prefix}_pass_request_headers`)?.args[0] === 'off') {
      throw new NginxModelError(`${pass.at}: ${prefix}_pass_request_headers off is not modelled`);
    }
    const { backends, proxyHost } = this.upstream(authority, scheme);
    const setHeaders = inheritedList(level, `${prefix}_set_header`);
    const hostDirective = setHeaders.filter((d) => d.args[0].toLowerCase() === 'host').pop();
    const host = hostDirective === undefined ? proxyHost : this.known(hostDirective.args[1] ?? '', st, hostDirective, { proxy_host: proxyHost });
    const timeout = inherited(level, `${prefix}_read_timeout`)?.args[0];
    const requestHeaders = this.requestEdits(setHeaders, st, proxyHost);
    const responseHeaders = this.responseEdits(level, prefix, st);
    const mirrors = grpc ? [] : this.mirrors(level, st);
    const shares = sharesOf(backends);
    return {
      kind: 'forward',
      dataPlane: DATA_PLANE,
      backend: largest(shares),
      backends: shares,
      host,
      path,
      ...(timeout === undefined ? {} : { timeout }),
      ...(requestHeaders === undefined ? {} : { requestHeaders }),
      ...(responseHeaders === undefined ? {} : { responseHeaders }),
      ...(mirrors.length === 0 ? {} : { mirrors }),
    };
  }

  /** The backends of a proxy_pass authority (an upstream's servers, or the host itself) and `$proxy_host`. */
  private upstream(authority: string, scheme: string): { backends: [string, number][]; proxyHost: string } {
    const defaultPort = scheme === 'https' || scheme === 'grpcs' ? 443 : 80;
    const servers = this.config.upstreams.get(authority);
    if (servers !== undefined) {
      if (servers.length === 0) throw new NginxModelError(`the upstream ${authority} has no server that takes requests`);
      return { backends: servers.map((s) => [backendName(s.host, s.port ?? 80), s.weight]), proxyHost: authority };
    }
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(authority)!;
    const port = m[2] === undefined ? defaultPort : Number(m[2]);
    return { backends: [[backendName(m[1], port), 1]], proxyHost: port === defaultPort ? m[1] : authority };
  }

  /**
   * The request header edits, as a client would see them: a header whose value keeps the one the
   * client sent and appends is an `add`, an empty value a `remove` (nginx sends no empty header),
   * any other value a `set`. The proxy's own headers (PROXY_HEADERS) are left out.
   */
  private requestEdits(directives: readonly NginxDirective[], st: NginxRequest, proxyHost: string): HeaderEdits | undefined {
    const set: Record<string, string> = {};
    const add: Record<string, string> = {};
    const remove: string[] = [];
    const probe = '\u0001probe';
    for (const d of directives) {
      const name = d.args[0].toLowerCase();
      if (PROXY_HEADERS.has(name)) continue;
      const extra = { proxy_host: proxyHost };
      const value = this.value(d.args[1] ?? '', st, extra);
      const withProbe = this.value(d.args[1] ?? '', st.withHeader(name, probe), extra);
      const without = this.value(d.args[1] ?? '', st.withHeader(name, undefined), extra);
      // A value of the connection or of another response (a client certificate, an auth service's answer) is the gateway's, not an edit.
      if (value instanceof Unknown || withProbe instanceof Unknown || without instanceof Unknown) continue;
      if (value === '') remove.push(name);
      else if (without !== '' && withProbe === `${probe}, ${without}`) add[name] = without;
      else set[name] = value;
    }
    return edits(set, add, remove);
  }

  /** `add_header` (with `always`: on every response; without: on successful ones) and `proxy_hide_header`. */
  private responseEdits(level: Level, prefix: string, st: NginxRequest): HeaderEdits | undefined {
    const hidden = inheritedList(level, `${prefix}_hide_header`).map((d) => d.args[0].toLowerCase());
    const added = new Map<string, string>();
    for (const d of inheritedList(level, 'add_header')) {
      const name = d.args[0].toLowerCase();
      if (POLICY_RESPONSE_HEADERS.test(name)) continue;
      const value = this.value(d.args[1] ?? '', st);
      // An empty value adds no header; one of the connection is the gateway's.
      if (!(value instanceof Unknown) && value !== '') added.set(name, added.has(name) ? `${added.get(name)}, ${value}` : value);
    }
    const set: Record<string, string> = {};
    const add: Record<string, string> = {};
    for (const [name, value] of added) (hidden.includes(name) ? set : add)[name] = value;
    return edits(set, add, hidden.filter((h) => !added.has(h) && !POLICY_RESPONSE_HEADERS.test(h)));
  }

  /** The backends each `mirror` subrequest reaches (a sampled mirror: the backends it may reach). */
  private mirrors(level: Level, st: NginxRequest): string[] {
    const out: string[] = [];
    for (const d of inheritedList(level, 'mirror')) {
      if (d.args[0] === 'off') continue;
      const uri = this.value(d.args[0], st);
      if (uri instanceof Unknown) throw new NginxModelError(`${d.at}: the mirror's URI depends on ${uri.why}`);
      const sub = st.copy();
      sub.uri = uri;
      sub.internal = true;
      sub.uriChanged = true;
      const location = findLocation(this.server!.locations, sub);
      if (location === undefined) continue;
      const outcome = this.rewritePhase(location.level, sub, true);
      if (outcome.kind !== 'next') continue;
      const pass = ownDirective(outcome.level, 'proxy_pass');
      if (pass === undefined) continue;
      const url = this.value(pass.args[0], sub);
      const authority = url instanceof Unknown ? undefined : /^https?:\/\/([^/?]+)/.exec(url)?.[1];
      if (authority === undefined) throw new NginxModelError(`${pass.at}: the mirror's target is not modelled`);
      out.push(...this.upstream(authority, url.toString().startsWith('https') ? 'https' : 'http').backends.filter(([, w]) => w > 0).map(([b]) => b));
    }
    return [...new Set(out)];
  }

  /** A value that must be known (a header's, the Host's): what depends on the connection or a response is refused. */
  private known(text: string, st: NginxRequest, d: NginxDirective, extra: Record<string, string> = {}): string {
    const v = this.value(text, st, extra);
    if (v instanceof Unknown) throw new NginxModelError(`${d.at}: the value of "${d.name} ${d.args[0]}" depends on ${v.why}`);
    return v;
  }

  /** A string with variables, computed for the request: variables set so far, table variables, built-ins. */
  private value(text: string, st: NginxRequest, extra: Record<string, string> = {}): Value {
    return expand(text, (name) => this.variable(name, st, extra));
  }

  private variable(name: string, st: NginxRequest, extra: Record<string, string>, depth = 0): Value {
    if (depth > 32) throw new NginxModelError(`the variable $${name} depends on itself`);
    if (name in extra) return extra[name];
    if (st.vars.has(name)) return st.vars.get(name)!;
    const table = this.config.variables.get(name);
    if (table !== undefined) {
      if (table.kind === 'geo') return table.ranges === 0 ? table.defaultValue : new Unknown(`$${name}: the client address (${table.at})`);
      if (table.kind === 'split_clients') return new Unknown(`$${name}: a sample or a script (${table.at})`);
      const source = expand(table.source, (n) => this.variable(n, st, extra, depth + 1));
      if (source instanceof Unknown) return source;
      const found = table.strings.get(source.toLowerCase());
      let result: string | undefined = found;
      if (result === undefined) {
        for (const { regex, value } of table.regexes) {
          const m = regex.exec(source);
          if (m === null) continue;
          setCaptures(st, m);
          result = value;
          break;
        }
      }
      if (result === undefined && table.incomplete) return new Unknown(`$${name}: a table rendered at pod start (${table.at})`);
      return expand(result ?? table.defaultValue, (n) => this.variable(n, st, extra, depth + 1));
    }
    const builtin = st.builtin(name);
    if (builtin === undefined) throw new NginxModelError(`the variable $${name} is not modelled`);
    return builtin;
  }
}

/**
 * ngx_http_core_find_location: an exact `=` match; else the longest prefix (and, inside it, its
 * nested locations); then, unless that prefix is `^~`, the first regex that matches, nested ones
 * first. Sets the regex's captures.
 */
function findLocation(locations: readonly Location[], st: NginxRequest): Location | undefined {
  return find(locations, st).location;
}

function find(locations: readonly Location[], st: NginxRequest): { location?: Location; done: boolean } {
  const uri = st.uri;
  const exact = locations.find((l) => l.modifier === '=' && l.pattern === uri);
  if (exact) return { location: exact, done: true };
  let prefix: Location | undefined;
  for (const l of locations) {
    if ((l.modifier === '' || l.modifier === '^~') && uri.startsWith(l.pattern) && (prefix === undefined || l.pattern.length > prefix.pattern.length)) prefix = l;
  }
  let location = prefix;
  if (prefix !== undefined && prefix.nested.length > 0) {
    const nested = find(prefix.nested, st);
    if (nested.location !== undefined) location = nested.location;
    if (nested.done) return nested;
  }
  if (prefix?.modifier !== '^~') {
    for (const l of locations) {
      if (l.regex === undefined) continue;
      const m = l.regex.exec(uri);
      if (m === null) continue;
      setCaptures(st, m);
      return { location: l, done: true };
    }
  }
  return { location, done: false };
}

/** A directive of the level itself (content handlers are not inherited). */
function ownDirective(level: Level, name: string): NginxDirective | undefined {
  return level.directives.filter((d) => d.name === name).pop();
}

/** The content handler of a location, or of an `if` in it (which inherits the location's proxy_pass). */
function handler(level: Level, location: Location | undefined, name: string): NginxDirective | undefined {
  for (let l: Level | undefined = level; l !== undefined; l = l.parent) {
    const d = ownDirective(l, name);
    if (d !== undefined) return d;
    if (location === undefined || l === location.level) return undefined;
  }
  return undefined;
}

/** A regex with groups sets `$1`..`$9` and its named groups (one without groups leaves the last captures). */
function setCaptures(st: NginxRequest, m: RegExpExecArray): void {
  if (m.length < 2) return;
  st.captures = [...m].map((c) => c ?? '');
  for (const [k, v] of Object.entries(m.groups ?? {})) st.vars.set(k, v ?? '');
}

function variableArg(arg: string | undefined, d: NginxDirective): string {
  if (arg === undefined || !/^\$[A-Za-z0-9_]+$/.test(arg)) throw new NginxModelError(`${d.at}: set needs a variable`);
  return arg.slice(1);
}

/** `return code [text]`, `return code URL`, `return URL` (302). */
function returnOutcome(d: NginxDirective, level: Level, value: (text: string) => Value): Outcome {
  const [first, second] = d.args;
  const url = (t: string) => {
    const v = value(t);
    if (v instanceof Unknown) throw new NginxModelError(`${d.at}: the redirect's URL depends on ${v.why}`);
    return v;
  };
  if (!/^\d+$/.test(first)) return { kind: 'return', code: 302, text: url(first), level };
  const code = Number(first);
  // A response's own text is its body, which the result does not hold; a redirect's is its Location.
  const text = second === undefined ? undefined : REDIRECT_CODES.includes(code) ? url(second) : second;
  return { kind: 'return', code, text, level };
}

const REDIRECT_CODES = [301, 302, 303, 307, 308];

/** A redirect's Location as nginx sends it (absolute_redirect on): a relative one gets the scheme, the Host and a non-default port. */
function absolute(location: string, st: NginxRequest): string {
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(location)) return location;
  const defaultPort = st.scheme === 'https' ? 443 : 80;
  return `${st.scheme}://${st.host}${st.port === defaultPort ? '' : `:${st.port}`}${location}`;
}

const REASONS: Readonly<Record<number, string>> = Object.fromEntries([
  [400, 'bad request'], [401, 'unauthorized'], [403, 'forbidden'], [404, 'no route'], [405, 'method not allowed'], [410, 'retired'],
  [413, 'request body too large'], [429, 'rate limited'], [500, 'internal error'], [502, 'bad gateway'], [503, 'service unavailable'],
  [504, 'gateway timeout'],
]);

function reasonOf(code: number): string {
  return REASONS[code] ?? (code < 400 ? 'direct response' : `status ${code}`);
}

function respond(status: number, reason: string): RouteResult {
  return { kind: 'respond', dataPlane: DATA_PLANE, status, reason };
}

function redirect(status: number, location: string): RouteResult {
  return { kind: 'redirect', dataPlane: DATA_PLANE, status, location };
}

function edits(set: Record<string, string>, add: Record<string, string>, remove: string[]): HeaderEdits | undefined {
  const out = {
    ...(Object.keys(set).length > 0 ? { set } : {}),
    ...(Object.keys(add).length > 0 ? { add } : {}),
    ...(remove.length > 0 ? { remove: [...new Set(remove)].sort() } : {}),
  };
  return Object.keys(out).length === 0 ? undefined : out;
}
