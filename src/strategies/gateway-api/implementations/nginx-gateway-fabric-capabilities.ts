import { Capabilities, Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What NGINX Gateway Fabric's own objects (`gateway.nginx.org/v1alpha1`) add to the standard API:
 * RateLimitPolicy and ClientSettingsPolicy targeting the HTTPRoute (or GRPCRoute), the
 * AuthenticationFilter of a rule (ExtensionRef), UpstreamSettingsPolicy targeting a Service.
 */
const NGINX_GATEWAY_FABRIC_POLICIES: Partial<Record<Feature, Support>> = {
  // NGINX Gateway Fabric ignores a rule's timeouts: ProxySettingsPolicy timeout (nginx's proxy timeouts).
  'timeout': 'native',
  // RateLimitPolicy rateLimit.local: nginx's limit_req, a zone keyed by the client address.
  'rate-limit': 'native',
  // ClientSettingsPolicy body.maxSize: nginx's client_max_body_size, 413 above it.
  'max-request-body': 'native',
  // AuthenticationFilter type Basic: an htpasswd file in the Secret's key `auth`.
  'auth-basic': 'native',
  // UpstreamSettingsPolicy loadBalancingMethod `hash consistent` over the header or the client address.
  'affinity-header': 'native',
  'affinity-client-ip': 'native',
};

/**
 * What the HTTPRoute has and NGINX Gateway Fabric v2.6 does not implement: a regex path match, and
 * on the experimental channel a rule's `retry` and the `ExternalAuth` filter (its ProxySettingsPolicy
 * has no retries either).
 */
const NOT_IMPLEMENTED: Partial<Record<Feature, Support>> = {
  // HTTPRoute path matches of type PathPrefix and Exact only (its Gateway API compatibility page).
  'path-regex': 'none',
  'retries': 'none',
  'auth-external': 'none',
};

/** The channel's row with the implementation's: the channel and the implementation are orthogonal options. */
function withImplementation(base: Capabilities): Capabilities {
  return { ...base, ...NGINX_GATEWAY_FABRIC_POLICIES, ...NOT_IMPLEMENTED } as Capabilities;
}

const NOTES = 'NGINX Gateway Fabric (`GatewayImplementation.nginxGatewayFabric()`, its CRDs v2.6): the standard HTTPRoute, plus `gateway.nginx.org/v1alpha1` objects. '
  + 'A RateLimitPolicy and a ClientSettingsPolicy target a whole HTTPRoute or GRPCRoute (no rule by `sectionName`), so a rate limit is declared once on the exposure '
  + '(or on its one route) and a body size is the same on every route of a route object. Rate limits as `rateLimit.local.rules` of nginx\'s `limit_req`: '
  + 'key `$binary_remote_addr`, the declared burst as `burst` with `noDelay`, 429 as `rejectCode`; counted by each NGINX data-plane replica, in one zone per route object '
  + '(a limit per API key refused: NGINX Gateway Fabric does not authenticate API keys). The body size as `body.maxSize` (nginx\'s size syntax, at most 4 digits). '
  + 'The timeout as a ProxySettingsPolicy `timeout` (`read` and `send`, nginx\'s time between two reads or writes of the backend, as ingress-nginx and the NGINX engine; '
  + '`connect` at most 60s), one for all the routes of a protocol: NGINX Gateway Fabric ignores an HTTPRoute rule\'s `timeouts`. '
  + 'Basic auth as an AuthenticationFilter of type Basic on each rule (ExtensionRef) with the declared realm; its Secret is of type `nginx.org/htpasswd` with an htpasswd file under the key `auth` '
  + '(ingress-nginx\'s key; the API gateway engines read one key per user, Envoy Gateway `.htpasswd`). '
  + 'Affinity by header or client address as an UpstreamSettingsPolicy on the backend Service: `hash consistent` over `$http_<header>` or `$remote_addr` (a hash, not a sticky cookie: '
  + 'a client keeps its endpoint while the endpoints do not change, and a change moves few clients); the Service must not be reached with another affinity, by the exposure or another of the app (the first creates the one policy). '
  + 'JWT is refused: the AuthenticationFilter\'s JWT needs NGINX Plus and checks neither the issuer nor the audiences. '
  + 'Client IP lists, external authentication, API keys and circuit breaking have no NGINX Gateway Fabric object (its SnippetsFilter is raw nginx and not used); '
  + 'a regex path match is refused (it matches paths by prefix or exactly only).';

export const GATEWAY_API_NGINX_GATEWAY_FABRIC_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (nginxGatewayFabric)',
  capabilities: withImplementation(GATEWAY_API),
  variantOf: 'gatewayApi',
  notes: NOTES,
};

export const GATEWAY_API_NGINX_GATEWAY_FABRIC_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (nginxGatewayFabric, experimental)',
  capabilities: withImplementation(GATEWAY_API_EXPERIMENTAL),
  variantOf: 'gatewayApi (nginxGatewayFabric)',
  combines: ['gatewayApi (experimental)'],
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.nginxGatewayFabric() })`: the experimental HTTPRoute\'s cookie `sessionPersistence` '
    + '(NGINX Gateway Fabric renders it as NGINX Plus\'s `sticky cookie`, Secure and HttpOnly: only with `nginxPlus: true` and `tls`), and NGINX Gateway Fabric\'s objects; '
    + 'NGINX Gateway Fabric v2.6 implements neither the rule\'s `retry` nor the `ExternalAuth` filter, so both are refused.',
};
