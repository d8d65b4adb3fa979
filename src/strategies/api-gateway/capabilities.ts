import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** An API gateway with the NGINX (OSS) engine: all routing plus API policy; no JWT, no fault injection. */
const API_GATEWAY_NGINX: Capabilities = {
  ...every('native'),
  'subsets': 'none',
  'grpc': 'none',
  'cross-namespace-secret': 'none',
  'fault': 'none',
  'auth-jwt': 'none',
  // Pinning a pod takes the pods' addresses: a Service's virtual address hides them (kube-proxy
  // picks the pod per connection). nginx OSS gets them only as one `server` name resolving to
  // several addresses, and then `hash ... consistent` places its ring points by that name, so the
  // addresses behind it take turns (ngx_http_upstream_hash_module: peers of one server share its
  // points); plain `hash` pins by position in the order each gateway pod resolved the name, which
  // differs between gateway pods and moves most clients when a pod comes or goes.
  'affinity-cookie': 'none',
  'affinity-header': 'none',
  'affinity-client-ip': 'none',
};

/** An API gateway with the Kong engine (DB-less): JWT and consumer ACLs; no redirects, mirroring or query matches in OSS. */
const API_GATEWAY_KONG: Capabilities = {
  ...API_GATEWAY_NGINX,
  'auth-jwt': 'native',
  // Kong's consistent-hashing upstream places each resolved address on its ring by address and
  // port, so every gateway pod builds the same ring: its target is a headless Service of the pods.
  'affinity-cookie': 'native',
  'affinity-header': 'native',
  'affinity-client-ip': 'native',
  'query-match': 'none',
  'redirect': 'none',
  'mirror': 'none',
  'idle-timeout': 'none',
};

export const API_GATEWAY_NGINX_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (nginx)',
  capabilities: API_GATEWAY_NGINX,
  notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors, '
    + 'client IP lists (`allow`/`deny` by a `geo` of the client address; behind an L7 front, `trustedProxies`) and per-consumer usage logs; '
    + 'WebSocket upgrades pass through, `idleTimeout` as the read and send timeouts. nginx OSS cannot validate JWTs. Session affinity is refused: nginx OSS hashes only over `server` entries, and a backend\'s pods are one name '
    + 'resolving to several addresses, which take turns under `hash ... consistent` (a plain `hash` pins by each gateway pod\'s own resolution order).',
};

export const API_GATEWAY_KONG_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (kong)',
  capabilities: API_GATEWAY_KONG,
  notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine, plus JWT (with a public key) and consumer ACLs; client IP lists through `ip-restriction` (behind an L7 front, `trustedProxies`); '
    + 'session affinity as a consistent-hashing upstream (`hash_on` cookie, header or ip) whose target is a headless Service of the backend\'s pods, '
    + 'created by the library (the backend must be `Backend.fromService` or `Backend.fromDeployment`; the cookie is a session cookie).',
};
