import { renderAtOrAfter } from './nginx-clock';
import { AccessIntent, AuthIntent, CorsIntent, ExposureIntent, HeaderEditsIntent, RedirectIntent, RouteIntent } from '../../../intent/model';
import { orderBySpecificity } from '../../../intent/precedence';
import { checkLetThrough } from '../engine';
import { aggregateDirectives } from './nginx-aggregate';
import { externalAuthDirectives } from './nginx-external-auth';
import { GRPC_ERROR_PAGE_DIRECTIVES, grpcDirectives, RESTORE_GRPC_PATH } from './nginx-grpc';
import { jwtDirectives, jwtErrorPage } from './nginx-jwt';
import { apiKeyMapFile, HSTS_HEADER, htpasswdFile } from './nginx-layout';
import { proxyDirectives, ProxyTarget, rewritableUriCheck } from './nginx-proxy';
import { renderRouteSelection } from './nginx-route-selection';
import { ConfigLines, headerVariable, literalRegex, quote, regexKey, size, variable } from './nginx-text';

/** The Secrets the routing reads: API keys, and basic auth passwords. */
export interface NginxRouteSecrets {
  readonly apiKeySecrets: string[];
  readonly basicAuthSecrets: string[];
}

/** Options of the NGINX engine that shape the routes. */
export interface NginxRouteOptions {
  readonly clusterDomain: string;
  /** Response cache for GET and HEAD, in seconds; undefined: no cache. */
  readonly cacheTtlSeconds?: number;
  /** Add HSTS to every response (TLS is on). */
  readonly hsts: boolean;
  /** The engine's body limit (`maxBodySize`), in bytes: routes without their own `maxRequestBody` keep it. */
  readonly maxBodyBytes: number;
}

/**
 * nginx routing for the intent's routes: the route selection (see `renderRouteSelection`), then
 * for each route, most specific first, the internal location that carries its policies.
 *
 * Writes the `map`, `upstream`, `limit_req_zone` and `split_clients` blocks to `http` (http
 * level), the `location` blocks to `locations` (the server that serves the exposure's hosts).
 */
export function renderRouting(intent: ExposureIntent, options: NginxRouteOptions, http: ConfigLines, locations: ConfigLines): NginxRouteSecrets {
  const routes = orderBySpecificity(intent.routes);
  // nginx checks the body limit of every location a request enters: the selection's must let
  // through the largest a route accepts, and each route's location then applies its own.
  const declared = routes.flatMap((r) => (r.maxRequestBodyBytes === undefined ? [] : [r.maxRequestBodyBytes]));
  const selectionLimit = declared.length === 0 ? undefined : size(Math.max(options.maxBodyBytes, ...declared));
  renderRouteSelection(routes, http, locations, selectionLimit);
  const writer = new RouteLocations({ intent, clusterDomain: options.clusterDomain, http, locations, upstreams: new Map() }, options);
  routes.forEach((route, i) => writer.write(route, i));
  return writer.secrets();
}

/**
 * A route's internal location, in the order nginx runs it: the rewrite-phase statements (set, if,
 * return) first, in order; then the other directives.
 */
interface RouteLocation {
  readonly statements: string[];
  readonly directives: string[];
}

/**
 * Writes the routes' locations, and the http-level objects they share: one per declaration, so
 * routes inheriting a service-level rate limit share its zone (the limit spans them), a CORS
 * policy has one origin map, and an API key Secret read by one header one consumer map.
 */
class RouteLocations {
  private readonly apiKeyConsumers = new Map<string, string>();
  private readonly rateZones = new Map<string, string>();
  private readonly corsOrigins = new Map<string, string>();
  private readonly accessLists = new Map<string, string>();
  private readonly sunsets = new Map<string, string>();
  private readonly apiKeySecrets = new Set<string>();
  private readonly basicAuthSecrets = new Set<string>();
  private jwtErrorPageWritten = false;

  constructor(private readonly target: ProxyTarget, private readonly options: NginxRouteOptions) {}

  /** Route `i` (in specificity order): its policies, then its redirect or its proxy. */
  public write(route: RouteIntent, i: number): void {
    const routeName = quote(route.field === 'routes' ? 'default' : route.field);
    const location: RouteLocation = {
      statements: [`set $route_name ${routeName};`],
      directives: this.options.hsts ? [HSTS_HEADER] : [],
    };
    // The client address first: a refused client gets 403 before anything else answers (a CORS preflight included).
    if (route.access) this.access(route.access, route.sources.access!, location);
    if (route.cors) this.cors(route.cors, route.sources.cors!, i, location);
    if (route.deprecation?.retire) this.retire(route.deprecation.sunsetSeconds, location);
    const consumer = route.auth?.kind === 'api-key' ? this.apiKeyAuth(route.auth, location) : undefined;
    if (route.rateLimit) this.rateLimit(route.rateLimit, route.sources.rateLimit!, consumer, location);
    if (route.auth?.kind === 'basic') this.basicAuth(route.auth, location);
    if (route.auth?.kind === 'jwt') this.jwtAuth(route.auth, i, routeName, location, route.protocol === 'grpc');
    if (route.auth?.kind === 'external') location.directives.push(...externalAuthDirectives(route.auth, i, routeName, this.target));
    if (route.maxRequestBodyBytes !== undefined) location.directives.push(`client_max_body_size ${size(route.maxRequestBodyBytes)};`);
    if (route.responseHeaders) location.directives.push(...responseHeaderDirectives(route.responseHeaders, route.protocol === 'grpc' ? 'grpc_hide_header' : 'proxy_hide_header'));
    if (route.action.kind === 'redirect') {
      this.redirect(route.action, i, location);
    } else if (route.action.kind === 'aggregate') {
      // Not cached: a part's path may take request headers, which the cache key does not hold.
      const aggregate = aggregateDirectives(route, route.action, i, this.target, location.directives.filter((d) => d.startsWith('proxy_set_header ')));
      this.target.locations.block(`location = /__route/${i}`, (body) => body.add(
        'internal;', ...location.statements, ...aggregate.statements, ...location.directives, ...aggregate.directives)).add('');
    } else if (route.protocol === 'grpc') {
      // No response cache (gRPC calls are POSTs); the external auth's headers set as gRPC headers.
      const directives = location.directives.map((d) => d.replace(/^proxy_set_header /, 'grpc_set_header '));
      const grpc = grpcDirectives(route, route.action, i, this.target);
      this.target.locations.block(`location = /__route/${i}`,
        (body) => body.add('internal;', ...GRPC_ERROR_PAGE_DIRECTIVES, ...location.statements, RESTORE_GRPC_PATH, ...directives, ...grpc)).add('');
    } else {
      if (this.options.cacheTtlSeconds !== undefined) location.directives.push(...cacheDirectives(this.options.cacheTtlSeconds));
      const proxy = proxyDirectives(route, route.action, i, this.target);
      this.target.locations.block(`location = /__route/${i}`,
        (body) => body.add('internal;', ...rewritableUriCheck(route, i), ...location.statements, ...location.directives, ...proxy)).add('');
    }
  }

  public secrets(): NginxRouteSecrets {
    return { apiKeySecrets: [...this.apiKeySecrets].sort(), basicAuthSecrets: [...this.basicAuthSecrets].sort() };
  }

  /**
   * A `geo` of the client address (`$remote_addr`: the connection's, or the one the trusted
   * proxies forwarded) to 1 for admitted clients, per declared policy. `geo` takes the longest
   * matching range, and every denied range lies inside an allowed one (or there is no allow
   * list), so a denied range wins. Any other value is refused: the check fails closed.
   */
  private access(a: AccessIntent, declaredAt: string, location: RouteLocation): void {
    const admitted = named(this.accessLists, declaredAt, '$access_', (name) => {
      const fallback = a.allow === undefined ? '1' : '0';
      const entries = new Map<string, string>([['0.0.0.0/0', fallback], ['::/0', fallback]]);
      for (const range of a.allow ?? []) entries.set(range, '1');
      for (const range of a.deny) entries.set(range, '0');
      this.target.http.block(`geo ${name}`, (geo) => geo.add(...[...entries].map(([range, value]) => `${range} ${value};`))).add('');
    });
    location.statements.push(`if (${admitted} != 1) {`, '  return 403;', '}');
  }

  /** CORS headers on every response; a preflight (OPTIONS with an allowed Origin) answered here, before authentication. */
  private cors(c: CorsIntent, declaredAt: string, i: number, location: RouteLocation): void {
    const origin = named(this.corsOrigins, declaredAt, '$cors_origin_', (name) => {
      const origins = c.allowOrigins.includes('*') ? ['default $http_origin;'] : ['default "";', ...c.allowOrigins.map((o) => `${regexKey(literalRegex(o))} $http_origin;`)];
      this.target.http.block(`map $http_origin ${name}`, (map) => map.add(...origins)).add('');
    });
    location.directives.push(
      `add_header Access-Control-Allow-Origin ${origin} always;`,
      ...(c.allowCredentials ? ['add_header Access-Control-Allow-Credentials "true" always;'] : []),
      'add_header Vary "Origin" always;',
    );
    // The preflight gets the headers so far (HSTS, CORS), not Expose-Headers.
    const preflightHeaders = [...location.directives];
    if (c.exposeHeaders.length > 0) location.directives.push(`add_header Access-Control-Expose-Headers ${quote(c.exposeHeaders.join(', '))} always;`);
    location.statements.push(
      `set $cors_preflight_${i} "$request_method:${origin}:$http_access_control_request_method";`,
      `if ($cors_preflight_${i} ~ "^OPTIONS:.+:.+$") {`,
      ...preflightHeaders.map((h) => `  ${h}`),
      `  add_header Access-Control-Allow-Methods ${quote(c.allowMethods.join(', '))} always;`,
      ...(c.allowHeaders.length > 0 ? [`  add_header Access-Control-Allow-Headers ${quote(c.allowHeaders.join(', '))} always;`] : []),
      ...(c.maxAgeSeconds !== undefined ? [`  add_header Access-Control-Max-Age ${c.maxAgeSeconds} always;`] : []),
      '  return 204;',
      '}',
    );
  }

  /**
   * 410 Gone from the sunset on, by the clock at each request (a CORS preflight is still
   * answered, so a browser reads the 410); one clock map per sunset date.
   */
  private retire(sunsetSeconds: number, location: RouteLocation): void {
    const passed = named(this.sunsets, String(sunsetSeconds), '$sunset_passed_', (name) => renderAtOrAfter(name, sunsetSeconds, this.target.http));
    location.statements.push(`if (${passed}) {`, '  return 410;', '}');
  }

  /** 401 without a known key; the consumer's name in `$consumer` (for the usage log and the cache key). Returns the consumer variable. */
  private apiKeyAuth(auth: Extract<AuthIntent, { kind: 'api-key' }>, location: RouteLocation): string {
    const consumer = named(this.apiKeyConsumers, `${auth.secretName} ${auth.header}`, '$api_consumer_', (name) => {
      // Lines `"<key>" "<consumer>";` rendered at pod start from the Secret: no key in the YAML.
      this.target.http.add(`map ${headerVariable(auth.header)} ${name} {`, '  default "";', `  include ${apiKeyMapFile(auth.secretName)};`, '}', '');
      this.apiKeySecrets.add(auth.secretName);
    });
    location.statements.push(`if (${consumer} = "") {`, '  return 401;', '}', `set $consumer ${consumer};`);
    return consumer;
  }

  /** A request zone per declared limit and key (the client address, or the API key's consumer). */
  private rateLimit(r: NonNullable<RouteIntent['rateLimit']>, declaredAt: string, consumer: string | undefined, location: RouteLocation): void {
    const key = r.key === 'api-key' ? consumer ?? '' : '$binary_remote_addr';
    const zone = named(this.rateZones, `${declaredAt} ${key}`, 'rate_', (name) =>
      this.target.http.add(`limit_req_zone ${key} zone=${name}:10m rate=${r.requests}r/${r.per === 'second' ? 's' : 'm'};`, ''));
    location.statements.push(`set $retry_after ${r.per === 'second' ? 1 : 60};`);
    location.directives.push(`limit_req zone=${zone}${r.burst > 0 ? ` burst=${r.burst} nodelay` : ''};`);
  }

  private basicAuth(auth: Extract<AuthIntent, { kind: 'basic' }>, location: RouteLocation): void {
    // auth_basic's WWW-Authenticate header survives the JSON error page.
    location.directives.push(`auth_basic ${quote(auth.realm)};`, `auth_basic_user_file ${htpasswdFile(auth.secretName)};`);
    this.basicAuthSecrets.add(auth.secretName);
  }

  /** The token verified by njs; the subject the consumer. The JSON 401 with its challenge is written once. */
  private jwtAuth(auth: Extract<AuthIntent, { kind: 'jwt' }>, i: number, routeName: string, location: RouteLocation, grpc: boolean): void {
    if (auth.jwks === undefined) checkLetThrough('nginx', 'a JWT without a JWKS Secret or ConfigMap');
    if (!this.jwtErrorPageWritten) jwtErrorPage(this.target.locations, this.options.hsts);
    this.jwtErrorPageWritten = true;
    location.directives.push(...jwtDirectives(auth, i, routeName, this.target.locations, grpc));
  }

  /**
   * Declared parts of the target are literals; unchanged parts come from the request, the path as
   * the client sent it ($request_uri: not decoded, so no CR/LF can reach Location).
   */
  private redirect(r: RedirectIntent, i: number, location: RouteLocation): void {
    const target = redirectTarget(r);
    const { statements, directives } = location;
    // try_files runs after the access checks (rate limit, basic auth); a `return` here would
    // answer before them. The named location only answers, with the route's response headers.
    this.target.locations.block(`location = /__route/${i}`, (body) => body.add('internal;', ...statements, ...directives, `try_files /__redirect__ @redirect_${i};`)).add('');
    this.target.locations.block(`location @redirect_${i}`, (body) => body.add(...directives.filter((d) => d.startsWith('add_header')), `return ${r.statusCode} ${target};`)).add('');
  }
}

/** The redirect's Location, a string nginx expands: declared parts literal, the rest from the request. */
export function redirectTarget(r: RedirectIntent): string {
  return quote(r.scheme ?? variable('scheme'), '://', r.host ?? variable('host'), r.port === undefined ? '' : `:${r.port}`, r.path ?? variable('request_uri'));
}

/** The name of the http-level object for `key`, created (by `create`) on first use: `<prefix><n>`. */
function named(names: Map<string, string>, key: string, prefix: string, create: (name: string) => void): string {
  let name = names.get(key);
  if (name === undefined) {
    name = `${prefix}${names.size}`;
    names.set(key, name);
    create(name);
  }
  return name;
}

/** Hides what the backend sends of the headers set or removed; adds the set and added ones. */
function responseHeaderDirectives(response: HeaderEditsIntent, hide: string): string[] {
  if ([...response.set.map((h) => h.name), ...response.remove].some((n) => n === 'server' || n === 'date')) {
    checkLetThrough('nginx', 'an edit of the Server or Date header, which nginx writes itself');
  }
  return [
    ...[...response.set.map((h) => h.name), ...response.remove].map((name) => `${hide} ${name};`),
    ...[...response.set, ...response.add].map((h) => `add_header ${h.name} ${quote(h.value)} always;`),
  ];
}

/** Successful GET and HEAD responses cached per route, URL and consumer. */
function cacheDirectives(ttlSeconds: number): string[] {
  return [
    'proxy_cache responses;',
    'proxy_cache_methods GET HEAD;',
    // Consumers never share cached responses.
    'proxy_cache_key "$route_name|$scheme$host$request_uri|$consumer$remote_user";',
    `proxy_cache_valid 200 301 404 ${ttlSeconds}s;`,
    'add_header X-Cache-Status $upstream_cache_status always;',
  ];
}
