import { HSTS_POLICY } from '../engine';

/**
 * The ports of the NGINX engine (the unprivileged image listens on high ports). `grpc`: HTTP/2
 * cleartext (h2c) for the gRPC routes, where the gateway does not terminate TLS.
 */
export const NGINX_PORTS = { http: 8080, https: 8443, status: 8081, grpc: 8082 } as const;
/** Where the engine's ConfigMap (nginx.conf, the njs modules) is mounted. */
export const NGINX_CONFIG_DIR = '/etc/nginx/conf';
/** Where the certificate the gateway serves is mounted. */
export const NGINX_TLS_DIR = '/etc/nginx/tls';
/** Where the CA bundle of client certificates is mounted (its `ca.crt`). */
export const NGINX_CLIENT_CA_DIR = '/etc/nginx/client-ca';
export const NGINX_CACHE_DIR = '/var/cache/nginx';
/** Where the gateway finds a Secret's files (mounted read-only, one directory per Secret). */
export const secretDir = (secretName: string) => `/etc/nginx/secrets/${secretName}`;
/** Where the gateway finds a JWT issuer's JWKS (a Secret's or a ConfigMap's `jwks.json`). */
export const jwksDir = (kind: 'secret' | 'config-map', name: string) => `/etc/nginx/jwks/${kind}/${name}`;
/** Where the init container writes the credentials it renders from the Secrets (in memory). */
export const GENERATED_DIR = '/etc/nginx/generated';
export const apiKeyMapFile = (secretName: string) => `${GENERATED_DIR}/${secretName}.keys.map`;
export const htpasswdFile = (secretName: string) => `${GENERATED_DIR}/${secretName}.htpasswd`;

/** With TLS, on every response, the gateway's own error pages included. */
export const HSTS_HEADER = `add_header Strict-Transport-Security "${HSTS_POLICY}" always;`;
