import type * as JsYaml from 'js-yaml';
import { RouteIntent, routeName } from '../../../intent/model';
import { orderBySpecificity } from '../../../intent/precedence';
import { escapeRegex } from '../../shared/regex';
import { forEachConsumer, shellLiteral, yamlStringBody } from '../credentials';
import { backendAddress, EngineContext, HSTS_POLICY } from '../engine';

/** Where the Kong engine keeps its files in the pod. */
export const KONG_PATHS = {
  config: '/kong/config',
  generated: '/kong/generated',
  secrets: '/kong/secrets',
  tls: '/kong/tls',
} as const;

export interface KongConfigOptions {
  readonly clusterDomain: string;
  /** Largest request body, in kilobytes (request-size-limiting). */
  readonly maxBodyKb: number;
  readonly cacheTtlSeconds?: number;
}

/** The declarative configuration, the Secrets it reads, and the script that adds their consumers. */
export interface KongConfig {
  readonly config: string;
  readonly secrets: readonly string[];
  readonly initScript: string;
}

type Plugin = { name: string; config?: Record<string, unknown> };

/**
 * A Kong DB-less declarative configuration (`_format_version: "3.0"`) for the intent: a service
 * and a route per intent route, an upstream per route with weighted targets, and plugins
 * (key-auth, basic-auth and jwt with acl, rate-limiting, cors, request/response-transformer,
 * proxy-cache, request-size-limiting; prometheus and file-log for every request). Consumers and
 * their credentials are not in it: the init container appends them from the mounted Secrets.
 */
export function renderKongConfig(ctx: EngineContext, options: KongConfigOptions): KongConfig {
  const { intent } = ctx;
  const routes = orderBySpecificity(intent.routes);
  const apiKeySecrets = new Set<string>();
  const basicSecrets = new Set<string>();
  const jwtSecrets = new Map<string, string>();

  const services = routes.map((route, i) => {
    // Kong entity names take letters, digits and `-._~`: route names are that.
    const name = routeName(route);
    if (route.action.kind === 'redirect') ctx.fail(route.sources.redirect!, 'Kong (OSS) has no redirect plugin in this version; use the nginx engine, istio or gatewayApi');
    if (route.mirror) ctx.fail(route.sources.mirror!, 'Kong (OSS) cannot mirror traffic; use the nginx engine, istio or gatewayApi');
    const plugins: Plugin[] = [];
    const auth = route.auth;
    if (auth?.kind === 'api-key') {
      apiKeySecrets.add(auth.secretName);
      plugins.push({ name: 'key-auth', config: { key_names: [auth.header], hide_credentials: true } }, acl(auth.secretName));
    } else if (auth?.kind === 'basic') {
      basicSecrets.add(auth.secretName);
      plugins.push({ name: 'basic-auth', config: { hide_credentials: true, realm: auth.realm } }, acl(auth.secretName));
    } else if (auth?.kind === 'jwt') {
      const other = jwtSecrets.get(auth.publicKeySecret ?? '');
      if (other !== undefined && other !== auth.issuer) {
        ctx.fail(route.sources.auth!, `publicKeySecret "${auth.publicKeySecret}" is already the key of issuer ${other}; one Secret per issuer`);
      }
      if (auth.audiences.length > 0) ctx.fail(`${route.sources.auth!}.audiences`, 'Kong\'s jwt plugin does not check audiences; remove them or use istio');
      if (auth.publicKeySecret === undefined) ctx.fail(route.sources.auth!, 'Kong\'s jwt plugin verifies with the issuer\'s public key, not a JWKS URI: set Auth.jwt({ ..., publicKeySecret })');
      jwtSecrets.set(auth.publicKeySecret, auth.issuer);
      plugins.push({ name: 'jwt', config: { key_claim_name: 'iss', claims_to_verify: ['exp'], header_names: ['authorization'] } }, acl(auth.publicKeySecret));
    }
    if (route.rateLimit) {
      const r = route.rateLimit;
      if (r.burst > 0) ctx.fail(`${route.sources.rateLimit!}.burst`, 'Kong\'s rate-limiting counts fixed windows and has no burst; set burst to 0');
      plugins.push({ name: 'rate-limiting', config: { [r.per]: r.requests, policy: 'local', limit_by: r.key === 'api-key' ? 'consumer' : 'ip', error_code: 429 } });
    }
    if (route.cors) {
      const c = route.cors;
      plugins.push({
        name: 'cors',
        config: {
          origins: [...c.allowOrigins],
          methods: [...c.allowMethods],
          headers: c.allowHeaders.length > 0 ? [...c.allowHeaders] : undefined,
          exposed_headers: c.exposeHeaders.length > 0 ? [...c.exposeHeaders] : undefined,
          credentials: c.allowCredentials,
          max_age: c.maxAgeSeconds,
          preflight_continue: false,
        },
      });
    }
    if (route.requestHeaders) plugins.push({ name: 'request-transformer', config: transformer(route.requestHeaders) });
    // With TLS every response carries HSTS; a route's own transformer would shadow a global one.
    const responseEdits = route.responseHeaders ?? (intent.tls ? { set: [], add: [], remove: [] } : undefined);
    if (responseEdits) plugins.push({ name: 'response-transformer', config: transformer(responseEdits, intent.tls ? [HSTS] : []) });
    if (options.cacheTtlSeconds !== undefined) {
      plugins.push({ name: 'proxy-cache', config: { strategy: 'memory', cache_ttl: options.cacheTtlSeconds, request_method: ['GET', 'HEAD'], response_code: [200, 301, 404] } });
    }

    const retries = route.retries;
    if (retries && retries.attempts > 0 && retries.retryOn.some((on) => on !== 'connect-failure' && on !== 'reset')) {
      ctx.fail(`${route.sources.retries!}.retryOn`, 'Kong retries connection failures only; set retryOn to ["connect-failure", "reset"]');
    }
    if (retries?.perTryTimeoutMs !== undefined && route.timeoutMs !== undefined) {
      ctx.fail(`${route.sources.retries!}.perTryTimeout`, 'Kong bounds each try (read_timeout), not the whole request: set either timeout or retries.perTryTimeout');
    }
    const perTry = retries?.perTryTimeoutMs ?? route.timeoutMs;
    const { kind, value } = route.match.path;
    const rewrite = route.rewrite?.path;
    return {
      name,
      host: `upstream-${i}`,
      port: route.action.kind === 'forward' ? route.action.backends[0].backend.port : 80,
      protocol: 'http',
      path: rewrite,
      retries: retries?.attempts ?? 0,
      // Connecting gets the request's bound too, at most Kong's default of 60 s.
      ...(perTry === undefined ? {} : { connect_timeout: Math.min(perTry, 60_000), read_timeout: perTry, write_timeout: perTry }),
      routes: [{
        name,
        hosts: intent.hosts.length > 0 ? [...intent.hosts] : undefined,
        // Kong matches prefixes as strings (as Istio does) and regexes from the start; exact
        // paths and regexes are anchored at the end.
        paths: [kind === 'prefix' ? value : kind === 'exact' ? `~${escapeRegex(value)}$` : `~(?:${value})$`],
        methods: route.match.method ? [route.match.method] : undefined,
        headers: route.match.headers.length === 0 ? undefined : Object.fromEntries(route.match.headers.map((h) => [h.name,
          [h.kind === 'exact' ? h.value : `~*${h.kind === 'prefix' ? `${escapeRegex(h.value)}.*` : h.value}`]])),
        // A rewrite replaces the matched part: Kong strips it and prepends the service path.
        strip_path: rewrite !== undefined,
        preserve_host: route.rewrite?.host === undefined,
        // Most specific first, as every strategy orders routes.
        regex_priority: routes.length - i,
        // When Kong terminates TLS, plain HTTP is redirected to HTTPS. Behind an L7 front that
        // terminates TLS, Kong gets plain HTTP and must serve it (a redirect would loop).
        protocols: ctx.tls ? ['https'] : ['http', 'https'],
        https_redirect_status_code: ctx.tls ? 301 : undefined,
      }],
      plugins: plugins.length > 0 ? plugins : undefined,
    };
  });

  if (routes.some((r) => r.match.queryParams.length > 0)) {
    ctx.fail(routes.find((r) => r.match.queryParams.length > 0)!.field + '.match.queryParams', 'Kong routes do not match query parameters; use the nginx engine, istio or gatewayApi');
  }

  const upstreams = routes.map((route, i) => ({
    name: `upstream-${i}`,
    host_header: route.rewrite?.host,
    targets: (route.action.kind === 'forward' ? route.action.backends : []).map((b) => ({ target: backendAddress(b.backend, intent, options.clusterDomain), weight: b.weight })),
  }));

  const config = {
    _format_version: '3.0',
    _transform: true,
    services,
    upstreams,
    plugins: [
      { name: 'prometheus', config: { per_consumer: true, status_code_metrics: true, latency_metrics: true, bandwidth_metrics: true } },
      // One JSON line per request on stdout: consumer, route, status, latencies, sizes.
      { name: 'file-log', config: { path: '/dev/stdout', reopen: false } },
      { name: 'request-size-limiting', config: { allowed_payload_size: options.maxBodyKb, size_unit: 'kilobytes' } },
    ],
  };
  // Loaded here: apps without a Kong gateway do not pay for the YAML library at start.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const yaml: typeof JsYaml = require('js-yaml');
  const base = `# Kong declarative configuration of the API gateway for ${intent.path}.\n`
    + '# Generated by cdk8s-expose: edit the ExposedService, not this file. Consumers are added at pod start.\n'
    // Every string value double-quoted: Kong reads YAML 1.1, where a plain `on`, `no` or `1:20`
    // would be a boolean or a number. Unset (undefined) fields are left out; no line folding.
    + yaml.dump(config, { lineWidth: -1, noRefs: true, skipInvalid: true, forceQuotes: true, quotingType: '"' });

  const dir = (secret: string) => `${KONG_PATHS.secrets}/${secret}`;
  const out = `${KONG_PATHS.generated}/kong.yml`;
  // Consumers, appended as YAML from the Secrets: the key material never reaches the YAML of the app.
  const consumers = [
    ...[...apiKeySecrets].sort().map((s) => forEachConsumer(dir(s), `printf '  - username: "%s"\\n    keyauth_credentials:\\n      - key: "%s"\\n    acls:\\n      - group: "${s}"\\n' "$consumer" "$value"`)),
    ...[...basicSecrets].sort().map((s) => forEachConsumer(dir(s), `printf '  - username: "%s"\\n    basicauth_credentials:\\n      - username: "%s"\\n        password: "%s"\\n    acls:\\n      - group: "${s}"\\n' "$consumer" "$consumer" "$value"`)),
    // A JWT issuer is a consumer whose jwt secret holds the issuer's public key (PEM, one line with \n).
    // The issuer is declared data: a single-quoted shell literal, escaped for the YAML string.
    ...[...jwtSecrets.entries()].sort().map(([s, issuer]) => [
      `pem=$(sed 's/$/\\\\n/' ${dir(s)}/public-key.pem | tr -d '\\n')`,
      `printf '  - username: "%s"\\n    jwt_secrets:\\n      - key: "%s"\\n        algorithm: RS256\\n        rsa_public_key: "%s"\\n    acls:\\n      - group: "${s}"\\n' ${shellLiteral(`jwt-${s}`)} ${shellLiteral(yamlStringBody(issuer))} "$pem"`,
    ].join('\n')),
  ];
  const initScript = [
    'set -eu',
    `cp ${KONG_PATHS.config}/kong.yml ${out}`,
    ...(consumers.length === 0 ? [] : [`{\necho 'consumers:'\n${consumers.join('\n')}\n} >> ${out}`]),
  ].join('\n');
  return { config: base, secrets: [...new Set([...apiKeySecrets, ...basicSecrets, ...jwtSecrets.keys()])].sort(), initScript };
}

function acl(group: string): Plugin {
  return { name: 'acl', config: { allow: [group], hide_groups_header: true } };
}

const HSTS = { name: 'Strict-Transport-Security', value: HSTS_POLICY };

/** request-/response-transformer: set = replace if present and add if absent. */
function transformer(e: NonNullable<RouteIntent['requestHeaders']>, extra: { name: string; value: string }[] = []): Record<string, unknown> {
  const pairs = (list: readonly { name: string; value: string }[]) => list.map((h) => `${h.name}:${h.value}`);
  return {
    remove: { headers: [...e.remove] },
    replace: { headers: pairs(e.set) },
    add: { headers: pairs([...e.set, ...extra]) },
    append: { headers: pairs(e.add) },
  };
}
