import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** An API gateway with the NGINX (OSS) engine: all routing plus API policy; no JWT, no fault injection. */
const API_GATEWAY_NGINX: Capabilities = {
  ...every('native'),
  'subsets': 'none',
  'grpc': 'none',
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
  // Kong OSS routes streams (stream_listen, tcp/tls routes), which this engine does not render yet.
  'tls-passthrough': 'none',
  'tcp': 'none',
};

export const API_GATEWAY_NGINX_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (nginx)',
  capabilities: API_GATEWAY_NGINX,
  notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors, '
    + 'client IP lists (`allow`/`deny` by a `geo` of the client address; behind an L7 front, `trustedProxies`) and per-consumer usage logs; '
    + 'WebSocket upgrades pass through, `idleTimeout` as the read and send timeouts. '
    + 'TLS passthrough and TCP ports in a `stream` block (`ssl_preread` picks the backend by SNI; other names are closed), each on its declared port of the gateway\'s Service (a port below 1024 served on port + 10000 in the unprivileged container), '
    + 'which its front forwards (istio, gatewayApi: by SNI and port; ingress-nginx: ssl-passthrough on 443; loadBalancer, nodePort: as TCP ports). nginx OSS cannot validate JWTs.',
};

export const API_GATEWAY_KONG_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (kong)',
  capabilities: API_GATEWAY_KONG,
  notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine, plus JWT (with a public key) and consumer ACLs; client IP lists through `ip-restriction` (behind an L7 front, `trustedProxies`). '
    + 'No TLS passthrough or TCP ports: Kong OSS has stream routes, which this engine does not render; use the NGINX engine.',
};
