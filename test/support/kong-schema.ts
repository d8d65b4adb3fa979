/**
 * A small typed model of Kong 3.9's declarative configuration, from Kong's documentation: the
 * entity fields this library writes, and for each bundled plugin it uses, the config fields and
 * their types. Not a copy of Kong's schemas: enough to catch a misspelt field, a wrong type or an
 * unknown plugin before a cluster does.
 */
import * as YAML from 'yaml';
import { ExternalService, ns, serviceResolves } from './cross-references';
import { Manifest } from './schema';

type FieldType = 'string' | 'number' | 'integer' | 'boolean' | 'string[]' | 'number[]' | 'record' | readonly string[];

const SERVICE: Record<string, FieldType> = {
  name: 'string',
  host: 'string',
  port: 'number',
  protocol: ['http', 'https', 'grpc', 'grpcs', 'tcp', 'tls'],
  path: 'string',
  retries: 'number',
  connect_timeout: 'number',
  read_timeout: 'number',
  write_timeout: 'number',
  tls_verify: 'boolean',
  routes: 'record',
  plugins: 'record',
  tags: 'string[]',
  enabled: 'boolean',
};
const ROUTE: Record<string, FieldType> = {
  name: 'string',
  hosts: 'string[]',
  paths: 'string[]',
  methods: 'string[]',
  headers: 'record',
  strip_path: 'boolean',
  preserve_host: 'boolean',
  regex_priority: 'number',
  protocols: 'string[]',
  https_redirect_status_code: 'number',
  path_handling: ['v0', 'v1'],
  snis: 'string[]',
  request_buffering: 'boolean',
  response_buffering: 'boolean',
  plugins: 'record',
  tags: 'string[]',
};
const HASH_ON = ['none', 'consumer', 'ip', 'header', 'cookie', 'path', 'query_arg', 'uri_capture'] as const;
const UPSTREAM: Record<string, FieldType> = {
  name: 'string',
  targets: 'record',
  host_header: 'string',
  algorithm: ['round-robin', 'consistent-hashing', 'least-connections', 'latency'],
  slots: 'number',
  hash_on: HASH_ON,
  hash_fallback: HASH_ON,
  hash_on_header: 'string',
  hash_on_cookie: 'string',
  hash_on_cookie_path: 'string',
};

/**
 * The upstream's entity checks on hashing: a header or cookie hash names it; a hash is read by
 * the consistent-hashing balancer only (any other algorithm balances without it); the cookie path
 * is a path.
 */
function hashProblems(where: string, u: any): string[] {
  const problems: string[] = [];
  const hashOn = u.hash_on ?? 'none';
  if (hashOn === 'header' && u.hash_on_header === undefined) problems.push(`${where}: hash_on header without hash_on_header`);
  if (hashOn === 'cookie' && u.hash_on_cookie === undefined) problems.push(`${where}: hash_on cookie without hash_on_cookie`);
  if (hashOn !== 'none' && u.algorithm !== 'consistent-hashing') problems.push(`${where}: hash_on ${hashOn} with algorithm ${u.algorithm ?? 'round-robin'}, which does not hash`);
  if (u.hash_on_cookie_path !== undefined && !String(u.hash_on_cookie_path).startsWith('/')) problems.push(`${where}: hash_on_cookie_path is not a path`);
  if (u.hash_on_header !== undefined && !/^[A-Za-z0-9_-]+$/.test(u.hash_on_header)) problems.push(`${where}: hash_on_header is not a header name`);
  if (u.hash_on_cookie !== undefined && !/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(u.hash_on_cookie)) problems.push(`${where}: hash_on_cookie is not a cookie name`);
  return problems;
}
const TARGET: Record<string, FieldType> = { target: 'string', weight: 'number' };

/** Bundled plugins and their config fields. */
export const PLUGINS: Record<string, Record<string, FieldType>> = {
  'key-auth': { key_names: 'string[]', hide_credentials: 'boolean', key_in_header: 'boolean', key_in_query: 'boolean', key_in_body: 'boolean', anonymous: 'string', run_on_preflight: 'boolean', realm: 'string' },
  'basic-auth': { hide_credentials: 'boolean', anonymous: 'string', realm: 'string' },
  'jwt': {
    key_claim_name: 'string',
    claims_to_verify: 'string[]',
    header_names: 'string[]',
    uri_param_names: 'string[]',
    cookie_names: 'string[]',
    secret_is_base64: 'boolean',
    anonymous: 'string',
    run_on_preflight: 'boolean',
    maximum_expiration: 'number',
    realm: 'string',
  },
  'pre-function': { access: 'string[]' },
  'ip-restriction': { allow: 'string[]', deny: 'string[]', status: 'number', message: 'string' },
  'acl': { allow: 'string[]', deny: 'string[]', hide_groups_header: 'boolean', always_use_authenticated_groups: 'boolean', include_consumer_groups: 'boolean' },
  'rate-limiting': {
    second: 'number',
    minute: 'number',
    hour: 'number',
    day: 'number',
    month: 'number',
    year: 'number',
    policy: ['local', 'cluster', 'redis'],
    limit_by: ['consumer', 'credential', 'ip', 'service', 'header', 'path', 'consumer-group'],
    fault_tolerant: 'boolean',
    hide_client_headers: 'boolean',
    error_code: 'number',
    error_message: 'string',
    header_name: 'string',
    path: 'string',
    sync_rate: 'number',
  },
  'cors': {
    origins: 'string[]',
    methods: 'string[]',
    headers: 'string[]',
    exposed_headers: 'string[]',
    credentials: 'boolean',
    max_age: 'number',
    preflight_continue: 'boolean',
    private_network: 'boolean',
  },
  'request-transformer': { http_method: 'string', remove: 'record', rename: 'record', replace: 'record', add: 'record', append: 'record' },
  'response-transformer': { remove: 'record', rename: 'record', replace: 'record', add: 'record', append: 'record' },
  'proxy-cache': {
    response_code: 'number[]',
    request_method: 'string[]',
    content_type: 'string[]',
    cache_ttl: 'number',
    strategy: ['memory'],
    cache_control: 'boolean',
    ignore_uri_case: 'boolean',
    storage_ttl: 'number',
    memory: 'record',
    vary_query_params: 'string[]',
    vary_headers: 'string[]',
    response_headers: 'record',
  },
  'request-size-limiting': { allowed_payload_size: 'integer', size_unit: ['megabytes', 'kilobytes', 'bytes'], require_content_length: 'boolean' },
  'prometheus': { per_consumer: 'boolean', status_code_metrics: 'boolean', latency_metrics: 'boolean', bandwidth_metrics: 'boolean', upstream_health_metrics: 'boolean', ai_metrics: 'boolean' },
  'file-log': { path: 'string', reopen: 'boolean', custom_fields_by_lua: 'record' },
  'grpc-web': { proto: 'string', pass_stripped_path: 'boolean', allow_origin_header: 'string' },
  'grpc-gateway': { proto: 'string' },
};

/**
 * Kong's checks of gRPC entities (routes.lua's grpc subschema, services.lua): a route of protocols
 * grpc/grpcs sets no `strip_path` true and no methods, and speaks gRPC only; a service of protocol
 * grpc/grpcs has no path; the translating plugins sit on a service that speaks gRPC, grpc-gateway
 * with its `proto`.
 */
function grpcEntityProblems(where: string, s: any): string[] {
  const problems: string[] = [];
  const grpcService = s.protocol === 'grpc' || s.protocol === 'grpcs';
  if (grpcService && s.path !== undefined) problems.push(`${where}: path: value must be null (protocol ${s.protocol})`);
  (s.routes ?? []).forEach((r: any, j: number) => {
    const protocols: string[] = r.protocols ?? ['http', 'https'];
    const grpc = protocols.filter((p) => p === 'grpc' || p === 'grpcs');
    if (grpc.length === 0) return;
    if (grpc.length !== protocols.length) problems.push(`${where}.routes[${j}]: protocols mix gRPC and others: ${protocols.join(', ')}`);
    if (r.strip_path !== false) problems.push(`${where}.routes[${j}]: cannot set 'strip_path' when 'protocols' is 'grpc' or 'grpcs'`);
    if (r.methods !== undefined) problems.push(`${where}.routes[${j}]: cannot set 'methods' when 'protocols' is 'grpc' or 'grpcs'`);
    if (!grpcService) problems.push(`${where}.routes[${j}]: a gRPC route of a service of protocol ${s.protocol}`);
  });
  for (const p of [...s.plugins ?? [], ...(s.routes ?? []).flatMap((r: any) => r.plugins ?? [])]) {
    if ((p.name === 'grpc-web' || p.name === 'grpc-gateway') && !grpcService) problems.push(`${where}: ${p.name} on a service of protocol ${s.protocol}`);
    if (p.name === 'grpc-gateway' && typeof p.config?.proto !== 'string') problems.push(`${where}: grpc-gateway without proto`);
  }
  return problems;
}

function typeProblems(where: string, value: Record<string, unknown>, fields: Record<string, FieldType>): string[] {
  const problems: string[] = [];
  for (const [key, v] of Object.entries(value)) {
    const type = fields[key];
    if (type === undefined) {
      problems.push(`${where}: unknown field "${key}"`);
      continue;
    }
    const ok = Array.isArray(type) ? type.includes(v as string)
      : type === 'string[]' ? Array.isArray(v) && v.every((x) => typeof x === 'string')
        : type === 'number[]' ? Array.isArray(v) && v.every((x) => typeof x === 'number')
          : type === 'record' ? typeof v === 'object' && v !== null
            : type === 'integer' ? Number.isSafeInteger(v)
              : typeof v === type;
    if (!ok) problems.push(`${where}: field "${key}" is not ${Array.isArray(type) ? `one of ${type.join(', ')}` : `a ${type}`}: ${JSON.stringify(v)}`);
  }
  return problems;
}

/** The problems of one Kong declarative configuration in the output of an app. */
export function kongConfigProblems(config: string, manifests: readonly Manifest[], namespace: string,
  external: readonly ExternalService[]): string[] {
  const problems: string[] = [];
  let doc: any;
  try {
    // As Kong reads it: YAML 1.1, where a plain `on` is a boolean and `1:20` a number.
    doc = YAML.parse(config, { version: '1.1' });
  } catch (e) {
    return [`does not parse: ${(e as Error).message}`];
  }
  if (doc._format_version !== '3.0') problems.push(`_format_version is ${JSON.stringify(doc._format_version)}, not "3.0"`);
  if (doc.consumers !== undefined) problems.push('consumers are in the configuration: credentials must come from Secrets at pod start');
  const upstreams = new Map<string, any>((doc.upstreams ?? []).map((u: any) => [u.name, u]));
  const checkPlugins = (where: string, plugins: any[] | undefined) => (plugins ?? []).forEach((p, i) => {
    const fields = PLUGINS[p.name];
    if (fields === undefined) problems.push(`${where}.plugins[${i}]: "${p.name}" is not a bundled plugin the library uses`);
    else problems.push(...typeProblems(`${where}.plugins[${i}] (${p.name}).config`, p.config ?? {}, fields));
  });
  const names = new Set<string>();
  (doc.services ?? []).forEach((s: any, i: number) => {
    const where = `services[${i}]`;
    problems.push(...typeProblems(where, s, SERVICE), ...grpcEntityProblems(where, s));
    if (names.has(s.name)) problems.push(`${where}: duplicate service name ${s.name}`);
    names.add(s.name);
    if (!upstreams.has(s.host)) problems.push(`${where}: host ${s.host} is no upstream of the configuration`);
    if ((s.routes ?? []).length === 0) problems.push(`${where}: has no route`);
    (s.routes ?? []).forEach((r: any, j: number) => {
      problems.push(...typeProblems(`${where}.routes[${j}]`, r, ROUTE));
      if ((r.paths ?? []).length === 0) problems.push(`${where}.routes[${j}]: has no path`);
      checkPlugins(`${where}.routes[${j}]`, r.plugins);
    });
    checkPlugins(where, s.plugins);
  });
  checkPlugins('plugins', doc.plugins);
  for (const [name, u] of upstreams) {
    problems.push(...typeProblems(`upstreams[${name}]`, u, UPSTREAM), ...hashProblems(`upstreams[${name}]`, u));
    for (const t of u.targets ?? []) {
      problems.push(...typeProblems(`upstreams[${name}].targets`, t, TARGET));
      const m = /^([^.:]+)(?:\.([^.]+)\.svc\.[^:]+)?:(\d+)$/.exec(t.target);
      if (!m) {problems.push(`upstreams[${name}]: target ${t.target} is not a Service address`);} else if (!serviceResolves(manifests, external, m[1], m[2] ?? namespace, Number(m[3]))) {
        problems.push(`upstreams[${name}]: target ${t.target} is no Service port in the output nor a declared external Service`);
      }
    }
  }
  return problems;
}

/** Problems of every Kong configuration ConfigMap in the output, and of the Kong Ingress Controller's objects. */
export function kongProblems(manifests: readonly Manifest[], external: readonly ExternalService[]): string[] {
  return [
    ...manifests.filter((m) => m.kind === 'ConfigMap' && m.data?.['kong.yml'] !== undefined)
      .flatMap((m) => kongConfigProblems(m.data['kong.yml'], manifests, ns(m), external).map((p) => `ConfigMap/${m.metadata.name}: kong.yml: ${p}`)),
    ...kongIngressControllerProblems(manifests),
  ];
}

const KONG_GROUP = 'configuration.konghq.com/';

/**
 * The keys the Kong Ingress Controller (3.x) reads from a credential Secret, by the kind its
 * `konghq.com/credential` label names: required, then optional.
 */
export const CREDENTIAL_KEYS: Record<string, { readonly required: readonly string[]; readonly optional: readonly string[] }> = {
  'key-auth': { required: ['key'], optional: ['ttl', 'tags'] },
  'basic-auth': { required: ['username', 'password'], optional: ['tags'] },
  'jwt': { required: ['key', 'algorithm'], optional: ['rsa_public_key', 'secret', 'tags'] },
  'acl': { required: ['group'], optional: ['tags'] },
};

/**
 * KongPlugins: a bundled plugin the library uses, its config passing the same model as kong.yml's
 * (the CRD keeps `config` open: Kong's own plugin schemas are not vendored). KongConsumers: the
 * ingress class KIC loads them by, a username, and each credential Secret the output declares
 * labelled `konghq.com/credential` with the keys KIC reads for that kind (an RS256 jwt with its
 * `rsa_public_key`).
 */
export function kongIngressControllerProblems(manifests: readonly Manifest[]): string[] {
  const problems: string[] = [];
  for (const m of manifests.filter((x) => x.apiVersion.startsWith(KONG_GROUP))) {
    const id = `${m.kind}/${m.metadata.name}`;
    if (m.kind === 'KongPlugin') {
      const fields = PLUGINS[m.plugin];
      if (fields === undefined) problems.push(`${id}: "${m.plugin}" is not a bundled plugin the library uses`);
      else problems.push(...typeProblems(`${id} (${m.plugin}).config`, m.config ?? {}, fields));
    }
    if (m.kind !== 'KongConsumer') continue;
    if (m.metadata.annotations?.['kubernetes.io/ingress.class'] === undefined) problems.push(`${id}: no kubernetes.io/ingress.class annotation: KIC ignores it`);
    for (const name of m.credentials ?? []) {
      const secret = manifests.find((x) => x.kind === 'Secret' && x.metadata.name === name && ns(x) === ns(m));
      if (secret === undefined) continue;
      const kind = secret.metadata.labels?.['konghq.com/credential'];
      const keys = CREDENTIAL_KEYS[kind ?? ''];
      if (keys === undefined) {
        problems.push(`${id}: credential Secret ${name} has no konghq.com/credential label of a kind KIC reads (${Object.keys(CREDENTIAL_KEYS).join(', ')})`);
        continue;
      }
      const data = { ...secret.data, ...secret.stringData };
      const missing = keys.required.filter((k) => data[k] === undefined);
      if (missing.length > 0) problems.push(`${id}: ${kind} credential Secret ${name} has no key ${missing.join(', ')}`);
      const unknown = Object.keys(data).filter((k) => !keys.required.includes(k) && !keys.optional.includes(k));
      if (unknown.length > 0) problems.push(`${id}: ${kind} credential Secret ${name} has keys KIC does not read: ${unknown.join(', ')}`);
      if (kind === 'jwt' && data.rsa_public_key === undefined) problems.push(`${id}: jwt credential Secret ${name} has no rsa_public_key (RS256)`);
    }
  }
  return problems;
}
