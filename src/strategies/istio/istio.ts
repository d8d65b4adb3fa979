import { Duration } from 'cdk8s';
import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { ISTIO_ROW } from './capabilities';
import { duration, IstioNaming, percentages, renderHttpRoutes } from './http-routes';
import { IstioGateway, IstioGatewayConfig } from './istio-gateway';
import { renderJwt } from './jwt';
import type * as certManager from '../../../imports/cert-manager-cert-manager.io';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { fail as failAt, Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { BackendIntent, ExposureIntent, isCatchAll } from '../../intent/model';
import { claimAllRoutes, ExternalReference, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certificate as certificateFor } from '../shared/cert-manager';

/** Connection limits to each backend (DestinationRule connectionPool). */
export interface IstioConnectionPool {
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxConnections: 100 }
   */
  readonly maxConnections?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { http1MaxPendingRequests: 50 }
   */
  readonly http1MaxPendingRequests?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { http2MaxRequests: 1000 }
   */
  readonly http2MaxRequests?: number;
  /**
   * @default - Istio's default (no limit)
   * @example connectionPool: { maxRequestsPerConnection: 10 }
   */
  readonly maxRequestsPerConnection?: number;
}

/** Ejection of failing endpoints (DestinationRule outlierDetection). */
export interface IstioOutlierDetection {
  /**
   * @default - Istio's default (5)
   * @example outlierDetection: { consecutive5xxErrors: 5 }
   */
  readonly consecutive5xxErrors?: number;
  /**
   * @default - Istio's default (10s)
   * @example outlierDetection: { interval: Duration.seconds(10) }
   */
  readonly interval?: Duration;
  /**
   * @default - Istio's default (30s)
   * @example outlierDetection: { baseEjectionTime: Duration.seconds(30) }
   */
  readonly baseEjectionTime?: Duration;
  /**
   * @default - Istio's default (10)
   * @example outlierDetection: { maxEjectionPercent: 50 }
   */
  readonly maxEjectionPercent?: number;
}

/** Load balancing, connection pool and outlier detection for the backends (DestinationRule). */
export interface IstioTrafficPolicy {
  /**
   * @default - Istio's default (LEAST_REQUEST)
   * @example trafficPolicy: { loadBalancer: 'LEAST_REQUEST' }
   */
  readonly loadBalancer?: 'ROUND_ROBIN' | 'LEAST_REQUEST' | 'RANDOM' | 'PASSTHROUGH';
  /**
   * @default - Istio's defaults (no limits)
   * @example trafficPolicy: { connectionPool: { maxConnections: 100 } }
   */
  readonly connectionPool?: IstioConnectionPool;
  /**
   * Ejects failing endpoints from the load balancing pool.
   * @default - no outlier detection
   * @example trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5 } }
   */
  readonly outlierDetection?: IstioOutlierDetection;
}

/** Options for `ExposureStrategy.istio`. */
export interface IstioStrategyOptions {
  /**
   * The Gateway the VirtualService binds to.
   * @default IstioGateway.create() - a Gateway on the shared ingress gateway (istio: ingressgateway)
   * @example ExposureStrategy.istio({ gateway: IstioGateway.create({ namespace: 'istio-system' }) })
   */
  readonly gateway?: IstioGateway;
  /**
   * Also bind the VirtualService to `mesh`, so callers inside the mesh get the same routing.
   * @default false
   * @example ExposureStrategy.istio({ bindToMesh: true })
   */
  readonly bindToMesh?: boolean;
  /**
   * `v1` needs Istio 1.22 or later; `v1beta1` serves older meshes.
   * @default 'v1'
   * @example ExposureStrategy.istio({ apiVersion: 'v1beta1' })
   */
  readonly apiVersion?: 'v1' | 'v1beta1';
  /**
   * The cluster domain of the backends' FQDNs (`name.namespace.svc.<domain>`).
   * @default 'cluster.local'
   * @example ExposureStrategy.istio({ clusterDomain: 'corp.internal' })
   */
  readonly clusterDomain?: string;
  /**
   * Traffic policy for every backend, in a DestinationRule per backend Service.
   * @default - none (a DestinationRule only where subsets need one)
   * @example ExposureStrategy.istio({ trafficPolicy: { loadBalancer: 'LEAST_REQUEST' } })
   */
  readonly trafficPolicy?: IstioTrafficPolicy;
}

/** What istio synthesizes (escape hatches). */
export interface IstioResources {
  /** The Gateway (unless bound to an existing one). */
  readonly gateway?: istioNetworking.Gateway;
  /** The VirtualService. */
  readonly virtualService?: istioNetworking.VirtualService;
  /** DestinationRules for subsets and traffic policy. */
  readonly destinationRules?: readonly istioNetworking.DestinationRule[];
  /** With `Auth.jwt`: token validation on the gateway workload. */
  readonly requestAuthentication?: istioSecurity.RequestAuthentication;
  /** With `Auth.jwt`: requests without a valid token are denied. */
  readonly authorizationPolicy?: istioSecurity.AuthorizationPolicy;
  /** With `Tls.certManager`: the Certificate (in the gateway's namespace for istio). */
  readonly certificate?: certManager.Certificate;
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly kplus.Service[];
}

/**
 * istio: a Gateway (ports, TLS) and a VirtualService bound to it carrying all L7 routing, plus a
 * DestinationRule per backend Service with subsets or traffic policy, RequestAuthentication +
 * AuthorizationPolicy for JWT, and a cert-manager Certificate for `Tls.certManager`.
 */
export class IstioRenderer implements StrategyRenderer {
  public readonly name = ISTIO_ROW.strategy;
  public readonly capabilities = ISTIO_ROW.capabilities;
  public readonly problems: readonly string[];
  public readonly references: readonly ExternalReference[];
  private readonly gateway: IstioGatewayConfig;

  constructor(private readonly options: IstioStrategyOptions) {
    const gateway = options.gateway ?? IstioGateway.create();
    this.gateway = gateway._config;
    this.references = this.gateway.kind === 'existing'
      ? [{ apiGroup: 'networking.istio.io', kind: 'Gateway', name: this.gateway.name, namespace: this.gateway.namespace }] : [];
    const version = options.apiVersion ?? 'v1';
    this.problems = [
      ...gateway._problems,
      ...problemsOf(
        version === 'v1' || version === 'v1beta1' ? undefined : `apiVersion "${version}" is not served; use "v1" (Istio 1.22+) or "v1beta1"`,
        options.clusterDomain === undefined ? undefined : dnsSubdomainProblem(options.clusterDomain, 'clusterDomain'),
      ),
    ];
  }

  /** The gateway workload (by selector) or the existing Gateway that serves the hosts. */
  public claims(intent: ExposureIntent): RouteClaims {
    const gw = this.gateway;
    return claimAllRoutes(gw.kind === 'existing' ? `Istio Gateway ${gw.namespace}/${gw.name}` : `Istio gateway workload ${JSON.stringify(gw.selector)}`, intent);
  }

  public check(): Problem[] {
    return [];
  }

  public render(scope: Construct, intent: ExposureIntent): IstioResources {
    const fail = (field: string, message: string): never => failAt(scope, field, message);
    // Loaded here, not at the top: only apps that use this strategy pay for the Istio L1 module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const istio: typeof istioNetworking = require('../../../imports/istio-networking.istio.io');
    const v1 = (this.options.apiVersion ?? 'v1') === 'v1';
    const backendServices = provisionBackendServices(intent.backends);
    const naming = this.naming();

    const gatewayNamespace = this.gateway.kind === 'existing' ? this.gateway.namespace : this.gateway.namespace ?? intent.namespace;
    const gatewayName = this.gateway.kind === 'existing' ? this.gateway.name : intent.name;
    const gatewayRef = gatewayNamespace !== intent.namespace ? `${gatewayNamespace}/${gatewayName}` : gatewayName;
    const hosts = intent.hosts.length > 0 ? [...intent.hosts] : ['*'];
    if (this.options.bindToMesh && intent.hosts.length === 0) {
      fail('hosts', 'a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts');
    }

    let gateway: istioNetworking.Gateway | undefined;
    let certificate: IstioResources['certificate'];
    if (this.gateway.kind === 'create') {
      // v1 and v1beta1 have the same schema; the generated classes differ only in apiVersion.
      const Gateway = (v1 ? istio.Gateway : istio.GatewayV1Beta1) as typeof istio.Gateway;
      gateway = new Gateway(scope, 'Gateway', {
        metadata: { name: gatewayName, namespace: gatewayNamespace },
        spec: { selector: { ...this.gateway.selector }, servers: this.servers(intent, hosts) },
      });
      // cert-manager issues the credential Secret in the gateway's namespace, where Istio reads it.
      if (intent.tls?.certManager) certificate = certificateFor(scope, intent, gatewayNamespace);
    } else if (intent.tls) {
      fail('tls', 'an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()');
    }

    const passthrough = this.gateway.kind === 'create' && intent.tls !== undefined && this.gateway.tlsMode === 'PASSTHROUGH';
    const VirtualService = (v1 ? istio.VirtualService : istio.VirtualServiceV1Beta1) as typeof istio.VirtualService;
    const virtualService = new VirtualService(scope, 'VirtualService', {
      metadata: { name: intent.name },
      spec: {
        hosts,
        gateways: this.options.bindToMesh ? [gatewayRef, 'mesh'] : [gatewayRef],
        ...(passthrough ? { tls: this.passthroughRoutes(intent, naming, fail) } : { http: renderHttpRoutes(intent, naming) as any }),
      },
    });

    const DestinationRule = (v1 ? istio.DestinationRule : istio.DestinationRuleV1Beta1) as typeof istio.DestinationRule;
    const destinationRules = this.destinationRules(scope, intent, naming, DestinationRule);
    const jwt = renderJwt(scope, intent, {
      namespace: gatewayNamespace,
      selector: this.gateway.selector,
      v1,
      bindToMesh: this.options.bindToMesh ?? false,
      fail,
    });
    return { gateway, virtualService, destinationRules, ...jwt, certificate, backendServices };
  }

  private naming(): IstioNaming {
    const domain = this.options.clusterDomain ?? 'cluster.local';
    return {
      // Without a namespace, Istio resolves a short name in the VirtualService's own namespace.
      host: (b: BackendIntent) => (b.namespace === undefined ? b.name : `${b.name}.${b.namespace}.svc.${domain}`),
    };
  }

  private servers(intent: ExposureIntent, hosts: string[]): istioNetworking.GatewaySpecServers[] {
    const gw = this.gateway as Extract<IstioGatewayConfig, { kind: 'create' }>;
    const http: istioNetworking.GatewaySpecServers = {
      port: { number: 80, name: 'http', protocol: 'HTTP' },
      hosts,
      tls: intent.tls && gw.httpsRedirect ? { httpsRedirect: true } : undefined,
    };
    if (intent.tls === undefined) return [http];
    const https: istioNetworking.GatewaySpecServers = {
      port: { number: 443, name: 'https', protocol: gw.tlsMode === 'PASSTHROUGH' ? 'TLS' : 'HTTPS' },
      hosts,
      tls: gw.tlsMode === 'PASSTHROUGH'
        ? { mode: 'PASSTHROUGH' as istioNetworking.GatewaySpecServersTlsMode }
        : { mode: gw.tlsMode as istioNetworking.GatewaySpecServersTlsMode, credentialName: intent.tls.secretName },
    };
    return [http, https];
  }

  /** PASSTHROUGH: the gateway forwards the TLS stream by SNI; the backend terminates TLS. */
  private passthroughRoutes(intent: ExposureIntent, naming: IstioNaming, fail: (f: string, m: string) => never) {
    const route = intent.routes[0];
    if (intent.routes.length !== 1 || !isCatchAll(route.match) || route.action.kind !== 'forward') {
      fail('routes', 'with tlsMode PASSTHROUGH the gateway does not decrypt, so it routes by host only: declare no routes, one backend (or weighted backends)');
    }
    const l7 = (['timeoutMs', 'retries', 'rewrite', 'requestHeaders', 'responseHeaders', 'mirror', 'fault', 'cors', 'auth'] as const)
      .filter((k) => route[k] !== undefined);
    if (l7.length > 0) fail(route.sources[l7[0] === 'timeoutMs' ? 'timeout' : l7[0]]!, 'with tlsMode PASSTHROUGH the gateway sees no HTTP: L7 policies cannot apply');
    const backends = route.action.kind === 'forward' ? route.action.backends : [];
    const weights = percentages(backends.map((b) => b.weight));
    return [{
      match: [{ port: 443, sniHosts: [...intent.hosts] }],
      route: backends.map((b, k) => ({
        destination: { host: naming.host(b.backend), subset: b.backend.subset?.name, port: { number: b.backend.port } },
        weight: backends.length > 1 ? weights[k] : undefined,
      })),
    }];
  }

  /** One DestinationRule per backend Service that has subsets, or for every backend with a traffic policy. */
  private destinationRules(scope: Construct, intent: ExposureIntent, naming: IstioNaming,
    DestinationRule: typeof istioNetworking.DestinationRule): istioNetworking.DestinationRule[] {
    const byHost = new Map<string, BackendIntent[]>();
    for (const b of intent.backends) byHost.set(naming.host(b), [...(byHost.get(naming.host(b)) ?? []), b]);
    const trafficPolicy = this.trafficPolicy();
    const rules: istioNetworking.DestinationRule[] = [];
    for (const [host, backends] of [...byHost.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const subsets = [...new Map(backends.filter((b) => b.subset).map((b) => [b.subset!.name, b.subset!])).values()]
        .sort((a, b) => a.name.localeCompare(b.name))
        .map((s) => ({ name: s.name, labels: { ...s.labels } }));
      if (subsets.length === 0 && trafficPolicy === undefined) continue;
      const suffix = `${backends[0].name}${backends[0].namespace && backends[0].namespace !== intent.namespace ? `-${backends[0].namespace}` : ''}`;
      rules.push(new DestinationRule(scope, `DestinationRule-${suffix}`, {
        metadata: { name: resourceName(scope, suffix) },
        spec: { host, subsets: subsets.length > 0 ? subsets : undefined, trafficPolicy },
      }));
    }
    return rules;
  }

  private trafficPolicy(): istioNetworking.DestinationRuleSpecTrafficPolicy | undefined {
    const p = this.options.trafficPolicy;
    if (p === undefined) return undefined;
    const o = p.outlierDetection;
    const c = p.connectionPool;
    return {
      loadBalancer: p.loadBalancer && { simple: p.loadBalancer as istioNetworking.DestinationRuleSpecTrafficPolicyLoadBalancerSimple },
      connectionPool: c && {
        tcp: c.maxConnections === undefined ? undefined : { maxConnections: c.maxConnections },
        http: c.http1MaxPendingRequests === undefined && c.http2MaxRequests === undefined && c.maxRequestsPerConnection === undefined ? undefined : {
          http1MaxPendingRequests: c.http1MaxPendingRequests,
          http2MaxRequests: c.http2MaxRequests,
          maxRequestsPerConnection: c.maxRequestsPerConnection,
        },
      },
      outlierDetection: o && {
        consecutive5XxErrors: o.consecutive5xxErrors,
        interval: o.interval && duration(o.interval.toMilliseconds()),
        baseEjectionTime: o.baseEjectionTime && duration(o.baseEjectionTime.toMilliseconds()),
        maxEjectionPercent: o.maxEjectionPercent,
      },
    };
  }
}
