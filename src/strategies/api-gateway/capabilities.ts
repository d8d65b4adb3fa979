import { Capabilities, every, StrategyCapabilities } from '../../intent/capabilities';

/** An API gateway with the NGINX (OSS) engine: all routing plus API policy (JWTs through njs); no fault injection. */
const API_GATEWAY_NGINX: Capabilities = {
  ...every('native'),
  'subsets': 'none',
  // nginx OSS has no gRPC-Web translation nor JSON transcoding (ngx_http_grpc_module passes gRPC as it is).
  'grpc-web': 'none',
  'grpc-json-transcoding': 'none',
  // proxy_pass speaks HTTP/1.x to backends in nginx 1.28 (proxy_http_version 2 is mainline 1.29.4+),
  // and grpc_pass speaks gRPC only. Kong (3.9, OpenResty) has no such service protocol either.
  'h2c': 'none',
  'cross-namespace-secret': 'none',
  'fault': 'none',
  // The engine proxies to each backend Service's one address (kube-proxy balances its pods behind
  // it): there is no endpoint of its own to eject, and taking the Service out would cut the backend off.
  'outlier-detection': 'none',
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
  // Services of protocol grpc/grpcs; the bundled grpc-web and grpc-gateway plugins translate.
  'grpc-web': 'native',
  'grpc-json-transcoding': 'native',
  'auth-jwt': 'native',
  // No bundled plugin of Kong OSS forwards a request to an auth service (openid-connect is Enterprise).
  'auth-external': 'none',
  // Kong's consistent-hashing upstream places each resolved address on its ring by address and
  // port, so every gateway pod builds the same ring: its target is a headless Service of the pods.
  'affinity-cookie': 'native',
  'affinity-header': 'native',
  'affinity-client-ip': 'native',
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
  // Kong OSS routes streams (stream_listen, tcp/tls routes), which this engine does not render yet.
  'tls-passthrough': 'none',
  'tcp': 'none',
  // No bundled plugin of Kong OSS calls several services for one request.
  'aggregation': 'none',
};

export const API_GATEWAY_NGINX_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (nginx)',
  capabilities: API_GATEWAY_NGINX,
  notes: 'An NGINX API gateway deployed for the exposure (`ApiGatewayEngine.nginx()`), fronted by `exposedVia`: API keys, basic auth, rate limits, CORS, cache, JSON errors, '
    + 'client IP lists (`allow`/`deny` by a `geo` of the client address; behind an L7 front, `trustedProxies`), '
    + 'external authentication (`auth_request` to the auth service) and per-consumer usage logs; '
    + 'JWTs (`Auth.jwt` with `jwksSecret` or `jwksConfigMap`) verified by a generated njs module (`auth_request` to it) against the mounted JWKS: RS256 and ES256 keys picked by `kid`, '
    + '`alg` must be the key\'s (`none` and others refused), `iss`, `aud` (when declared), `exp` (required) and `nbf` with 60 s of clock skew, `sub` (required) the consumer, '
    + 'sent to the backend as `X-Consumer-Username` and logged; a refusal is the JSON 401 with `WWW-Authenticate: Bearer`; '
    + 'WebSocket upgrades pass through, `idleTimeout` as the read and send timeouts; '
    + 'gRPC routes with `grpc_pass` (`grpcs://` with TLS to the backend), timeouts and retries as `grpc_*_timeout` and `grpc_next_upstream`, the gateway\'s own errors as gRPC statuses (HTTP 200, `grpc-status`), '
    + 'over HTTP/2: by ALPN on the HTTPS port where the gateway terminates TLS, else in cleartext on its gRPC port (Service port `grpc-8082`, appProtocol `kubernetes.io/h2c`), to which an L7 front sends the gRPC routes (needs nginx 1.25.1+ for `http2 on`); client certificates (`ssl_verify_client`, where the gateway terminates TLS: no front or a Service front) with the identity in `ssl-client-verify`, `ssl-client-subject-dn`, `ssl-client-issuer-dn` and `ssl-client-cert`. '
    + 'TLS passthrough and TCP ports in a `stream` block (`ssl_preread` picks the backend by SNI; other names are closed), each on its declared port of the gateway\'s Service (a port below 1024 served on port + 10000 in the unprivileged container), '
    + 'which its front forwards (istio, gatewayApi: by SNI and port; ingress-nginx: ssl-passthrough on 443; loadBalancer, nodePort: as TCP ports). '
    + 'A retired route (`Deprecation.of({ retire: true })`) answers 410 after its sunset by a `map` of the clock (`$msec`). '
    + 'Session affinity is refused: nginx OSS hashes only over `server` entries, and a backend\'s pods are one name '
    + 'resolving to several addresses, which take turns under `hash ... consistent` (a plain `hash` pins by each gateway pod\'s own resolution order). '
    + 'With the strategy\'s `monitoring`: Prometheus metrics per route, consumer and status from an mtail sidecar fed by the usage log over loopback syslog, '
    + 'an opt-in ServiceMonitor and PrometheusRule alerts. '
    + 'Request aggregation through njs (`aggregate.js` in the ConfigMap): a subrequest per part to an internal location proxying to its Service.',
};

export const API_GATEWAY_KONG_ROW: StrategyCapabilities = {
  strategy: 'apiGateway (kong)',
  capabilities: API_GATEWAY_KONG,
  notes: 'Kong Gateway in DB-less mode (`ApiGatewayEngine.kong()`): the same declaration as the NGINX engine (JWTs with the issuer\'s public key, `publicKeySecret`), plus consumer ACLs; client IP lists through `ip-restriction` (behind an L7 front, `trustedProxies`); '
    + 'WebSocket upgrades pass through, `idleTimeout` as the service\'s read and write timeouts; '
    + 'gRPC routes as services of protocol `grpc` (`grpcs` with TLS to the backend) with routes of protocols `grpc`/`grpcs`, over HTTP/2 (a cleartext `http2` listener, Service port `grpc-9080`, behind an L7 front; ALPN on the HTTPS listener where Kong terminates TLS); '
    + 'gRPC-Web (`grpcWeb`) through the bundled `grpc-web` plugin (it answers with `Access-Control-Allow-Origin: *`) and JSON-to-gRPC transcoding (`jsonTranscoding`) through `grpc-gateway`, '
    + 'the `.proto` file mounted read-only from the ConfigMap the route names, both on an HTTP route of a `grpc` service; no external authentication (no bundled plugin of Kong OSS forwards requests to an auth service); client certificates need `mtls-auth`, a Kong Enterprise plugin; '
    + 'session affinity as a consistent-hashing upstream (`hash_on` cookie, header or ip) whose target is a headless Service of the backend\'s pods, '
    + 'created by the library (the backend must be `Backend.fromService` or `Backend.fromDeployment`; the cookie is a session cookie). '
    + 'No TLS passthrough or TCP ports: Kong OSS has stream routes, which this engine does not render; use the NGINX engine. '
    + 'A retired route (`Deprecation.of({ retire: true })`) answers 410 after its sunset through a bundled `pre-function` whose Lua the library generates (`KONG_UNTRUSTED_LUA=sandbox`). '
    + 'With the strategy\'s `monitoring`: the `prometheus` plugin\'s metrics (per consumer) from the status listener, an opt-in ServiceMonitor and PrometheusRule alerts. '
    + 'No request aggregation: no bundled plugin of Kong OSS calls several services for one request.',
};
