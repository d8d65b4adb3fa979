import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** An API gateway with the NGINX (OSS) engine: all routing plus API policy; no JWT, no fault injection. */
const API_GATEWAY_NGINX: Capabilities = {
  ...every('native'),
  'subsets': 'none',
  'grpc': 'none',
  // proxy_pass speaks HTTP/1.x to backends in nginx 1.28 (proxy_http_version 2 is mainline 1.29.4+),
  // and grpc_pass speaks gRPC only. Kong (3.9, OpenResty) has no such service protocol either.
  'h2c': 'none',
  'cross-namespace-secret': 'none',
  'fault': 'none',
  'auth-jwt': 'none',
};

/** An API gateway with the Kong engine (DB-less): JWT and consumer ACLs; no redirects, mirroring or query matches in OSS. */
const API_GATEWAY_KONG: Capabilities = {
  ...API_GATEWAY_NGINX,
  'auth-jwt': 'native',
  'query-match': 'none',
  'redirect': 'none',
  'mirror': 'none',
  'idle-timeout': 'none',
  // A ca_certificates entity holds the CA's PEM itself, which the library never inlines.
  'backend-tls': 'none',
};

export const API_GATEWAY_NGINX_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (nginx)',
  capabilities: API_GATEWAY_NGINX,
  notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors, '
    + 'client IP lists (`allow`/`deny` by a `geo` of the client address; behind an L7 front, `trustedProxies`) and per-consumer usage logs; '
    + 'WebSocket upgrades pass through, `idleTimeout` as the read and send timeouts. nginx OSS cannot validate JWTs.',
};

export const API_GATEWAY_KONG_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (kong)',
  capabilities: API_GATEWAY_KONG,
  notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine, plus JWT (with a public key) and consumer ACLs; client IP lists through `ip-restriction` (behind an L7 front, `trustedProxies`).',
};
