import { Capabilities, Feature, StrategyCapabilities, Support } from '../../../intent/capabilities';
import { GATEWAY_API, GATEWAY_API_EXPERIMENTAL } from '../capabilities';

/**
 * What Traefik's Middlewares (`traefik.io/v1alpha1`, one middleware type each) add to the standard
 * API, referenced from the HTTPRoute and GRPCRoute rules by `ExtensionRef` filters.
 */
const TRAEFIK_MIDDLEWARES: Partial<Record<Feature, Support>> = {
  // rateLimit: a token bucket per client address (average per period, burst = declared burst + 1).
  'rate-limit': 'native',
  // buffering.maxRequestBodyBytes: 413 above it.
  'max-request-body': 'native',
  // ipAllowList.sourceRange; Traefik has no deny list.
  'ip-allow-list': 'native',
  // basicAuth.secret: htpasswd lines in the Secret's only key.
  'auth-basic': 'native',
  // retry: the number of tries, the conditions as status codes and network errors (both channels:
  // Traefik does not implement the experimental HTTPRoute rule's retry).
  'retries': 'native',
  // Traefik's Gateway API provider implements no ExternalAuth filter, and its forwardAuth calls one
  // fixed address (the client's path only in X-Forwarded-Uri), not the declared prefix + the path.
  'auth-external': 'none',
  // Its Gateway API provider accepts an HTTPRoute rule's timeouts and ignores them (traefik/traefik#11902).
  'timeout': 'none',
  // ...and the experimental rule's sessionPersistence (traefik/traefik#11243).
  'affinity-cookie': 'none',
};

/** The channel's row with the middlewares' features: Traefik's own entries win (it lacks some of the experimental channel's). */
function withMiddlewares(base: Capabilities): Capabilities {
  return { ...base, ...TRAEFIK_MIDDLEWARES } as Capabilities;
}

const NOTES = 'Traefik (`GatewayImplementation.traefik()`, Traefik v3.x with its Kubernetes Gateway API provider, which resolves `ExtensionRef` filters to Middlewares of the route\'s '
  + 'namespace; checked against the Traefik v3.7 CRDs): the standard HTTPRoute and GRPCRoute, plus `traefik.io/v1alpha1` Middlewares referenced first among a rule\'s filters, one per '
  + 'feature, shared by the whole route object when all its rules agree: rate limits as `rateLimit` (`average` per `period` 1s or 1m, `burst` the declared burst + 1, as nginx admits '
  + 'it), a bucket per client address (`sourceCriterion.ipStrategy` of depth 0: the connection\'s address, never X-Forwarded-For), counted by each Traefik replica (a limit per API key '
  + 'refused); client IP allow lists as `ipAllowList.sourceRange` (the same address; 403 outside it; no deny list); basic auth as `basicAuth.secret` with the realm, the Secret\'s only '
  + 'data key holding htpasswd lines (ingress-nginx\'s Secret with its file under `auth` and nothing else serves both) or a `kubernetes.io/basic-auth` Secret of one user; the body size '
  + 'as `buffering.maxRequestBodyBytes` (413 above it; the request and the response are buffered, so not on gRPC routes); retries as `retry` on both channels (`attempts` the tries: retries + 1; the '
  + 'conditions as `status` codes, a connection failure as the network-error retry; `reset` only with `5xx` or `gateway-error`, as the 502 Traefik answers). External authentication, '
  + 'JWT, API keys and circuit breaking stay refused, as do timeouts and cookie affinity (`sessionPersistence`), which its provider accepts and ignores.';

export const GATEWAY_API_TRAEFIK_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (traefik)',
  capabilities: withMiddlewares(GATEWAY_API),
  variantOf: 'gatewayApi',
  notes: NOTES,
};

export const GATEWAY_API_TRAEFIK_EXPERIMENTAL_ROW: StrategyCapabilities = {
  strategy: 'gatewayApi (traefik, experimental)',
  capabilities: withMiddlewares(GATEWAY_API_EXPERIMENTAL),
  variantOf: 'gatewayApi (traefik)',
  combines: ['gatewayApi (experimental)'],
  notes: '`gatewayApi({ experimental: true, implementation: GatewayImplementation.traefik() })`: the experimental channel\'s features, '
    + 'and its Middlewares; retries stay the `retry` Middleware (Traefik does not implement the rule\'s `retry`), and the `ExternalAuth` filter is refused (Traefik does not implement it).',
};
