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
  // The engine proxies to each backend Service's one address (kube-proxy balances its pods behind
  // it): there is no endpoint of its own to eject, and taking the Service out would cut the backend off.
  'outlier-detection': 'none',
  // The engines reach a backend through its Service's virtual address, where kube-proxy picks the
  // pod per connection: a hash at the gateway cannot pin a pod.
  'affinity-cookie': 'none',
  'affinity-header': 'none',
  'affinity-client-ip': 'none',
  'tls-passthrough': 'none',
  'tcp': 'none',
};

/** An API gateway with the Kong engine (DB-less): JWT and consumer ACLs; no redirects, mirroring or query matches in OSS. */
const API_GATEWAY_KONG: Capabilities = {
  ...API_GATEWAY_NGINX,
  'auth-jwt': 'native',
  // No bundled plugin of Kong OSS forwards a request to an auth service (openid-connect is Enterprise).
  'auth-external': 'none',
  'query-match': 'none',
  'redirect': 'none',
  'mirror': 'none',
  // mtls-auth is a Kong Enterprise plugin.
  'client-certificates': 'none',
  'client-certificates-optional': 'none',
  'client-ca-secret': 'none',
  'client-ca-config-map': 'none',
  'client-certificate-depth': 'none',
  // A Kong upstream has no connection limit. (Outlier detection, as on the NGINX engine: its
  // targets are Service addresses, and a passive health check would mark one unhealthy with no
  // ejection time, until active checks or a restart: an outage, not an ejection.)
  'connection-limits': 'none',
  // A ca_certificates entity holds the CA's PEM itself, which the library never inlines.
  'backend-tls': 'none',
};

export const API_GATEWAY_NGINX_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (nginx)',
  capabilities: API_GATEWAY_NGINX,
  notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors, '
    + 'client IP lists (`allow`/`deny` by a `geo` of the client address; behind an L7 front, `trustedProxies`), '
    + 'external authentication (`auth_request` to the auth service) and per-consumer usage logs; '
    + 'WebSocket upgrades pass through, `idleTimeout` as the read and send timeouts; client certificates (`ssl_verify_client`, where the gateway terminates TLS: no front or a Service front) with the identity in `ssl-client-verify`, `ssl-client-subject-dn`, `ssl-client-issuer-dn` and `ssl-client-cert`. nginx OSS cannot validate JWTs. Session affinity is refused: the engine reaches a backend through its Service address, where kube-proxy picks the pod.',
};

export const API_GATEWAY_KONG_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (kong)',
  capabilities: API_GATEWAY_KONG,
  notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine, plus JWT (with a public key) and consumer ACLs; client IP lists through `ip-restriction` (behind an L7 front, `trustedProxies`); '
    + 'WebSocket upgrades pass through, `idleTimeout` as the service\'s read and write timeouts; no external authentication (no bundled plugin of Kong OSS forwards requests to an auth service); client certificates need `mtls-auth`, a Kong Enterprise plugin.',
};
