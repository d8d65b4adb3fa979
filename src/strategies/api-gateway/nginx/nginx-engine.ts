import { Duration, Size, SizeRoundingBehavior } from 'cdk8s';
import { Problem } from '../../../core/errors';
import { problemsOf } from '../../../core/validators';
import { ExposureIntent } from '../../../intent/model';
import { API_GATEWAY_NGINX_ROW } from '../capabilities';
import { defaultMaxBodyKib, EngineConfig, EngineContext, engineOptionProblems, GatewayEngine, SecretMount, streamListeners, trustedProxiesOption } from '../engine';
import { nginxProblems } from './checks';
import { renderNginxConfig } from './nginx-config';
import { jwksSources } from './nginx-jwt';
import { GENERATED_DIR, jwksDir, NGINX_CACHE_DIR, NGINX_CONFIG_DIR, NGINX_CLIENT_CA_DIR, NGINX_PORTS, NGINX_TLS_DIR, secretDir } from './nginx-layout';
import { DEFAULT_MTAIL_IMAGE, MTAIL_PROGRAM, mtailProgram, NGINX_METRIC_NAMES, nginxMetricsEndpoint } from './nginx-metrics';

/** The image the NGINX engine runs unless told otherwise: pinned, unprivileged (uid 101). */
export const DEFAULT_NGINX_IMAGE = 'nginxinc/nginx-unprivileged:1.28.0-alpine';

/** Options for `ApiGatewayEngine.nginx`. */
export interface NginxEngineOptions {
  /**
   * The NGINX image: an unprivileged build listening on high ports, pinned by tag or digest. TLS
   * passthrough and TCP ports need its stream module with `ssl_preread` built in (the official
   * images have it; the configuration loads no module).
   * @default 'nginxinc/nginx-unprivileged:1.28.0-alpine'
   * @example ApiGatewayEngine.nginx({ image: 'nginxinc/nginx-unprivileged:1.28.0-alpine' })
   */
  readonly image?: string;
  /**
   * The largest request body accepted, at least 1 KiB (in whole KiB, rounded down); larger ones get 413.
   * The gateway-wide default: a declared `maxRequestBody` replaces it for its routes.
   * @default Size.mebibytes(1)
   * @example ApiGatewayEngine.nginx({ maxBodySize: Size.mebibytes(8) })
   */
  readonly maxBodySize?: Size;
  /**
   * Cache successful GET and HEAD responses for this long (per consumer; `X-Cache-Status` tells
   * HIT or MISS).
   * @default - no cache
   * @example ApiGatewayEngine.nginx({ cacheTtl: Duration.seconds(30) })
   */
  readonly cacheTtl?: Duration;
  /**
   * Size of the response cache that `cacheTtl` turns on (at least 1 MiB).
   * @default Size.mebibytes(100)
   * @example ApiGatewayEngine.nginx({ cacheTtl: Duration.minutes(5), cacheSize: Size.gibibytes(1) })
   */
  readonly cacheSize?: Size;
  /**
   * The cluster domain of the backends' FQDNs.
   * @default 'cluster.local'
   * @example ApiGatewayEngine.nginx({ clusterDomain: 'corp.internal' })
   */
  readonly clusterDomain?: string;
  /**
   * The addresses (IP ranges) of the proxies in front of the gateway whose `X-Forwarded-For` it
   * believes for the client address (nginx's `set_real_ip_from`, with `real_ip_header
   * X-Forwarded-For` and `real_ip_recursive on`): the client is the last address in the header
   * that is not a trusted proxy. Behind an in-cluster front (`ingress`, `istio`, `gatewayApi`)
   * it is the front's pod network, which the library does not know; list only the front's
   * addresses, since a client inside these ranges could claim any address. The client address
   * is what access lists (`access`) and per-client rate limits compare.
   * @default - none: the client address is the connection's (right behind a `loadBalancer` or `nodePort` front, rendered with `externalTrafficPolicy: Local`)
   * @example ApiGatewayEngine.nginx({ trustedProxies: ['10.244.0.0/16'] })
   */
  readonly trustedProxies?: string[];
  /**
   * The image of the metrics sidecar (mtail) that the strategy's `monitoring` adds, pinned by tag
   * or digest. Its entrypoint must run mtail with the arguments it is given.
   * @default 'ghcr.io/jaqx0r/mtail:3.4.9'
   * @example ApiGatewayEngine.nginx({ metricsImage: 'ghcr.io/jaqx0r/mtail:3.4.9' })
   */
  readonly metricsImage?: string;
}

/** NGINX (OSS) as the API gateway: routing, API keys, basic auth, rate limits, CORS, cache, JSON errors, usage logs. */
export class NginxEngine implements GatewayEngine {
  public readonly name = 'nginx';
  public readonly capabilities = API_GATEWAY_NGINX_ROW.capabilities;
  public readonly ports = NGINX_PORTS;
  public readonly problems: readonly string[];
  public readonly trustedProxies: readonly string[];
  public readonly metricNames = NGINX_METRIC_NAMES;

  constructor(private readonly options: NginxEngineOptions) {
    const trusted = trustedProxiesOption(options.trustedProxies);
    this.trustedProxies = trusted.ranges;
    this.problems = [
      ...trusted.problems,
      ...engineOptionProblems(options.image ?? DEFAULT_NGINX_IMAGE, options.cacheTtl, options.clusterDomain, options.maxBodySize),
      ...problemsOf(
        // The cache's max_size is written in MiB.
        options.cacheSize !== undefined && options.cacheSize.toMebibytes({ rounding: SizeRoundingBehavior.NONE }) < 1 ? 'cacheSize is below 1 MiB' : undefined,
        options.cacheSize !== undefined && options.cacheTtl === undefined ? 'cacheSize sizes the response cache, which only cacheTtl turns on; set cacheTtl' : undefined,
        options.metricsImage !== undefined && /:latest$|^[^:@]+$/.test(options.metricsImage)
          ? `metricsImage "${options.metricsImage}" is not pinned; use a version tag or a digest` : undefined,
      ),
    ];
  }

  public get defaultMaxBodyBytes(): number {
    return defaultMaxBodyKib(this.options.maxBodySize) * 1024;
  }

  public check(intent: ExposureIntent): Problem[] {
    return nginxProblems(intent);
  }

  public configure(ctx: EngineContext): EngineConfig {
    const o = this.options;
    const { config, secrets, initScript, njsFiles } = renderNginxConfig(ctx, {
      clusterDomain: o.clusterDomain ?? 'cluster.local',
      trustedProxies: this.trustedProxies,
      metrics: ctx.metrics !== undefined,
      maxBodyKib: defaultMaxBodyKib(o.maxBodySize),
      cache: o.cacheTtl === undefined ? undefined : {
        ttlSeconds: o.cacheTtl.toSeconds(),
        maxSizeMb: (o.cacheSize ?? Size.mebibytes(100)).toMebibytes({ rounding: SizeRoundingBehavior.FLOOR }),
      },
    });
    return {
      image: o.image ?? DEFAULT_NGINX_IMAGE,
      files: { 'nginx.conf': config, ...njsFiles, ...(ctx.metrics ? { [MTAIL_PROGRAM]: mtailProgram(ctx.metrics.latencyObjectiveSeconds) } : {}) },
      configDir: NGINX_CONFIG_DIR,
      args: ['nginx', '-c', `${NGINX_CONFIG_DIR}/nginx.conf`, '-g', 'daemon off;'],
      httpPort: NGINX_PORTS.http,
      httpsPort: NGINX_PORTS.https,
      // gRPC routes in cleartext: the HTTPS port carries them where the gateway terminates TLS.
      grpcPort: ctx.tls === undefined && ctx.intent.routes.some((r) => r.protocol === 'grpc') ? NGINX_PORTS.grpc : undefined,
      statusPort: NGINX_PORTS.status,
      streamListeners: streamListeners(ctx.intent),
      healthPath: '/healthz',
      writablePaths: ['/tmp', NGINX_CACHE_DIR],
      initScript,
      generatedDir: initScript === undefined ? undefined : GENERATED_DIR,
      secretMounts: [
        ...secrets.map((secretName) => ({ secretName, mountPath: secretDir(secretName) })),
        ...(ctx.tls ? [{ secretName: ctx.tls.secretName, mountPath: NGINX_TLS_DIR }] : []),
        ...clientCaMount(ctx),
        ...jwksSources(ctx.intent).map((j) => ({ secretName: j.name, mountPath: jwksDir(j.kind, j.name), configMap: j.kind === 'config-map' ? true : undefined, keys: ['jwks.json'] })),
      ],
      runAsUser: 101,
      metrics: ctx.metrics ? nginxMetricsEndpoint(o.metricsImage ?? DEFAULT_MTAIL_IMAGE) : undefined,
    };
  }
}

/** The client CA bundle (ca.crt of the Secret or ConfigMap), where the gateway verifies client certificates. */
function clientCaMount(ctx: EngineContext): SecretMount[] {
  const ca = ctx.tls === undefined ? undefined : ctx.intent.tls?.clientCertificates?.ca;
  return ca === undefined ? [] : [{ secretName: ca.name, mountPath: NGINX_CLIENT_CA_DIR, configMap: ca.kind === 'config-map' ? true : undefined, keys: ['ca.crt'] }];
}
