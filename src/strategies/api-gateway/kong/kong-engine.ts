import { Size, Duration } from 'cdk8s';
import { Problem } from '../../../core/errors';
import { ExposureIntent } from '../../../intent/model';
import { API_GATEWAY_KONG_ROW } from '../capabilities';
import { defaultMaxBodyKib, EngineConfig, EngineContext, engineOptionProblems, GatewayEngine, trustedProxiesOption } from '../engine';
import { kongProblems } from './checks';
import { renderKongConfig } from './kong-config';
import { nativeGrpcRoutes, protoMounts } from './kong-grpc';
import { KONG_PATHS, KONG_PORTS } from './kong-layout';

/** The image the Kong engine runs unless told otherwise: pinned (it runs as the kong user, uid 1000). */
export const DEFAULT_KONG_IMAGE = 'kong:3.9.1';

/** Options for `ApiGatewayEngine.kong`. */
export interface KongEngineOptions {
  /**
   * The Kong Gateway image, pinned by tag or digest.
   * @default 'kong:3.9.1'
   * @example ApiGatewayEngine.kong({ image: 'kong:3.9.1' })
   */
  readonly image?: string;
  /**
   * The largest request body accepted (request-size-limiting), at least 1 KiB (in whole KiB, rounded
   * down); larger ones get 413. The gateway-wide default: a declared `maxRequestBody` replaces it for its routes.
   * @default Size.mebibytes(1)
   * @example ApiGatewayEngine.kong({ maxBodySize: Size.mebibytes(8) })
   */
  readonly maxBodySize?: Size;
  /**
   * Cache successful GET and HEAD responses for this long (proxy-cache, per consumer).
   * @default - no cache
   * @example ApiGatewayEngine.kong({ cacheTtl: Duration.seconds(30) })
   */
  readonly cacheTtl?: Duration;
  /**
   * The cluster domain of the backends' FQDNs.
   * @default 'cluster.local'
   * @example ApiGatewayEngine.kong({ clusterDomain: 'corp.internal' })
   */
  readonly clusterDomain?: string;
  /**
   * The addresses (IP ranges) of the proxies in front of the gateway whose `X-Forwarded-For` it
   * believes for the client address (Kong's `trusted_ips`, with `real_ip_header
   * X-Forwarded-For` and `real_ip_recursive on`): behind an in-cluster front, its pod network.
   * List only the front's addresses: a client inside these ranges could claim any address.
   * @default - none: the client address is the connection's (right behind a `loadBalancer` or `nodePort` front, rendered with `externalTrafficPolicy: Local`)
   * @example ApiGatewayEngine.kong({ trustedProxies: ['10.244.0.0/16'] })
   */
  readonly trustedProxies?: string[];
}

/** Kong Gateway in DB-less mode, configured by a generated declarative configuration. */
export class KongEngine implements GatewayEngine {
  public readonly name = 'kong';
  public readonly capabilities = API_GATEWAY_KONG_ROW.capabilities;
  public readonly ports = KONG_PORTS;
  public readonly problems: readonly string[];
  public readonly trustedProxies: readonly string[];
  /** The bundled prometheus plugin's metrics (Kong 3): latency in milliseconds, by service and route. */
  public readonly metricNames = { requests: 'kong_http_requests_total', latencyBuckets: 'kong_request_latency_ms_bucket', latencyUnitSeconds: 0.001 };

  constructor(private readonly options: KongEngineOptions) {
    const trusted = trustedProxiesOption(options.trustedProxies);
    this.trustedProxies = trusted.ranges;
    this.problems = [
      ...trusted.problems,
      ...engineOptionProblems(options.image ?? DEFAULT_KONG_IMAGE, options.cacheTtl, options.clusterDomain, options.maxBodySize),
    ];
  }

  public get defaultMaxBodyBytes(): number {
    return defaultMaxBodyKib(this.options.maxBodySize) * 1024;
  }

  public check(intent: ExposureIntent): Problem[] {
    return kongProblems(intent);
  }

  public configure(ctx: EngineContext): EngineConfig {
    const o = this.options;
    const { config, secrets, initScript } = renderKongConfig(ctx, {
      clusterDomain: o.clusterDomain ?? 'cluster.local',
      maxBodyKb: defaultMaxBodyKib(o.maxBodySize),
      cacheTtlSeconds: o.cacheTtl?.toSeconds(),
    });
    const tls = ctx.tls !== undefined;
    // Native gRPC clients speak HTTP/2: by ALPN on the HTTPS listener, else on a cleartext listener of their own.
    const grpc = nativeGrpcRoutes(ctx.intent).length > 0;
    const grpcPort = grpc && !tls ? KONG_PORTS.grpc : undefined;
    const listen = tls ? `0.0.0.0:${KONG_PORTS.http}, 0.0.0.0:${KONG_PORTS.https}${grpc ? ' http2' : ''} ssl` : `0.0.0.0:${KONG_PORTS.http}`;
    return {
      image: o.image ?? DEFAULT_KONG_IMAGE,
      files: { 'kong.yml': config },
      configDir: KONG_PATHS.config,
      env: {
        KONG_DATABASE: 'off',
        KONG_DECLARATIVE_CONFIG: `${KONG_PATHS.generated}/kong.yml`,
        KONG_PREFIX: '/kong/prefix',
        KONG_PROXY_LISTEN: grpcPort === undefined ? listen : `${listen}, 0.0.0.0:${grpcPort} http2`,
        // No Admin API and no Kong Manager: the declarative configuration is the only input.
        KONG_ADMIN_LISTEN: 'off',
        KONG_ADMIN_GUI_LISTEN: 'off',
        KONG_STATUS_LISTEN: `0.0.0.0:${KONG_PORTS.status}`,
        // file-log writes the usage lines; the nginx access log would repeat them.
        KONG_PROXY_ACCESS_LOG: 'off',
        KONG_PROXY_ERROR_LOG: '/dev/stderr',
        KONG_HEADERS: 'latency_tokens',
        KONG_ROUTER_FLAVOR: 'traditional_compatible',
        // The client address behind trusted proxies: the last X-Forwarded-For entry that is not theirs.
        ...(this.trustedProxies.length > 0
          ? { KONG_TRUSTED_IPS: this.trustedProxies.join(','), KONG_REAL_IP_HEADER: 'X-Forwarded-For', KONG_REAL_IP_RECURSIVE: 'on' } : {}),
        // A retired route's pre-function runs sandboxed (Kong's default, written so it is the one in force).
        ...(ctx.intent.routes.some((r) => r.deprecation?.retire) ? { KONG_UNTRUSTED_LUA: 'sandbox' } : {}),
        ...(tls ? { KONG_SSL_CERT: `${KONG_PATHS.tls}/tls.crt`, KONG_SSL_CERT_KEY: `${KONG_PATHS.tls}/tls.key` } : {}),
      },
      httpPort: KONG_PORTS.http,
      httpsPort: KONG_PORTS.https,
      grpcPort,
      statusPort: KONG_PORTS.status,
      healthPath: '/status/ready',
      writablePaths: ['/tmp', '/kong/prefix'],
      initScript,
      // The script copies kong.yml from the configuration to append the consumers.
      initReadsConfig: true,
      generatedDir: KONG_PATHS.generated,
      secretMounts: [
        ...secrets.map((secretName) => ({ secretName, mountPath: `${KONG_PATHS.secrets}/${secretName}` })),
        ...(ctx.tls ? [{ secretName: ctx.tls.secretName, mountPath: KONG_PATHS.tls }] : []),
        ...protoMounts(ctx.intent),
      ],
      runAsUser: 1000,
      // The prometheus plugin (global, per consumer) serves its metrics on the status listener.
      metrics: ctx.metrics ? { port: KONG_PORTS.status, path: '/metrics' } : undefined,
    };
  }
}
