/**
 * The entities of Kong's declarative configuration (`_format_version: "3.0"`) that the Kong
 * engine writes, with the fields it sets: a typed subset of Kong 3.9's schema (test/support
 * checks the output against a model of it). Fields are dumped in the order the objects are
 * built; unset (undefined) ones are left out.
 */

export interface KongDeclarativeConfig {
  readonly _format_version: '3.0';
  readonly _transform: true;
  readonly services: readonly KongService[];
  readonly upstreams: readonly KongUpstream[];
  /** Global plugins: they run for every request. */
  readonly plugins: readonly KongPlugin[];
}

/** A service per route: where it proxies (an upstream, by name) and how. */
export interface KongService {
  readonly name: string;
  /** The upstream's name. */
  readonly host: string;
  readonly port: number;
  /** `https` (`grpcs` for gRPC): TLS to the backends, unverified (`tls_verify: false`). */
  readonly protocol: 'http' | 'https' | 'grpc' | 'grpcs';
  readonly tls_verify?: boolean;
  /** Prepended to what the route leaves of the path (a rewrite, with `strip_path`). */
  readonly path?: string;
  readonly retries: number;
  /** Milliseconds. */
  readonly connect_timeout?: number;
  readonly read_timeout?: number;
  readonly write_timeout?: number;
  readonly routes: readonly KongRoute[];
  readonly plugins?: readonly KongPlugin[];
}

export interface KongRoute {
  readonly name: string;
  readonly hosts?: readonly string[];
  /** A prefix, or a regex after `~`. */
  readonly paths: readonly string[];
  readonly methods?: readonly string[];
  /** Header name -> values, a value after `~*` a regex. */
  readonly headers?: Readonly<Record<string, readonly string[]>>;
  readonly strip_path: boolean;
  readonly preserve_host: boolean;
  readonly regex_priority: number;
  readonly protocols: readonly ('http' | 'https' | 'grpc' | 'grpcs')[];
  readonly https_redirect_status_code?: number;
}

/**
 * Weighted targets (`host:port`) of a service. With a hash (`hash_on`), a consistent-hashing ring
 * of every address the targets resolve to.
 */
export interface KongUpstream {
  readonly name: string;
  readonly host_header?: string;
  readonly algorithm?: 'consistent-hashing';
  readonly hash_on?: 'cookie' | 'header' | 'ip';
  readonly hash_on_cookie?: string;
  readonly hash_on_cookie_path?: string;
  readonly hash_on_header?: string;
  readonly targets: readonly { readonly target: string; readonly weight: number }[];
}

/** request-transformer and response-transformer: headers as `name:value`. */
export interface KongTransformerConfig {
  readonly remove: { readonly headers: readonly string[] };
  readonly replace: { readonly headers: readonly string[] };
  readonly add: { readonly headers: readonly string[] };
  readonly append: { readonly headers: readonly string[] };
}

/** The bundled plugins the engine configures, each with the config fields it sets. */
export type KongPlugin =
  | { readonly name: 'key-auth'; readonly config: { readonly key_names: readonly string[]; readonly hide_credentials: boolean } }
  | { readonly name: 'basic-auth'; readonly config: { readonly hide_credentials: boolean; readonly realm: string } }
  | {
    readonly name: 'jwt';
    readonly config: { readonly key_claim_name: string; readonly claims_to_verify: readonly string[]; readonly header_names: readonly string[] };
  }
  | {
    readonly name: 'ip-restriction';
    readonly config: { readonly allow?: readonly string[]; readonly deny?: readonly string[]; readonly status: number; readonly message: string };
  }
  | { readonly name: 'acl'; readonly config: { readonly allow: readonly string[]; readonly hide_groups_header: boolean } }
  | {
    readonly name: 'rate-limiting';
    readonly config: {
      readonly second?: number;
      readonly minute?: number;
      readonly policy: 'local';
      readonly limit_by: 'consumer' | 'ip';
      readonly error_code: number;
    };
  }
  | {
    readonly name: 'cors';
    readonly config: {
      readonly origins: readonly string[];
      readonly methods: readonly string[];
      readonly headers?: readonly string[];
      readonly exposed_headers?: readonly string[];
      readonly credentials: boolean;
      readonly max_age?: number;
      readonly preflight_continue: boolean;
    };
  }
  | { readonly name: 'request-transformer' | 'response-transformer'; readonly config: KongTransformerConfig }
  // Lua the library generates (no declared text in it), run before every other plugin.
  | { readonly name: 'pre-function'; readonly config: { readonly access: readonly string[] } }
  | {
    readonly name: 'proxy-cache';
    readonly config: {
      readonly strategy: 'memory';
      readonly cache_ttl: number;
      readonly request_method: readonly string[];
      readonly response_code: readonly number[];
    };
  }
  | {
    readonly name: 'prometheus';
    readonly config: {
      readonly per_consumer: boolean;
      readonly status_code_metrics: boolean;
      readonly latency_metrics: boolean;
      readonly bandwidth_metrics: boolean;
    };
  }
  | { readonly name: 'file-log'; readonly config: { readonly path: string; readonly reopen: boolean } }
  | { readonly name: 'grpc-web'; readonly config: Record<string, never> }
  | { readonly name: 'grpc-gateway'; readonly config: { readonly proto: string } }
  | { readonly name: 'request-size-limiting'; readonly config: { readonly allowed_payload_size: number; readonly size_unit: 'megabytes' | 'kilobytes' | 'bytes' } };
