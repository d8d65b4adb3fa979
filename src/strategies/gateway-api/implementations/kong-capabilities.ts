import { Capabilities, Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What the Kong Ingress Controller (3.x, Kong Gateway 3.x OSS) makes of the declaration on Gateway
 * API: KongPlugins (`configuration.konghq.com/v1`) that a rule references by `ExtensionRef`
 * filters, and KongConsumers for the credentials. Features are raised to `native` or lowered to
 * `none`: KIC does not implement every standard filter.
 */
const KONG_PLUGINS: Partial<Record<Feature, Support>> = {
  // rate-limiting, policy local: a counter per window in each Kong node, per client address or per consumer (key-auth).
  'rate-limit': 'native',
  // ip-restriction: the deny list first, then the allow list.
  'ip-allow-list': 'native',
  'ip-deny-list': 'native',
  // request-size-limiting: 413 above it.
  'max-request-body': 'native',
  // key-auth, basic-auth and jwt, each with an acl that admits the consumers of the route's Secret only.
  'auth-api-key': 'native',
  'auth-basic': 'native',
  'auth-jwt': 'native',
  // The cors plugin: KIC does not implement HTTPRoute's CORS filter (it would ignore it).
  'cors': 'native',
  // KIC implements neither the RequestMirror filter nor a rule's retry (experimental), ExternalAuth
  // filter or sessionPersistence; Kong OSS bundles no external authentication plugin.
  'mirror': 'none',
  'retries': 'none',
  'auth-external': 'none',
  'affinity-cookie': 'none',
  // KIC sets a rule's timeouts.backendRequest as the Kong service's connect, read and write timeouts
  // (each a bound per operation, not the request), one value for all rules of a route.
  'timeout': 'none',
  // The Gateway's frontend client certificate validation is not among KIC's Gateway API features.
  'client-certificates': 'none',
  'client-ca-config-map': 'none',
  // KIC 3.x reads BackendTLSPolicy v1alpha3 and TLSRoute and TCPRoute v1alpha2 (behind its
  // GatewayAlpha feature gate); the library writes the v1 kinds, which it would not see.
  'backend-tls': 'none',
  'tls-passthrough': 'none',
  'tcp': 'none',
};

/** The row's capabilities: the channel's, with Kong's plugins and without what KIC does not implement. */
function withKong(base: Capabilities): Capabilities {
  return { ...base, ...KONG_PLUGINS } as Capabilities;
}

const NOTES = 'Kong Ingress Controller 3.x with Kong Gateway 3.x OSS (`GatewayImplementation.kong()`): the standard HTTPRoute, plus KongPlugins (`configuration.konghq.com/v1`) that each rule '
  + 'references by `ExtensionRef` filters (one KongPlugin per plugin for the whole route object when all its rules agree, else one per rule): rate limits as `rate-limiting` with `policy: local` '
  + '(counted by each Kong replica and each rule, per client address, or per consumer for key "api-key" with `Auth.apiKey`; a window of a second or a minute admits the whole rate at once: declare burst equal to the rate, '
  + 'within one request what nginx\'s count admits); client IP lists as `ip-restriction`; the body size as `request-size-limiting`; CORS as the `cors` plugin (KIC ignores the CORS filter); '
  + '`Auth.apiKey`, `Auth.basic`, `Auth.jwt` as `key-auth`, `basic-auth`, `jwt` with an `acl` that admits only a KongConsumer of the route\'s Secret. The consumer reads the Secret as KIC does: '
  + 'labelled `konghq.com/credential` (`key-auth`, `basic-auth`, `jwt`), one credential per Secret (`key`; `username` and `password`; `key` = the issuer, `algorithm` RS256, `rsa_public_key`), '
  + 'not the API gateway\'s one key per consumer; the KongConsumer, named after the Secret, carries `kubernetes.io/ingress.class: kong`; '
  + 'the exposures of an app that name one Secret share its KongConsumer (the first creates it; Kong gives a credential one consumer). Refused: external authentication (no bundled plugin), mirrors, retries, affinity and '
  + 'circuit breaking (KongUpstreamPolicy is not rendered), timeouts (KIC bounds each read, not the request), client certificates; TLS to backends, TLS passthrough and TCP '
  + '(KIC 3.x reads BackendTLSPolicy v1alpha3, TLSRoute and TCPRoute v1alpha2, the library writes v1).';

export const GATEWAY_API_KONG_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (kong)',
  capabilities: withKong(GATEWAY_API),
  variantOf: 'gatewayApi',
  notes: NOTES,
};

export const GATEWAY_API_KONG_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (kong, experimental)',
  capabilities: withKong(GATEWAY_API_EXPERIMENTAL),
  variantOf: 'gatewayApi (kong)',
  combines: ['gatewayApi (experimental)'],
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.kong() })`: the experimental channel\'s CRDs; KIC implements none of the features it adds (retries, ExternalAuth, '
    + 'sessionPersistence), so the row is the standard one\'s.',
};
