import { Backend } from './backend';
import { ConfigMapRef, configMapNameOf } from './client-certificates';
import { SecretRef, secretName, secretRefProblem, secretTypeProblem } from './secret-ref';
import { describeValue, isPlainObject, notAString } from '../core/runtime-types';
import { dnsSubdomainProblem, headerNameProblem, problemsOf } from '../core/validators';

/** Options for `Auth.apiKey`. */
export interface ApiKeyAuthOptions {
  /**
   * The Secret holding the keys (never inlined): one data key per consumer, the consumer's name,
   * its value that consumer's API key. The gateway reads it at pod start; usage logs and
   * `RateLimit` with `key: 'api-key'` name the consumer.
   * @example Auth.apiKey({ secret: 'api-consumers' })
   */
  readonly secret: SecretRef;
  /**
   * The request header that carries the key (case-insensitive; written in lowercase).
   * @default 'x-api-key'
   * @example Auth.apiKey({ secret: 'api-consumers', header: 'x-client-key' })
   */
  readonly header?: string;
}

/** Options for `Auth.basic`. */
export interface BasicAuthOptions {
  /**
   * The Secret with the users (never inlined). Its format depends on who reads it: for
   * ingress-nginx, an htpasswd file under the key `auth` (Traefik reads it too when it is the
   * Secret's only key); for the API gateway engines, one data key per user, its value the password
   * (the engines hash or render it at pod start).
   * @example Auth.basic({ secret: 'admins' })
   */
  readonly secret: SecretRef;
  /**
   * The realm announced in `WWW-Authenticate` (no quote, backslash or line break; ingress-nginx
   * takes letters, digits, spaces and `-._~/:` only).
   * @default 'Authentication required'
   * @example Auth.basic({ secret: 'admins', realm: 'Admin API' })
   */
  readonly realm?: string;
}

/** Options for `Auth.jwt`. */
export interface JwtAuthOptions {
  /**
   * The `iss` claim tokens must carry. With Istio, only tokens of this issuer pass the exposure's
   * AuthorizationPolicy, even when the shared gateway trusts other issuers.
   * @example Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json' })
   */
  readonly issuer: string;
  /**
   * Where the issuer publishes its signing keys, as a JSON Web Key Set (an https URL). Istio
   * fetches the keys from it (`jwksUri` of the RequestAuthentication).
   * @example Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json' })
   */
  readonly jwksUri: string;
  /**
   * Accepted `aud` claims: a token must carry one of them (Istio; the Kong engine cannot check
   * audiences, an error there).
   * @default - any audience
   * @example audiences: ['orders-api']
   */
  readonly audiences?: string[];
  /**
   * A Secret holding the issuer's RSA public key (PEM) under the key `public-key.pem`, for
   * engines that verify tokens locally rather than from `jwksUri` (the Kong engine).
   * @default - none: Istio fetches the keys from `jwksUri`
   * @example publicKeySecret: 'id-provider-key'
   */
  readonly publicKeySecret?: SecretRef;
  /**
   * A Secret holding the issuer's JSON Web Key Set (the document at `jwksUri`) under the key
   * `jwks.json`, for the NGINX engine, which verifies tokens with its RS256 (RSA) and ES256 (EC
   * P-256) keys, mounted: nothing is fetched at request time, and a changed Secret is read on the
   * next request once the kubelet has updated the mount. Set it or `jwksConfigMap`, not both.
   * @default - none: the NGINX engine then needs `jwksConfigMap`
   * @example Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json', jwksSecret: 'id-provider-jwks' })
   */
  readonly jwksSecret?: SecretRef;
  /**
   * A ConfigMap holding the issuer's JSON Web Key Set under the key `jwks.json` (public keys need
   * no Secret), for the NGINX engine, as `jwksSecret`.
   * @default - none: the NGINX engine then needs `jwksSecret`
   * @example Auth.jwt({ issuer: 'https://id.example.com', jwksUri: 'https://id.example.com/.well-known/jwks.json', jwksConfigMap: 'id-provider-jwks' })
   */
  readonly jwksConfigMap?: ConfigMapRef;
}

/** Where the NGINX engine finds a JWT issuer's JWKS (`jwks.json` of a Secret or a ConfigMap). */
export interface JwksSource {
  readonly kind: 'secret' | 'config-map';
  readonly name: string;
}

/** Options for `Auth.external`. */
export interface ExternalAuthOptions {
  /**
   * The auth service (an in-cluster Service speaking HTTP, e.g. oauth2-proxy): every request of
   * the route is first sent to it, without its body; a 2xx answer lets the request through, 401 or
   * 403 refuses it. The backend checks apply (the Service and its port must exist).
   * @example Auth.external({ service: Backend.fromName('oauth2-proxy', 4180) })
   */
  readonly service: Backend;
  /**
   * A path prefix for the auth requests: the auth service receives this prefix followed by the
   * client's path and query (`/check` + `/orders?id=1` = `/check/orders?id=1`), as Envoy's
   * ext_authz and Gateway API's `ExternalAuth` send it. Segments of URL characters, no trailing `/`.
   * @default - none: the client's path and query as they are
   * @example Auth.external({ service: Backend.fromName('authz', 8080), path: '/check' })
   */
  readonly path?: string;
  /**
   * The client request headers the auth service needs (cookies, custom tokens), besides
   * `Authorization`, which it always receives (and the host, method and path). Case-insensitive.
   * @default - none beyond Authorization
   * @example forwardHeaders: ['cookie', 'x-api-token']
   */
  readonly forwardHeaders?: string[];
  /**
   * Headers of the auth service's 2xx answer copied into the request sent to the backend (the
   * user's identity, e.g. `x-auth-request-user`). Case-insensitive.
   * @default - none
   * @example responseHeaders: ['x-auth-request-user', 'x-auth-request-email']
   */
  readonly responseHeaders?: string[];
  /**
   * Where a client refused with 401 is redirected (302) to sign in, an http(s) URL (ingress-nginx's
   * `auth-signin`; the NGINX engine's redirect). Without it, the 401 reaches the client.
   * @default - none: 401 answers the client
   * @example signinUrl: 'https://auth.example.com/oauth2/start'
   */
  readonly signinUrl?: string;
}

/** What an Auth declares, with the defaults filled in (internal). */
export type AuthSpec =
  | { readonly kind: 'api-key'; readonly secretName: string; readonly header: string }
  | { readonly kind: 'basic'; readonly secretName: string; readonly realm: string }
  | {
    readonly kind: 'jwt';
    readonly issuer: string;
    readonly jwksUri: string;
    readonly audiences: readonly string[];
    readonly publicKeySecret?: string;
    readonly jwks?: JwksSource;
  }
  | ExternalAuthSpec;

/** What `Auth.external` declares: the auth service still a declared Backend (the intent builder resolves it). */
export interface ExternalAuthSpec {
  readonly kind: 'external';
  readonly service: Backend;
  readonly path?: string;
  readonly forwardHeaders: readonly string[];
  readonly responseHeaders: readonly string[];
  readonly signinUrl?: string;
}

/**
 * How clients authenticate. Requests without valid credentials are refused with 401 (Istio
 * answers a request without a token 403, from its AuthorizationPolicy). Credentials are read from
 * Secrets by name; the YAML never holds them.
 */
export class Auth {
  /**
   * An API key in a request header, checked against the keys in a Secret (API gateway engines:
   * an nginx `map` of keys to consumers, or Kong's `key-auth` with an `acl`; Envoy Gateway's
   * `apiKeyAuth`, whose client ids are the Secret's data keys).
   */
  public static apiKey(options: ApiKeyAuthOptions): Auth {
    const types = optionTypeProblems(options, { header: 'string' });
    if (types.length > 0) return new Auth(INERT, types);
    const header = (options.header ?? 'x-api-key').toLowerCase();
    const name = secretName(options.secret);
    return new Auth({ kind: 'api-key', secretName: name, header },
      problemsOf(dnsSubdomainProblem(name, 'secret name'), secretTypeProblem(options.secret, 'Auth.apiKey'), headerNameProblem(header)));
  }

  /**
   * HTTP basic auth against the users in a Secret: ingress-nginx's `auth-type: basic` (an htpasswd
   * file in the Secret), or the API gateway engines (one data key per user in the Secret).
   */
  public static basic(options: BasicAuthOptions): Auth {
    const types = optionTypeProblems(options, { realm: 'string' });
    if (types.length > 0) return new Auth(INERT, types);
    const name = secretName(options.secret);
    const realm = options.realm ?? 'Authentication required';
    return new Auth({ kind: 'basic', secretName: name, realm },
      problemsOf(dnsSubdomainProblem(name, 'secret name'), secretTypeProblem(options.secret, 'Auth.basic'), /["\\\r\n]/.test(realm) ? `realm "${realm}" has a quote, backslash or line break` : undefined));
  }

  /**
   * A JWT bearer token (`Authorization: Bearer ...`) signed by the issuer's keys: Istio's
   * RequestAuthentication and AuthorizationPolicy on the gateway workload (keys from `jwksUri`),
   * Kong's `jwt` plugin with the issuer's public key (`publicKeySecret`), or the NGINX engine's
   * njs check with the issuer's JWKS (`jwksSecret` or `jwksConfigMap`). One declaration with all
   * three renders on each.
   */
  public static jwt(options: JwtAuthOptions): Auth {
    const types = optionTypeProblems(options, { issuer: 'string', jwksUri: 'string', audiences: 'strings', publicKeySecret: 'secret', jwksSecret: 'secret' }, false);
    const configMapRef = isPlainObject(options) ? (options as { jwksConfigMap?: unknown }).jwksConfigMap : undefined;
    const configMap = configMapRef === undefined ? undefined : configMapNameOf(configMapRef);
    if (configMapRef !== undefined && configMap === undefined) types.push(`jwksConfigMap is ${describeValue(configMapRef)}; use the ConfigMap's name or a cdk8s-plus ConfigMap`);
    if (types.length > 0) return new Auth(INERT, types);
    const audiences = [...(options.audiences ?? [])];
    const publicKeySecret = options.publicKeySecret === undefined ? undefined : secretName(options.publicKeySecret);
    const jwksSecret = options.jwksSecret === undefined ? undefined : secretName(options.jwksSecret);
    const jwks: JwksSource | undefined = jwksSecret !== undefined ? { kind: 'secret', name: jwksSecret }
      : configMap !== undefined ? { kind: 'config-map', name: configMap } : undefined;
    return new Auth({ kind: 'jwt', issuer: options.issuer, jwksUri: options.jwksUri, audiences, publicKeySecret, ...(jwks ? { jwks } : {}) },
      problemsOf(
        publicKeySecret === undefined ? undefined : dnsSubdomainProblem(publicKeySecret, 'publicKeySecret'),
        jwksSecret !== undefined && configMap !== undefined ? 'both jwksSecret and jwksConfigMap are set; set one' : undefined,
        jwksSecret === undefined ? undefined : dnsSubdomainProblem(jwksSecret, 'jwksSecret'),
        configMap === undefined ? undefined : dnsSubdomainProblem(configMap, 'jwksConfigMap'),
        options.issuer.trim() === '' ? 'issuer is empty; use the iss claim of the tokens' : undefined,
        httpsUrlProblem(options.jwksUri),
        audiences.some((a) => a.trim() === '') ? 'audiences has an empty entry' : undefined,
      ));
  }

  /**
   * External authentication (the oauth2-proxy / ext_authz pattern): each request is first sent to
   * an auth service, and passes only when it answers 2xx. ingress-nginx's `auth-url`, Istio's
   * `CUSTOM` AuthorizationPolicy (an extension provider of the mesh), Gateway API's `ExternalAuth`
   * filter (experimental channel), the NGINX engine's `auth_request`.
   */
  public static external(options: ExternalAuthOptions): Auth {
    const types = externalTypeProblems(options);
    if (types.length > 0) return new Auth(INERT, types);
    const forwardHeaders = (options.forwardHeaders ?? []).map((h) => h.toLowerCase());
    const responseHeaders = (options.responseHeaders ?? []).map((h) => h.toLowerCase());
    return new Auth({ kind: 'external', service: options.service, path: options.path, forwardHeaders, responseHeaders, signinUrl: options.signinUrl },
      problemsOf(
        options.path === undefined ? undefined : authPathProblem(options.path),
        ...headerListProblems(forwardHeaders, 'forwardHeaders'),
        ...headerListProblems(responseHeaders, 'responseHeaders'),
        options.signinUrl === undefined ? undefined : signinUrlProblem(options.signinUrl),
      ));
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /**
   * What was declared; read by the intent builder.
   * @internal
   */
  public readonly _spec: AuthSpec;

  private constructor(spec: AuthSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}

/** Stands in for the spec of an Auth whose options have the wrong types (its problems stop synth). */
const INERT: AuthSpec = { kind: 'basic', secretName: '', realm: '' };

/**
 * The options' runtime types: an object, with `secret` a SecretRef (unless `withSecret` is false)
 * and each of `fields` of its kind when set (`issuer` and `jwksUri` of Auth.jwt are required).
 */
function optionTypeProblems(options: unknown, fields: Record<string, 'string' | 'strings' | 'secret'>, withSecret = true): string[] {
  if (!isPlainObject(options)) return [`options is ${describeValue(options)}; use an object`];
  const o = options as Record<string, unknown>;
  const problems = problemsOf(withSecret ? secretRefProblem(o.secret) : undefined);
  for (const [field, kind] of Object.entries(fields)) {
    const value = o[field];
    if (value === undefined && !(field === 'issuer' || field === 'jwksUri')) continue;
    const problem = kind === 'string' ? notAString(value, field)
      : kind === 'secret' ? secretRefProblem(value, field)
        : Array.isArray(value) && value.every((v) => typeof v === 'string') ? undefined : `${field} is ${describeValue(value)}; use an array of strings`;
    if (problem) problems.push(problem);
  }
  return problems;
}

/** Auth.external's runtime types: `service` a Backend, the others strings or arrays of strings when set. */
function externalTypeProblems(options: unknown): string[] {
  if (!isPlainObject(options)) return [`options is ${describeValue(options)}; use an object`];
  const o = options as Record<string, unknown>;
  const problems = o.service instanceof Backend ? [] : [`service is ${describeValue(o.service)}; use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)`];
  for (const field of ['path', 'signinUrl']) {
    const problem = o[field] === undefined ? undefined : notAString(o[field], field);
    if (problem) problems.push(problem);
  }
  for (const field of ['forwardHeaders', 'responseHeaders']) {
    const value = o[field];
    if (value !== undefined && !(Array.isArray(value) && value.every((v) => typeof v === 'string'))) problems.push(`${field} is ${describeValue(value)}; use an array of strings`);
  }
  return problems;
}

/** Segments of URL path characters (Gateway API's `http.path` grammar), each not empty: no trailing "/". */
const AUTH_PATH = /^(?:\/(?:[-A-Za-z0-9._~!$&'()*+,;=:@]|%[0-9a-fA-F]{2})+)+$/;

function authPathProblem(path: string): string | undefined {
  if (path.length > 1024) return `path is ${path.length} characters long; use at most 1024`;
  if (AUTH_PATH.test(path)) return undefined;
  return `path ${JSON.stringify(path)} is not a path prefix: "/" and segments of letters, digits, "-._~!$&'()*+,;=:@" or %XX escapes, `
    + 'with no empty segment or trailing "/" (the client\'s path follows it)';
}

/**
 * Headers every auth request carries or that belong to the connection: the proxies set them
 * themselves (`host`, `content-length` of the bodiless auth request, hop-by-hop headers).
 */
const PROXY_OWNED_HEADERS = ['host', 'content-length', 'connection', 'keep-alive', 'transfer-encoding', 'te', 'upgrade', 'trailer', 'proxy-connection'];

function headerListProblems(names: readonly string[], field: string): (string | undefined)[] {
  return names.map((name, i) => {
    const problem = headerNameProblem(name);
    if (problem) return `${field}[${i}]: ${problem}`;
    if (PROXY_OWNED_HEADERS.includes(name)) return `${field}[${i}]: "${name}" belongs to the connection or the proxy, which sets it itself; remove it`;
    if (names.indexOf(name) !== i) return `${field}[${i}]: "${name}" is listed twice (header names are case-insensitive)`;
    return undefined;
  });
}

function signinUrlProblem(url: string): string | undefined {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (parsed === undefined || !(parsed.protocol === 'https:' || parsed.protocol === 'http:') || parsed.host === '') {
    return `signinUrl ${JSON.stringify(url)} is not an http or https URL`;
  }
  // Written as declared: the URL parser would accept (and silently re-encode) spaces and controls.
  if (/[\s\x00-\x1f\x7f"<>\\^`{|}]/.test(url)) return `signinUrl ${JSON.stringify(url)} has a space, control character or one of "<>\\^\`{|}; percent-encode it`;
  return undefined;
}

function httpsUrlProblem(uri: string): string | undefined {
  try {
    if (new URL(uri).protocol === 'https:') return undefined;
  } catch {
    // reported below
  }
  return `jwksUri "${uri}" is not an https URL; keys must come over TLS`;
}
