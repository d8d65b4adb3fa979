/**
 * The ports of the Kong engine: the proxy's plain HTTP and HTTPS, the status API (health,
 * metrics), and `grpc`: HTTP/2 cleartext for native gRPC clients, where Kong does not terminate TLS.
 */
export const KONG_PORTS = { http: 8000, https: 8443, status: 8100, grpc: 9080 } as const;

/** Where the Kong engine keeps its files in the pod. */
export const KONG_PATHS = {
  config: '/kong/config',
  generated: '/kong/generated',
  secrets: '/kong/secrets',
  tls: '/kong/tls',
  /** ConfigMaps of `.proto` files, one directory each. */
  protos: '/kong/protos',
} as const;
