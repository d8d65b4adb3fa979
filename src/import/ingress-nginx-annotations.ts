/**
 * The ingress-nginx annotations of an Ingress, read into the declaration's policies. Each
 * annotation is read as the controller reads it (its defaults written out, so the declaration
 * means the same on every strategy); what the declaration cannot hold is a loss with the reason.
 * Annotations of this prefix that the reader does not know are reported, never guessed.
 */
import { bool, cdk8s, Expr, lib, num, obj, str, arr } from './code';
import { ingressNginxDuration, ingressNginxSize } from './ingress-nginx-values';
import { Loss } from './model';
import { parseServiceUrl } from './service-url';
import { parseCidr } from '../core/cidr';
import {
  dnsSubdomainProblem, headerNameProblem, headerValueProblem, hostnameProblem, originProblem, portProblem, urlPathProblem,
} from '../core/validators';

export const NGINX_PREFIX = 'nginx.ingress.kubernetes.io/';

/** Annotations that carry raw nginx configuration: nothing portable to read from them. */
const NOT_PORTABLE = new Set([
  'configuration-snippet', 'server-snippet', 'auth-snippet', 'stream-snippet', 'modsecurity-snippet', 'location-snippet',
  'server-snippets', 'mirror-snippet',
]);

/**
 * Known annotations the declaration has no field for, with the reason. (The canary ones are read
 * by `ingress-canary.ts`.)
 */
const NO_EQUIVALENT: Record<string, string> = {
  'proxy-connect-timeout': 'the declaration has no connect timeout (timeout bounds the wait for the backend)',
  'proxy-next-upstream-timeout': 'the declaration bounds tries by retries.perTryTimeout, not their total time',
  'limit-connections': 'the declaration limits request rates, not concurrent connections',
  'limit-rate': 'the declaration has no response bandwidth limit',
  'limit-rate-after': 'the declaration has no response bandwidth limit',
  'limit-whitelist': 'the declaration has no exemptions from the rate limit',
  'limit-allowlist': 'the declaration has no exemptions from the rate limit',
  'proxy-buffering': 'buffering is the proxy\'s own setting',
  'proxy-buffer-size': 'buffering is the proxy\'s own setting',
  'proxy-buffers-number': 'buffering is the proxy\'s own setting',
  'proxy-request-buffering': 'buffering is the proxy\'s own setting',
  'proxy-max-temp-file-size': 'buffering is the proxy\'s own setting',
  'proxy-http-version': 'the proxy chooses the HTTP version to the backend',
  'proxy-cookie-domain': 'the declaration does not rewrite cookies',
  'proxy-cookie-path': 'the declaration does not rewrite cookies',
  'proxy-redirect-from': 'the declaration does not rewrite Location headers of responses',
  'proxy-redirect-to': 'the declaration does not rewrite Location headers of responses',
  'proxy-ssl-secret': 'backend certificate verification by a Secret of the controller: declare BackendTls.fromSecret on the backend',
  'proxy-ssl-verify': 'backend certificate verification: declare BackendTls on the backend',
  'proxy-ssl-verify-depth': 'backend certificate verification: declare BackendTls on the backend',
  'proxy-ssl-name': 'backend certificate verification: declare BackendTls on the backend',
  'proxy-ssl-server-name': 'backend certificate verification: declare BackendTls on the backend',
  'proxy-ssl-protocols': 'TLS versions to the backend are the proxy\'s own setting',
  'proxy-ssl-ciphers': 'TLS ciphers to the backend are the proxy\'s own setting',
  'auth-request-redirect': 'the declaration has no auth request redirect header',
  'auth-cache-key': 'the declaration does not cache external auth answers',
  'auth-cache-duration': 'the declaration does not cache external auth answers',
  'auth-keepalive': 'connection reuse to the auth service is the proxy\'s own setting',
  'auth-method': 'the declaration calls the auth service with the request\'s method',
  'auth-proxy-set-headers': 'the declaration forwards request headers to the auth service, not a ConfigMap of extra ones',
  'auth-always-set-cookie': 'the declaration does not pass the auth service\'s cookies on errors',
  'auth-signin-redirect-param': 'the declaration names no sign-in redirect parameter',
  'auth-tls-error-page': 'the declaration answers a bad client certificate itself',
  'auth-tls-match-cn': 'the declaration does not match client certificate names',
  'auth-tls-pass-certificate-to-upstream': 'the declaration does not pass the client certificate to the backend',
  'session-cookie-samesite': 'the declaration does not set the affinity cookie\'s SameSite',
  'session-cookie-conditional-samesite-none': 'the declaration does not set the affinity cookie\'s SameSite',
  'session-cookie-secure': 'the declaration does not set the affinity cookie\'s Secure flag',
  'session-cookie-domain': 'the declaration does not set the affinity cookie\'s domain',
  'session-cookie-change-on-failure': 'the declaration keeps the affinity cookie when its endpoint fails',
  'affinity-canary-behavior': 'the declaration does not tie canary choice to the affinity cookie',
  'load-balance': 'the balancing algorithm is the proxy\'s own setting',
  'upstream-hash-by-subset': 'the declaration has no hashing over endpoint subsets',
  'upstream-hash-by-subset-size': 'the declaration has no hashing over endpoint subsets',
  'service-upstream': 'the declaration routes to the Service\'s endpoints as the strategy does',
  'custom-http-errors': 'the declaration has no custom error pages',
  'default-backend': 'the declaration has no error backend',
  'enable-access-log': 'access logs are the controller\'s own setting',
  'enable-rewrite-log': 'logs are the controller\'s own setting',
  'enable-opentelemetry': 'tracing is the controller\'s own setting',
  'opentelemetry-trust-incoming-span': 'tracing is the controller\'s own setting',
  'enable-modsecurity': 'the declaration has no web application firewall',
  'enable-owasp-core-rules': 'the declaration has no web application firewall',
  'modsecurity-transaction-id': 'the declaration has no web application firewall',
  'client-body-buffer-size': 'buffering is the proxy\'s own setting',
  'connection-proxy-header': 'the Connection header to the backend is the proxy\'s own',
  'from-to-www-redirect': 'declare the www host and a redirect route instead',
  'preserve-trailing-slash': 'the HTTPS redirect keeps or drops a trailing slash as the strategy does',
  'http2-push-preload': 'the declaration has no HTTP/2 push',
  'server-alias': 'declare the other names in hosts',
  'server-tokens': 'the Server header is the controller\'s own setting',
  'ssl-ciphers': 'TLS ciphers are the controller\'s own setting',
  'ssl-prefer-server-ciphers': 'TLS ciphers are the controller\'s own setting',
  'satisfy': 'the declaration requires every declared check',
  'global-rate-limit': 'the declaration has no cluster-wide rate limit',
  'global-rate-limit-window': 'the declaration has no cluster-wide rate limit',
  'global-rate-limit-key': 'the declaration has no cluster-wide rate limit',
  'global-rate-limit-ignored-cidrs': 'the declaration has no cluster-wide rate limit',
  'denylist-source-range-allowlist': 'the declaration has no exemptions from the deny list',
  'use-proxy-protocol': 'the PROXY protocol is the controller\'s own setting',
  'x-forwarded-prefix-header': 'the declaration sets X-Forwarded-Prefix only',
};

/** Annotations written with the controller's default value: they change nothing. */
const DEFAULT_VALUES: Record<string, string> = {
  'auth-tls-pass-certificate-to-upstream': 'false',
  'proxy-buffering': 'off',
  'proxy-request-buffering': 'on',
  'service-upstream': 'false',
  'ssl-passthrough': 'false',
};

/** The CORS defaults of ingress-nginx (annotations.md, "Enable CORS"), written out. */
const CORS_DEFAULTS = {
  origin: '*',
  methods: 'GET, PUT, POST, DELETE, PATCH, OPTIONS',
  headers: 'DNT,Keep-Alive,User-Agent,X-Requested-With,If-Modified-Since,Cache-Control,Content-Type,Range,Authorization',
  credentials: 'true',
  maxAge: '1728000',
};

const HTTP_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE']);

/** What the annotations declare. */
export interface NginxReading {
  /** Policies of the whole exposure (`timeout`, `cors`, `rateLimit`, ...). */
  readonly policies: Record<string, Expr>;
  /** `rewrite.host` (upstream-vhost). */
  readonly rewriteHost?: string;
  /** Paths are regexes (use-regex, or rewrite-target). */
  readonly regex: boolean;
  readonly rewriteTarget?: string;
  /** Request header edits of every route (x-forwarded-prefix). */
  readonly requestHeaders?: Expr;
  /** The mirror of every route. */
  readonly mirror?: Expr;
  /** The options of every backend (`protocol`, `tls`). */
  readonly backendOptions: Record<string, Expr>;
  /** Routes speak gRPC (backend-protocol GRPC/GRPCS). */
  readonly grpc: boolean;
  /** Every route redirects instead (permanent-redirect, temporal-redirect). */
  readonly redirect?: Expr;
  /** `/` redirects (302) to this path (app-root). */
  readonly appRoot?: string;
  /** The client certificate check of TLS (auth-tls-*). */
  readonly clientCertificates?: Expr;
  /** TLS is passed through by SNI (ssl-passthrough). */
  readonly passthrough: boolean;
  /** ssl-redirect: "false": plain HTTP is served, not redirected. */
  readonly noSslRedirect: boolean;
  /** force-ssl-redirect: "true". */
  readonly forceSslRedirect: boolean;
  readonly losses: Loss[];
}

/** The annotation names (without the prefix) this module reads; the canary reader reads `canary*`. */
export function readNginxAnnotations(annotations: Readonly<Record<string, string>>, source: string, namespace: string): NginxReading {
  const losses: Loss[] = [];
  const read = new Set<string>();
  const get = (name: string): string | undefined => {
    const value = annotations[NGINX_PREFIX + name];
    if (value !== undefined) read.add(name);
    return value;
  };
  const lose = (name: string, reason: string, kind: Loss['kind'] = 'unsupported') => losses.push({ source, field: NGINX_PREFIX + name, reason, kind });
  const policies: Record<string, Expr> = {};
  const flag = (name: string): boolean | undefined => {
    const v = get(name);
    if (v === undefined) return undefined;
    if (v === 'true' || v === 'false') return v === 'true';
    lose(name, `${JSON.stringify(v)} is not "true" or "false" (the controller ignores it)`, 'invalid');
    return undefined;
  };

  // Paths and rewrites.
  // A value the declaration refuses would make the output fail: it is a loss instead.
  const valid = (name: string, value: string | undefined, problem: (v: string) => string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const p = problem(value);
    if (p === undefined) return value;
    lose(name, `${p}: not read`, 'invalid');
    return undefined;
  };
  const rewriteTarget = valid('rewrite-target', get('rewrite-target'), (v) => (v.includes('$') ? undefined : urlPathProblem(v)));
  const useRegex = flag('use-regex') === true;
  const rewriteHost = valid('upstream-vhost', get('upstream-vhost'), hostnameProblem);
  const forwardedPrefix = valid('x-forwarded-prefix', get('x-forwarded-prefix'), (v) => headerValueProblem('X-Forwarded-Prefix', v));
  const requestHeaders = forwardedPrefix !== undefined ? obj({ set: obj({ 'X-Forwarded-Prefix': str(forwardedPrefix) }) }) : undefined;

  // Redirects.
  let redirect: Expr | undefined;
  const permanent = get('permanent-redirect');
  const permanentCode = get('permanent-redirect-code');
  const temporal = get('temporal-redirect');
  const temporalCode = get('temporal-redirect-code');
  // The controller's redirect parser tries temporal-redirect first, then permanent-redirect.
  if (temporal !== undefined) {
    redirect = redirectOf(temporal, statusOf(temporalCode, 302, 'temporal-redirect-code', lose), 'temporal-redirect', lose);
    if (permanent !== undefined) lose('permanent-redirect', 'temporal-redirect takes precedence (the controller ignores it)', 'invalid');
    if (permanentCode !== undefined) lose('permanent-redirect-code', 'temporal-redirect takes precedence (the controller ignores it)', 'invalid');
  } else if (permanent !== undefined) {
    redirect = redirectOf(permanent, statusOf(permanentCode, 301, 'permanent-redirect-code', lose), 'permanent-redirect', lose);
    if (temporalCode !== undefined) lose('temporal-redirect-code', 'without temporal-redirect it does nothing', 'invalid');
  } else {
    if (permanentCode !== undefined) lose('permanent-redirect-code', 'without permanent-redirect it does nothing', 'invalid');
    if (temporalCode !== undefined) lose('temporal-redirect-code', 'without temporal-redirect it does nothing', 'invalid');
  }
  const appRoot = valid('app-root', get('app-root'), urlPathProblem);

  // TLS.
  const sslRedirect = flag('ssl-redirect');
  const forceSslRedirect = flag('force-ssl-redirect') === true;
  const passthrough = flag('ssl-passthrough') === true;
  const clientCertificates = readClientCertificates(get, lose, namespace);

  // Backends.
  const backendOptions: Record<string, Expr> = {};
  let grpc = false;
  const protocol = get('backend-protocol');
  if (protocol !== undefined) {
    switch (protocol.toUpperCase()) {
      case 'HTTP': case 'AUTO_HTTP': break;
      case 'HTTPS': backendOptions.tls = lib('BackendTls.unverified'); break;
      case 'GRPC': grpc = true; break;
      case 'GRPCS': grpc = true; backendOptions.tls = lib('BackendTls.unverified'); break;
      case 'FCGI': lose('backend-protocol', 'FastCGI backends: the declaration speaks HTTP and gRPC'); break;
      default: lose('backend-protocol', `${JSON.stringify(protocol)} is not a protocol ingress-nginx knows`, 'invalid');
    }
  }

  // Timeouts and retries.
  const read_ = get('proxy-read-timeout');
  const send = get('proxy-send-timeout');
  if (read_ !== undefined || send !== undefined) {
    // The declaration's timeout sets both (the wait between two reads or writes); one alone keeps
    // the controller's default (60s) for the other.
    const r = ingressNginxDuration(read_ ?? '60');
    const s = ingressNginxDuration(send ?? '60');
    if (r === undefined) {lose('proxy-read-timeout', `${JSON.stringify(read_)} is not a number of seconds`, 'invalid');} else if (s === undefined) {lose('proxy-send-timeout', `${JSON.stringify(send)} is not a number of seconds`, 'invalid');} else if (r === s) {policies.timeout = cdk8s('Duration.seconds', num(r));} else {
      policies.timeout = cdk8s('Duration.seconds', num(r));
      lose('proxy-send-timeout', `${s}s differs from proxy-read-timeout (${r}s${read_ === undefined ? ', the default' : ''}): the declaration's timeout sets both to ${r}s`);
    }
  }
  const retries = readRetries(get, lose);
  if (retries) policies.retries = retries;

  // CORS.
  const cors = readCors(get, lose, flag);
  if (cors) policies.cors = cors;

  // Rate limits.
  const rateLimit = readRateLimit(get, lose);
  if (rateLimit) policies.rateLimit = rateLimit;

  // Authentication.
  const auth = readAuth(get, lose, namespace);
  if (auth) policies.auth = auth;

  // Client addresses.
  // The controller reads allowlist-source-range, and its old name whitelist-source-range only when it is empty.
  const allowlist = get('allowlist-source-range');
  const whitelist = get('whitelist-source-range');
  const allowName = allowlist !== undefined && allowlist.trim() !== '' ? 'allowlist-source-range' : 'whitelist-source-range';
  const allow: string[] = listOf(allowName === 'allowlist-source-range' ? allowlist : whitelist);
  if (allowName === 'allowlist-source-range' && whitelist !== undefined) {
    lose('whitelist-source-range', 'allowlist-source-range takes precedence (the controller reads this one only when that is empty)', 'invalid');
  }
  const deny: string[] = listOf(get('denylist-source-range'));
  const badRange = [...allow, ...deny].map((r) => parseCidr(r).problem).find((p) => p !== undefined);
  if (badRange !== undefined) {
    lose(allow.length > 0 ? allowName : 'denylist-source-range', `${badRange}: not read`, 'invalid');
    allow.length = 0;
    deny.length = 0;
  }
  if (allow.length > 0) policies.access = lib('AccessPolicy.allowFrom', arr(allow.map(str)), ...(deny.length > 0 ? [obj({ except: arr(deny.map(str)) })] : []));
  else if (deny.length > 0) policies.access = lib('AccessPolicy.denyFrom', arr(deny.map(str)));

  // Body size.
  const bodySize = get('proxy-body-size');
  if (bodySize !== undefined) {
    const size = ingressNginxSize(bodySize);
    if (size === 'unlimited') lose('proxy-body-size', '"0" lifts the limit; the declaration has no unlimited size (each strategy keeps its default)');
    else if (size === undefined) lose('proxy-body-size', `${JSON.stringify(bodySize)} is not a size in bytes, k or m (the controller ignores it)`, 'invalid');
    else policies.maxRequestBody = size;
  }

  // Session affinity.
  const affinity = readAffinity(get, lose);
  if (affinity) policies.affinity = affinity;

  for (const [key, value] of Object.entries(annotations)) {
    if (!key.startsWith(NGINX_PREFIX)) continue;
    const name = key.slice(NGINX_PREFIX.length);
    if (read.has(name) || name === 'canary' || name.startsWith('canary-')) continue;
    if (DEFAULT_VALUES[name] === value) continue;
    if (NOT_PORTABLE.has(name)) lose(name, 'raw nginx, not portable', 'not-portable');
    else if (NO_EQUIVALENT[name] !== undefined) lose(name, NO_EQUIVALENT[name]);
    else lose(name, `unknown ingress-nginx annotation (value ${JSON.stringify(value)}): not read`, 'unknown-annotation');
  }

  return {
    policies,
    rewriteHost,
    regex: useRegex || rewriteTarget !== undefined,
    rewriteTarget,
    requestHeaders,
    mirror: readMirror(get, lose),
    backendOptions,
    grpc,
    redirect,
    appRoot,
    clientCertificates,
    passthrough,
    noSslRedirect: sslRedirect === false,
    forceSslRedirect,
    losses,
  };
}

type Get = (name: string) => string | undefined;
type Lose = (name: string, reason: string, kind?: Loss['kind']) => void;

function listOf(value: string | undefined): string[] {
  return value === undefined ? [] : value.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

function statusOf(value: string | undefined, fallback: number, name: string, lose: Lose): number {
  if (value === undefined) return fallback;
  const code = Number(value);
  if (/^[0-9]+$/.test(value) && code >= 300 && code <= 308) return code;
  lose(name, `${JSON.stringify(value)} is not a redirect status (the controller answers ${fallback})`, 'invalid');
  return fallback;
}

/** `return <code> <url>`: the Location is the URL as written, without the request's path. */
function redirectOf(url: string, statusCode: number, name: string, lose: Lose): Expr | undefined {
  const m = /^(https?):\/\/([^/:?#]+)(?::([0-9]+))?(\/[^?#]*)?$/.exec(url);
  if (!m || url.includes('$')) {
    lose(name, `${JSON.stringify(url)}: the declaration redirects to a scheme, host, port and path (no query, no nginx variables)`);
    return undefined;
  }
  const problem = hostnameProblem(m[2]) ?? (m[3] !== undefined ? portProblem(Number(m[3])) : undefined) ?? urlPathProblem(m[4] ?? '/');
  if (problem !== undefined) {
    lose(name, `${problem}: not read`, 'invalid');
    return undefined;
  }
  return obj({
    scheme: str(m[1]), host: str(m[2]), port: m[3] !== undefined ? num(Number(m[3])) : undefined, path: str(m[4] ?? '/'), statusCode: num(statusCode),
  });
}

/**
 * proxy-next-upstream(-tries): the declaration's retry conditions whose nginx conditions are
 * exactly the ones listed (ingress-nginx's defaults: "error timeout", 3 tries, the first counted).
 */
function readRetries(get: Get, lose: Lose): Expr | undefined {
  const conditions = get('proxy-next-upstream');
  const triesText = get('proxy-next-upstream-tries');
  if (conditions === undefined && triesText === undefined) return undefined;
  if (conditions !== undefined && conditions.trim() === 'off') {
    if (triesText !== undefined) lose('proxy-next-upstream-tries', 'retries are off (proxy-next-upstream: off)', 'invalid');
    return obj({ attempts: num(0) });
  }
  const tries = triesText === undefined ? 3 : Number(triesText);
  if (!/^[0-9]+$/.test(triesText ?? '3') || tries < 1) {
    lose('proxy-next-upstream-tries', `${JSON.stringify(triesText)} is not a number of tries`, 'invalid');
    return undefined;
  }
  const wanted = new Set((conditions ?? 'error timeout').split(/\s+/).filter((c) => c.length > 0));
  const retryOn = retryConditions(wanted);
  if (retryOn === undefined) {
    lose('proxy-next-upstream', `${JSON.stringify(conditions)}: the declaration retries on 5xx, gateway-error, connect-failure or reset, `
      + 'which nginx reads as "error timeout http_500 http_502 http_503 http_504", "error timeout http_502 http_503 http_504", "error timeout" and "error"');
    return undefined;
  }
  return obj({ attempts: num(tries - 1), retryOn: arr(retryOn.map(str)) });
}

const NEXT_UPSTREAM: Record<string, readonly string[]> = {
  '5xx': ['error', 'timeout', 'http_500', 'http_502', 'http_503', 'http_504'],
  'gateway-error': ['error', 'timeout', 'http_502', 'http_503', 'http_504'],
  'connect-failure': ['error', 'timeout'],
  'reset': ['error'],
};

/** The fewest retry conditions whose nginx conditions are exactly `wanted`. */
function retryConditions(wanted: Set<string>): string[] | undefined {
  const names = Object.keys(NEXT_UPSTREAM);
  let best: string[] | undefined;
  const subsets = names.reduce<string[][]>((all, name) => [...all, ...all.map((s) => [...s, name])], [[]]).filter((s) => s.length > 0);
  for (const chosen of subsets) {
    const union = new Set(chosen.flatMap((c) => NEXT_UPSTREAM[c]));
    if (union.size === wanted.size && [...wanted].every((w) => union.has(w)) && (best === undefined || chosen.length < best.length)) best = chosen;
  }
  return best;
}

function readCors(get: Get, lose: Lose, flag: (name: string) => boolean | undefined): Expr | undefined {
  const enabled = flag('enable-cors') === true;
  const names = ['cors-allow-origin', 'cors-allow-methods', 'cors-allow-headers', 'cors-expose-headers', 'cors-allow-credentials', 'cors-max-age'];
  const values = Object.fromEntries(names.map((n) => [n, get(n)]));
  if (!enabled) {
    for (const n of names) if (values[n] !== undefined) lose(n, 'without enable-cors: "true" the controller ignores it', 'invalid');
    return undefined;
  }
  const origins = listOf(values['cors-allow-origin'] ?? CORS_DEFAULTS.origin);
  const methods = listOf(values['cors-allow-methods'] ?? CORS_DEFAULTS.methods).map((m) => m.toUpperCase());
  const badMethod = methods.find((m) => !HTTP_METHODS.has(m));
  if (badMethod !== undefined) {
    lose('cors-allow-methods', `${JSON.stringify(badMethod)} is not an HTTP method the declaration knows`);
    return undefined;
  }
  const headers = listOf(values['cors-allow-headers'] ?? CORS_DEFAULTS.headers);
  const expose = listOf(values['cors-expose-headers']);
  const badOrigin = origins.map(originProblem).find((p) => p !== undefined);
  const badHeader = [...headers, ...expose].map(headerNameProblem).find((p) => p !== undefined);
  if (badOrigin !== undefined || badHeader !== undefined || origins.length === 0) {
    lose(badOrigin !== undefined || origins.length === 0 ? 'cors-allow-origin' : 'cors-allow-headers', `${badOrigin ?? badHeader ?? 'no origin'}: not read`, 'invalid');
    return undefined;
  }
  let credentials = (values['cors-allow-credentials'] ?? CORS_DEFAULTS.credentials) === 'true';
  if (credentials && origins.includes('*')) {
    // The controller answers Access-Control-Allow-Origin "*" with Access-Control-Allow-Credentials "true": browsers refuse
    // credentials with "*" (Fetch standard, CORS check), and so does the declaration.
    const given = values['cors-allow-credentials'] !== undefined ? '"true"' : '"true" (the controller\'s default)';
    lose('cors-allow-credentials', `${given} with origin "*": browsers refuse credentials with origin "*"; read as false`);
    credentials = false;
  }
  const maxAgeText = values['cors-max-age'] ?? CORS_DEFAULTS.maxAge;
  if (!/^[0-9]+$/.test(maxAgeText)) {
    lose('cors-max-age', `${JSON.stringify(maxAgeText)} is not a number of seconds`, 'invalid');
    return undefined;
  }
  return obj({
    allowOrigins: arr(origins.map(str)),
    allowMethods: arr(methods.map(str)),
    allowHeaders: headers.length > 0 ? arr(headers.map(str)) : undefined,
    exposeHeaders: expose.length > 0 ? arr(expose.map(str)) : undefined,
    allowCredentials: bool(credentials),
    maxAge: cdk8s('Duration.seconds', num(Number(maxAgeText))),
  });
}

/** limit-rps / limit-rpm: the burst is the rate times limit-burst-multiplier (5 by default), served without delay. */
function readRateLimit(get: Get, lose: Lose): Expr | undefined {
  const rps = get('limit-rps');
  const rpm = get('limit-rpm');
  const multiplierText = get('limit-burst-multiplier');
  if (rps === undefined && rpm === undefined) {
    if (multiplierText !== undefined) lose('limit-burst-multiplier', 'without limit-rps or limit-rpm it does nothing', 'invalid');
    return undefined;
  }
  const multiplier = multiplierText === undefined ? 5 : Number(multiplierText);
  if (!/^[0-9]+$/.test(multiplierText ?? '5') || multiplier < 1) {
    lose('limit-burst-multiplier', `${JSON.stringify(multiplierText)} is not a whole multiplier`, 'invalid');
    return undefined;
  }
  const [name, text, factory] = rps !== undefined ? ['limit-rps', rps, 'RateLimit.perSecond'] : ['limit-rpm', rpm!, 'RateLimit.perMinute'];
  if (rps !== undefined && rpm !== undefined) lose('limit-rpm', 'the declaration holds one rate (limit-rps is kept)');
  if (!/^[0-9]+$/.test(text) || Number(text) < 1) {
    lose(name, `${JSON.stringify(text)} is not a number of requests`, 'invalid');
    return undefined;
  }
  const requests = Number(text);
  return lib(factory, num(requests), obj({ burst: num(requests * multiplier) }));
}

function readAuth(get: Get, lose: Lose, namespace: string): Expr | undefined {
  const type = get('auth-type');
  const secret = get('auth-secret');
  const secretType = get('auth-secret-type');
  const realm = get('auth-realm');
  const url = get('auth-url');
  const signin = get('auth-signin');
  const responseHeaders = get('auth-response-headers');
  let basic: Expr | undefined;
  if (type !== undefined) {
    if (type !== 'basic') {lose('auth-type', `${JSON.stringify(type)}: the declaration has basic authentication only`);} else if (secret === undefined) {lose('auth-type', 'basic without auth-secret: the controller ignores it', 'invalid');} else if (secretType !== undefined && secretType !== 'auth-file') {lose('auth-secret-type', `${JSON.stringify(secretType)}: the declaration reads an htpasswd file (auth-file)`);} else {
      const [ns, name] = secret.includes('/') ? secret.split('/', 2) : [namespace, secret];
      const problem = dnsSubdomainProblem(name, 'auth-secret');
      if (problem !== undefined) lose('auth-secret', `${problem}: not read`, 'invalid');
      else if (ns !== namespace) lose('auth-secret', `the Secret is in namespace ${ns}; the declaration reads it from the exposure's (${namespace})`);
      else basic = lib('Auth.basic', obj({ secret: str(name), realm: realm !== undefined ? str(realm) : undefined }));
    }
  } else {
    for (const [n, v] of [['auth-secret', secret], ['auth-secret-type', secretType], ['auth-realm', realm]] as const) {
      if (v !== undefined) lose(n, 'without auth-type: basic it does nothing', 'invalid');
    }
  }
  if (url === undefined) {
    if (signin !== undefined) lose('auth-signin', 'without auth-url it does nothing', 'invalid');
    if (responseHeaders !== undefined) lose('auth-response-headers', 'without auth-url it does nothing', 'invalid');
    return basic;
  }
  // The declaration calls the auth service at its path followed by the request's URI, as
  // `http://<service>.<namespace>.svc:<port><path>$request_uri` says.
  const target = url.endsWith('$request_uri') ? parseServiceUrl(url.slice(0, -'$request_uri'.length)) : undefined;
  if (target === undefined || target.scheme !== 'http') {
    lose('auth-url', `${JSON.stringify(url)}: the declaration calls an in-cluster Service over HTTP at a path prefix followed by the request's URI `
      + '(http://<service>.<namespace>.svc:<port>/<prefix>$request_uri)');
    if (signin !== undefined) lose('auth-signin', 'belongs to the auth-url not carried over');
    if (responseHeaders !== undefined) lose('auth-response-headers', 'belongs to the auth-url not carried over');
    return basic;
  }
  const badResponseHeader = listOf(responseHeaders).map(headerNameProblem).find((p) => p !== undefined);
  if (badResponseHeader !== undefined) {
    lose('auth-response-headers', `${badResponseHeader}: not read`, 'invalid');
    return basic;
  }
  if (basic !== undefined) {
    lose('auth-url', 'the declaration holds one authentication (basic is kept)');
    return basic;
  }
  return lib('Auth.external', obj({
    service: lib('Backend.fromName', str(target.service), num(target.port), ...(target.namespace !== namespace ? [obj({ namespace: str(target.namespace) })] : [])),
    path: target.path !== '' ? str(target.path) : undefined,
    responseHeaders: responseHeaders !== undefined ? arr(listOf(responseHeaders).map(str)) : undefined,
    signinUrl: signin !== undefined ? str(signin) : undefined,
  }));
}

/** mirror-target `http://<service>.<namespace>.svc:<port>$request_uri`: every request, as sent. */
function readMirror(get: Get, lose: Lose): Expr | undefined {
  const target = get('mirror-target');
  const host = get('mirror-host');
  const body = get('mirror-request-body');
  if (target === undefined) {
    if (host !== undefined) lose('mirror-host', 'without mirror-target it does nothing', 'invalid');
    if (body !== undefined) lose('mirror-request-body', 'without mirror-target it does nothing', 'invalid');
    return undefined;
  }
  const service = target.endsWith('$request_uri') ? parseServiceUrl(target.slice(0, -'$request_uri'.length)) : undefined;
  if (service === undefined || service.scheme !== 'http' || service.path !== '') {
    lose('mirror-target', `${JSON.stringify(target)}: the declaration mirrors each request as sent to an in-cluster Service (http://<service>.<namespace>.svc:<port>$request_uri)`);
    return undefined;
  }
  if (host !== undefined) lose('mirror-host', 'the declaration mirrors with the request\'s own Host');
  if (body === 'off') lose('mirror-request-body', 'the declaration mirrors the request body too');
  return obj({ backend: lib('Backend.fromName', str(service.service), num(service.port), obj({ namespace: str(service.namespace) })) });
}

/** auth-tls-secret (+ verify-client, verify-depth): client certificates checked against a CA Secret. */
function readClientCertificates(get: Get, lose: Lose, namespace: string): Expr | undefined {
  const secret = get('auth-tls-secret');
  const verify = get('auth-tls-verify-client');
  const depthText = get('auth-tls-verify-depth');
  if (secret === undefined) {
    for (const [n, v] of [['auth-tls-verify-client', verify], ['auth-tls-verify-depth', depthText]] as const) {
      if (v !== undefined) lose(n, 'without auth-tls-secret it does nothing', 'invalid');
    }
    return undefined;
  }
  const [ns, name] = secret.includes('/') ? secret.split('/', 2) : [namespace, secret];
  const problem = dnsSubdomainProblem(name, 'auth-tls-secret');
  if (problem !== undefined) {
    lose('auth-tls-secret', `${problem}: not read`, 'invalid');
    return undefined;
  }
  if (ns !== namespace) {
    lose('auth-tls-secret', `the CA Secret is in namespace ${ns}; the declaration reads it from the exposure's (${namespace})`);
    return undefined;
  }
  const mode = verify ?? 'on';
  if (mode === 'off') return undefined;
  if (mode !== 'on' && mode !== 'optional') {
    lose('auth-tls-verify-client', `${JSON.stringify(mode)}: the declaration requires a verified client certificate (on) or verifies one when sent (optional)`);
    return undefined;
  }
  const depth = depthText === undefined ? 1 : Number(depthText);
  if (!/^[0-9]+$/.test(depthText ?? '1') || depth < 1) {
    lose('auth-tls-verify-depth', `${JSON.stringify(depthText)} is not a depth`, 'invalid');
    return undefined;
  }
  return lib(mode === 'on' ? 'ClientCertificates.require' : 'ClientCertificates.optional', obj({ caSecret: str(name), verifyDepth: num(depth) }));
}

/**
 * affinity: cookie, with session-cookie-name (INGRESSCOOKIE by default), -max-age / -expires (the
 * cookie's lifetime; a session cookie without them) and -path; upstream-hash-by on a header or the
 * client address.
 */
function readAffinity(get: Get, lose: Lose): Expr | undefined {
  const affinity = get('affinity');
  const mode = get('affinity-mode');
  const name = get('session-cookie-name');
  const maxAge = get('session-cookie-max-age');
  const expires = get('session-cookie-expires');
  const path = get('session-cookie-path');
  const hashBy = get('upstream-hash-by');
  if (affinity === undefined) {
    for (const [n, v] of [['affinity-mode', mode], ['session-cookie-name', name], ['session-cookie-max-age', maxAge],
      ['session-cookie-expires', expires], ['session-cookie-path', path]] as const) {
      if (v !== undefined) lose(n, 'without affinity: cookie it does nothing', 'invalid');
    }
    if (hashBy === undefined) return undefined;
    if (hashBy === '$remote_addr' || hashBy === '$binary_remote_addr') return lib('SessionAffinity.clientIp');
    const header = /^\$http_([a-z0-9_]+)$/.exec(hashBy);
    if (header && headerNameProblem(header[1].replace(/_/g, '-')) === undefined) return lib('SessionAffinity.header', str(header[1].replace(/_/g, '-')));
    lose('upstream-hash-by', `${JSON.stringify(hashBy)}: the declaration hashes on one request header ($http_<name>) or the client address ($remote_addr)`);
    return undefined;
  }
  if (affinity !== 'cookie') {
    lose('affinity', `${JSON.stringify(affinity)}: ingress-nginx has cookie affinity only`, 'invalid');
    return undefined;
  }
  if (hashBy !== undefined) lose('upstream-hash-by', 'affinity: cookie takes precedence (the declaration holds one affinity)');
  // The declaration renders ingress-nginx's persistent mode: scaling moves no session.
  if (mode !== 'persistent') lose('affinity-mode', `${mode === undefined ? 'balanced (the default)' : JSON.stringify(mode)} moves some sessions when the backend scales; the declaration keeps them (persistent)`);
  let ttl: number | undefined;
  if (maxAge !== undefined || expires !== undefined) {
    const m = maxAge !== undefined && /^[0-9]+$/.test(maxAge) ? Number(maxAge) : undefined;
    const e = expires !== undefined && /^[0-9]+$/.test(expires) ? Number(expires) : undefined;
    if (maxAge !== undefined && m === undefined) lose('session-cookie-max-age', `${JSON.stringify(maxAge)} is not a number of seconds`, 'invalid');
    if (expires !== undefined && e === undefined) lose('session-cookie-expires', `${JSON.stringify(expires)} is not a number of seconds`, 'invalid');
    ttl = m ?? e;
    if (m !== undefined && e !== undefined && m !== e) lose('session-cookie-expires', `${e}s differs from session-cookie-max-age (${m}s): the declaration sets both to ${m}s`);
  }
  const cookieProblem = (path !== undefined ? urlPathProblem(path) : undefined);
  if (cookieProblem !== undefined) {
    lose('session-cookie-path', `${cookieProblem}: not read`, 'invalid');
    return undefined;
  }
  return lib('SessionAffinity.cookie', obj({
    name: str(name ?? 'INGRESSCOOKIE'),
    ttl: ttl !== undefined && ttl > 0 ? cdk8s('Duration.seconds', num(ttl)) : undefined,
    path: path !== undefined ? str(path) : undefined,
  }));
}
