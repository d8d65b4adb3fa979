/** The ports of the Kong engine: the proxy's plain HTTP and HTTPS, and the status API (health, metrics). */
export const KONG_PORTS = { http: 8000, https: 8443, status: 8100 } as const;

/** Where the Kong engine keeps its files in the pod. */
export const KONG_PATHS = {
  config: '/kong/config',
  generated: '/kong/generated',
  secrets: '/kong/secrets',
  tls: '/kong/tls',
} as const;
