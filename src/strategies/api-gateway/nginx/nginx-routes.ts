import { BackendIntent, ExposureIntent, HeaderMatchIntent, QueryParamMatchIntent, RouteIntent } from '../../../intent/model';
import { orderBySpecificity } from '../../../intent/precedence';
import { nextUpstreamConditions } from '../../shared/nginx-retries';
import { backendAddress, EngineContext, HSTS_POLICY } from '../engine';
import { ConfigLines, hasVariable, headerVariable, literalRegex, quote } from './nginx-text';

/** Where the gateway finds a Secret's files (mounted read-only, one directory per Secret). */
export const secretDir = (secretName: string) => `/etc/nginx/secrets/${secretName}`;
/** Where the init container writes the credentials it renders from the Secrets (in memory). */
export const GENERATED_DIR = '/etc/nginx/generated';
export const apiKeyMapFile = (secretName: string) => `${GENERATED_DIR}/${secretName}.keys.map`;
export const htpasswdFile = (secretName: string) => `${GENERATED_DIR}/${secretName}.htpasswd`;
/** With TLS, on every response, the gateway's own error pages included. */
export const HSTS_HEADER = `add_header Strict-Transport-Security "${HSTS_POLICY}" always;`;


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
}

/**
 * nginx routing for the intent's routes, injection-proof: each condition of each route is a
 * `map` to 0 or 1 (never a string built from request data), the conditions of a route combine
 * into one flag, and `$route_id` picks the first route whose flag is set, most specific first.
 * `location /` then jumps to the internal location of that route, which carries its policies.
 *
 * Writes the `map`, `upstream`, `limit_req_zone` and `split_clients` blocks to `http` (http
 * level), the `location` blocks to `locations` (the server that serves the exposure's hosts).
 */
export function renderRouting(ctx: EngineContext, options: NginxRouteOptions, http: ConfigLines, locations: ConfigLines): NginxRouteSecrets {
  const routes = orderBySpecificity(ctx.intent.routes);
  const apiKeySecrets = new Set<string>();
  const basicAuthSecrets = new Set<string>();
  const apiKeyMaps = new Map<string, string>();
  // One nginx object per declaration: routes inheriting a service-level rate limit share its zone
  // (the limit spans them), and a CORS policy has one origin map.
  const rateZones = new Map<string, string>();
  const corsMaps = new Map<string, string>();
  const nameFor = (names: Map<string, string>, key: string, prefix: string, create: (name: string) => void) => {
    let name = names.get(key);
    if (name === undefined) {
      name = `${prefix}${names.size}`;
      names.set(key, name);
      create(name);
    }
    return name;
  };

  routes.forEach((route, i) => conditionMaps(route, i, ctx, http));
  // The first route whose flag is 1, in specificity order.
  const flags = routes.map((_r, i) => `$route_${i}`).join('');
  http.block(`map "${flags}" $route_id`, (map) => {
    map.add('default "";');
    routes.forEach((_r, i) => map.add(`"~^${'0'.repeat(i)}1" ${i};`));
  }).add('');

  locations.add(
    'location / {',
    '  # Keep the request path: the jump below replaces $uri.',
    '  set $original_uri $uri;',
    '  if ($route_id = "") {',
    '    return 404;',
    '  }',
    '  rewrite ^ /__route/$route_id last;',
    '}',
    '',
  );

  routes.forEach((route, i) => {
    // Rewrite-phase statements (set, if, return) run in order before the others.
    const lines: string[] = [`set $route_name ${quote(route.field === 'routes' ? 'default' : route.field)};`];
    const directives: string[] = [];
    if (options.hsts) directives.push(HSTS_HEADER);

    if (route.cors) {
      const c = route.cors;
      const origin = nameFor(corsMaps, route.sources.cors!, '$cors_origin_', (name) => {
        const origins = c.allowOrigins.includes('*') ? ['default $http_origin;'] : ['default "";', ...c.allowOrigins.map((o) => `${quote(o)} $http_origin;`)];
        http.block(`map $http_origin ${name}`, (map) => map.add(...origins)).add('');
      });
      const cors = [
        `add_header Access-Control-Allow-Origin ${origin} always;`,
        ...(c.allowCredentials ? ['add_header Access-Control-Allow-Credentials "true" always;'] : []),
        'add_header Vary "Origin" always;',
      ];
      directives.push(...cors, ...(c.exposeHeaders.length > 0 ? [`add_header Access-Control-Expose-Headers ${quote(c.exposeHeaders.join(', '))} always;`] : []));
      // A preflight (OPTIONS with an allowed Origin) is answered here, before authentication.
      lines.push(
        `set $cors_preflight_${i} "$request_method:${origin}:$http_access_control_request_method";`,
        `if ($cors_preflight_${i} ~ "^OPTIONS:.+:.+$") {`,
        ...directives.filter((h) => !h.includes('Expose-Headers')).map((h) => `  ${h}`),
        `  add_header Access-Control-Allow-Methods ${quote(c.allowMethods.join(', '))} always;`,
        ...(c.allowHeaders.length > 0 ? [`  add_header Access-Control-Allow-Headers ${quote(c.allowHeaders.join(', '))} always;`] : []),
        ...(c.maxAgeSeconds !== undefined ? [`  add_header Access-Control-Max-Age ${c.maxAgeSeconds} always;`] : []),
        '  return 204;',
        '}',
      );
    }

    const auth = route.auth;
    if (auth?.kind === 'api-key') {
      const key = `${auth.secretName} ${auth.header}`;
      let variable = apiKeyMaps.get(key);
      if (variable === undefined) {
        variable = `$api_consumer_${apiKeyMaps.size}`;
        apiKeyMaps.set(key, variable);
        // Lines `"<key>" "<consumer>";` rendered at pod start from the Secret: no key in the YAML.
        http.add(`map ${headerVariable(auth.header)} ${variable} {`, '  default "";', `  include ${apiKeyMapFile(auth.secretName)};`, '}', '');
        apiKeySecrets.add(auth.secretName);
      }
      lines.push(`if (${variable} = "") {`, '  return 401;', '}', `set $consumer ${variable};`);
    }


    if (route.rateLimit) {
      const r = route.rateLimit;
      const key = r.key === 'api-key' ? (auth?.kind === 'api-key' ? apiKeyMaps.get(`${auth.secretName} ${auth.header}`)! : '') : '$binary_remote_addr';
      const zone = nameFor(rateZones, `${route.sources.rateLimit!} ${key}`, 'rate_', (name) =>
        http.add(`limit_req_zone ${key} zone=${name}:10m rate=${r.requests}r/${r.per === 'second' ? 's' : 'm'};`, ''));
      lines.push(`set $retry_after ${r.per === 'second' ? 1 : 60};`);
      directives.push(`limit_req zone=${zone}${r.burst > 0 ? ` burst=${r.burst} nodelay` : ''};`);
    }
    if (auth?.kind === 'basic') {
      // auth_basic's WWW-Authenticate header survives the JSON error page.
      directives.push(`auth_basic ${quote(auth.realm)};`, `auth_basic_user_file ${htpasswdFile(auth.secretName)};`);
      basicAuthSecrets.add(auth.secretName);
    }
    if (auth?.kind === 'jwt') ctx.fail(route.sources.auth!, 'nginx OSS cannot validate JWTs');

    const response = route.responseHeaders;
    if (response) {
      // nginx writes Server and Date itself, after every module: OSS nginx cannot change them.
      const own = [...response.set.map((h) => h.name), ...response.remove].find((n) => n === 'server' || n === 'date');
      if (own) ctx.fail(route.sources.responseHeaders!, `nginx always sends its own "${own}" header (server_tokens off hides the version); it cannot be set or removed`);
      for (const name of [...response.set.map((h) => h.name), ...response.remove]) directives.push(`proxy_hide_header ${name};`);
      for (const h of [...response.set, ...response.add]) directives.push(`add_header ${h.name} ${checkedQuote(h.value, route.sources.responseHeaders!, ctx)} always;`);
    }
    if (route.action.kind === 'redirect') {
      const r = route.action;
      // Declared parts are checked literals; unchanged parts come from the request, the path as
      // the client sent it ($request_uri: not decoded, so no CR/LF can reach Location).
      const literal = (v: string) => checkedQuote(v, route.sources.redirect!, ctx).slice(1, -1);
      const host = r.host === undefined ? '$host' : literal(r.host);
      const target = `${r.scheme ?? '$scheme'}://${host}${r.port === undefined ? '' : `:${r.port}`}${r.path === undefined ? '$request_uri' : literal(r.path)}`;
      // try_files runs after the access checks (rate limit, basic auth); a `return` here would
      // answer before them. The named location only answers, with the route's response headers.
      locations.block(`location = /__route/${i}`, (body) => body.add('internal;', ...lines, ...directives, `try_files /__redirect__ @redirect_${i};`)).add('');
      locations.block(`location @redirect_${i}`, (body) => body.add(...directives.filter((d) => d.startsWith('add_header')), `return ${r.statusCode} "${target}";`)).add('');
      return;
    }

    if (options.cacheTtlSeconds !== undefined) {
      directives.push(
        'proxy_cache responses;',
        'proxy_cache_methods GET HEAD;',
        // Consumers never share cached responses.
        'proxy_cache_key "$route_name|$scheme$host$request_uri|$consumer$remote_user";',
        `proxy_cache_valid 200 301 404 ${options.cacheTtlSeconds}s;`,
        'add_header X-Cache-Status $upstream_cache_status always;',
      );
    }

    // With retries each server is listed once per try: a Service is one address, and nginx only
    // retries on another peer of the upstream.
    const tries = route.retries === undefined ? 1 : route.retries.attempts + 1;
    http.add(...upstream(`route_${i}`, route.action.backends.map((b) => [b.backend, b.weight]), ctx.intent, options, tries));
    const proxy: string[] = [
      'proxy_http_version 1.1;',
      'proxy_set_header Connection "";',
      `proxy_set_header Host ${route.rewrite?.host ? quote(route.rewrite.host) : '$host'};`,
      'proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
      'proxy_set_header X-Forwarded-Proto $scheme;',
      'proxy_set_header X-Forwarded-Host $host;',
      'proxy_set_header X-Request-Id $request_id;',
      ...requestHeaderEdits(route, i, http, ctx),
      ...timeouts(route, ctx),
    ];
    if (route.mirror) {
      const m = route.mirror;
      http.add(...upstream(`mirror_${i}`, [[m.backend, 1]], ctx.intent, options));
      if (m.percentage < 100) http.add(`split_clients "$request_id" $mirror_sample_${i} {`, `  ${m.percentage}% 1;`, '  * "";', '}', '');
      proxy.push(`mirror /__mirror/${i};`);
      locations.add(`location = /__mirror/${i} {`, '  internal;',
        ...(m.percentage < 100 ? [`  if ($mirror_sample_${i} = "") {`, '    return 204;', '  }'] : []),
        '  proxy_set_header Host $host;', `  proxy_pass http://mirror_${i}$request_uri;`, '}', '');
    }
    proxy.push(`proxy_pass "http://route_${i}${upstreamUri(route, i, http, ctx)}";`);
    locations.block(`location = /__route/${i}`, (body) => body.add('internal;', ...lines, ...directives, ...proxy)).add('');
  });

  return { apiKeySecrets: [...apiKeySecrets].sort(), basicAuthSecrets: [...basicAuthSecrets].sort() };
}

/** One `map` per condition of a route (0 or 1), and the route's flag when all hold. */
function conditionMaps(route: RouteIntent, i: number, ctx: EngineContext, http: ConfigLines): void {
  const { path, method, headers, queryParams } = route.match;
  const conditions: [string, string][] = [];
  const pathRegex = path.kind === 'exact' ? literalRegex(path.value)
    : path.kind === 'regex' ? `(?:${path.value})`
      : path.value === '/' ? '/.*' : `${literalRegex(path.value)}(?:/.*)?`;
  conditions.push(['$uri', pathRegex]);
  if (method) conditions.push(['$request_method', method]);
  headers.forEach((h) => conditions.push([headerVariable(h.name), valueRegex(h)]));
  queryParams.forEach((q) => conditions.push([argVariable(q, route, ctx), valueRegex(q)]));

  conditions.forEach(([variable, regex], c) => {
    if (hasVariable(regex) || regex.includes('"')) {
      ctx.fail(`${route.field}.match`, `nginx cannot match ${JSON.stringify(regex)}: it contains "$" followed by a name, or a double quote`);
    }
    http.add(`map ${variable} $route_${i}_${c} {`, '  default 0;', `  "~^${regex}$" 1;`, '}');
  });
  const all = conditions.map((_c, c) => `$route_${i}_${c}`).join('');
  http.add(`map "${all}" $route_${i} {`, '  default 0;', `  "${'1'.repeat(conditions.length)}" 1;`, '}', '');
}

function valueRegex(m: HeaderMatchIntent | QueryParamMatchIntent): string {
  return m.kind === 'exact' ? literalRegex(m.value) : m.kind === 'prefix' ? `${literalRegex(m.value)}.*` : `(?:${m.value})`;
}

function argVariable(q: QueryParamMatchIntent, route: RouteIntent, ctx: EngineContext): string {
  if (!/^[A-Za-z0-9_]+$/.test(q.name)) ctx.fail(`${route.field}.match.queryParams`, `nginx reads query parameters as variables; "${q.name}" must be letters, digits and "_"`);
  return `$arg_${q.name}`;
}

/** An upstream of weighted servers: Services by FQDN, resolved when nginx starts. */
function upstream(name: string, servers: [BackendIntent, number][], intent: ExposureIntent, options: NginxRouteOptions, copies = 1): string[] {
  // nginx has no weight 0: such a server takes no traffic while it is marked down. max_fails=0:
  // a Service address is never taken out of rotation (kube-proxy balances behind it).
  const lines = servers.map(([b, weight]) =>
    `  server ${backendAddress(b, intent, options.clusterDomain)}${weight === 0 ? ' down' : ` weight=${weight}`} max_fails=0;`);
  return [`upstream ${name} {`, ...Array.from({ length: copies }, () => lines).flat(), '  keepalive 16;', '}', ''];
}

/** The URI sent upstream: the original one, or the rewritten path with the query string. */
function upstreamUri(route: RouteIntent, i: number, http: ConfigLines, ctx: EngineContext): string {
  const rewrite = route.rewrite?.path;
  if (rewrite === undefined) return '$request_uri';
  const literal = checkedQuote(rewrite, route.sources.rewrite!, ctx).slice(1, -1);
  const { kind, value } = route.match.path;
  if (kind !== 'prefix') return `${literal}$is_args$args`;
  // Element-wise prefix replacement, e.g. /api -> /v2 turns /api/x into /v2/x and /api into /v2,
  // on the URI as the client sent it ($request_uri, with its query): nothing decoded reaches the
  // upstream request line. A URI the pattern does not take (encoded prefix) gets the bare target.
  const base = literal.endsWith('/') && literal !== '/' ? literal.slice(0, -1) : literal;
  const prefix = value === '/' ? '' : literalRegex(value);
  http.add(`map $request_uri $upstream_uri_${i} {`, `  default "${base}";`,
    // The prefix itself (with its query): the bare target.
    `  "~^${prefix}(?<bare_${i}>\\?.*)?$" "${base}$bare_${i}";`,
    // Below the prefix: the target and the rest.
    `  "~^${prefix}(?<rest_${i}>/[^?]*)(?<query_${i}>\\?.*)?$" "${base === '/' ? '' : base}$rest_${i}$query_${i}";`, '}', '');
  return `$upstream_uri_${i}`;
}

function requestHeaderEdits(route: RouteIntent, i: number, http: ConfigLines, ctx: EngineContext): string[] {
  const e = route.requestHeaders;
  if (e === undefined) return [];
  const field = route.sources.requestHeaders!;
  const lines = e.set.map((h) => `proxy_set_header ${h.name} ${checkedQuote(h.value, field, ctx)};`);
  e.add.forEach((h, k) => {
    // Appending joins with ", " when the client sent the header, as repeated headers mean.
    const variable = `$added_header_${i}_${k}`;
    http.add(`map ${headerVariable(h.name)} ${variable} {`, `  "" ${checkedQuote(h.value, field, ctx)};`,
      `  default "${headerVariable(h.name)}, ${checkedQuote(h.value, field, ctx).slice(1, -1)}";`, '}', '');
    lines.push(`proxy_set_header ${h.name} ${variable};`);
  });
  return [...lines, ...e.remove.map((name) => `proxy_set_header ${name} "";`)];
}

function timeouts(route: RouteIntent, ctx: EngineContext): string[] {
  const lines: string[] = [];
  const perTry = route.retries?.perTryTimeoutMs ?? route.timeoutMs;
  // The timeout bounds the request; connecting gets the same bound, at most 60 s (nginx's own
  // default; its docs warn the connect timeout usually cannot exceed 75 s).
  if (perTry !== undefined) lines.push(`proxy_connect_timeout ${Math.min(perTry, 60_000)}ms;`, `proxy_send_timeout ${perTry}ms;`, `proxy_read_timeout ${perTry}ms;`);
  const r = route.retries;
  if (r === undefined) return lines;
  if (r.attempts === 0) return [...lines, 'proxy_next_upstream off;'];
  lines.push(
    `proxy_next_upstream ${nextUpstreamConditions(r, route.sources.retries!, 'nginx', ctx.fail)} non_idempotent;`,
    `proxy_next_upstream_tries ${r.attempts + 1};`,
  );
  if (route.timeoutMs !== undefined) lines.push(`proxy_next_upstream_timeout ${route.timeoutMs}ms;`);
  return lines;
}

function checkedQuote(value: string, field: string, ctx: EngineContext): string {
  if (hasVariable(value)) ctx.fail(field, `nginx would expand "${value}" as a variable; header values cannot contain "$" followed by a name`);
  return quote(value);
}
