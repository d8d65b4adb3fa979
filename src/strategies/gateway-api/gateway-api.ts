import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import { GATEWAY_API_EXPERIMENTAL_ROW, GATEWAY_API_ROW } from './capabilities';
import { renderGrpcRouteRules } from './grpc-route-rules';
import { renderHttpRouteRules } from './http-route-rules';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { fail as failAt, Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { dnsLabelProblem, dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { BackendIntent, backendField, ExposureIntent } from '../../intent/model';
import { claimAllRoutes, ExternalReference, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certManagerAnnotations } from '../shared/cert-manager';

const GROUP = 'gateway.networking.k8s.io';

/** An existing Gateway to attach the routes to (`parentRef`). */
export interface GatewayApiParentRef {
  /**
   * The Gateway's name.
   * @example gateway: { name: 'public', namespace: 'infra' }
   */
  readonly name: string;
  /**
   * The Gateway's namespace.
   * @example gateway: { name: 'public', namespace: 'infra' }
   */
  readonly namespace: string;
  /**
   * The listener to attach to.
   * @default - every listener of the Gateway that accepts the route
   * @example gateway: { name: 'public', namespace: 'infra', sectionName: 'https' }
   */
  readonly sectionName?: string;
}

/** Options for `ExposureStrategy.gatewayApi`: set exactly one of `gatewayClassName` and `gateway`. */
export interface GatewayApiStrategyOptions {
  /**
   * Create a Gateway of this GatewayClass (e.g. `istio`, `eg` for Envoy Gateway, `cilium`, `nginx`).
   * @default - none; then `gateway` is required
   * @example ExposureStrategy.gatewayApi({ gatewayClassName: 'eg' })
   */
  readonly gatewayClassName?: string;
  /**
   * Attach to an existing Gateway and create none.
   * @default - none; then `gatewayClassName` is required
   * @example ExposureStrategy.gatewayApi({ gateway: { name: 'public', namespace: 'infra' } })
   */
  readonly gateway?: GatewayApiParentRef;
  /**
   * Use the experimental channel (retries). The cluster must have the experimental CRDs.
   * @default false
   * @example ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })
   */
  readonly experimental?: boolean;
}

/** What gatewayApi synthesizes (escape hatches). */
export interface GatewayApiResources {
  /** The Gateway (unless attached to an existing one). */
  readonly gateway?: gatewayApi.Gateway;
  /** The HTTPRoute with the routes. */
  readonly httpRoute?: gatewayApi.HttpRoute;
  /** The GRPCRoute with the gRPC routes. */
  readonly grpcRoute?: gatewayApi.GrpcRoute;
  /** With TLS: the HTTPRoute on the :80 listeners that redirects to HTTPS. */
  readonly httpsRedirectRoute?: gatewayApi.HttpRoute;
  /** ReferenceGrants for references into other namespaces. */
  readonly referenceGrants?: readonly gatewayApi.ReferenceGrantV1Beta1[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly kplus.Service[];
}

/**
 * gatewayApi: Gateway API `gateway.networking.k8s.io/v1`. A Gateway with an HTTP :80 listener per
 * host (and HTTPS :443 listeners with TLS), or a parentRef to an existing Gateway; an HTTPRoute
 * with the routes; with TLS, a second HTTPRoute on the :80 listeners that redirects to HTTPS; and
 * ReferenceGrants (`v1beta1`, served by every Gateway API release) where references cross namespaces.
 */
export class GatewayApiRenderer implements StrategyRenderer {
  public readonly name: string;
  public readonly capabilities;
  public readonly problems: readonly string[];
  public readonly references: readonly ExternalReference[];
  private readonly experimental: boolean;

  constructor(private readonly options: GatewayApiStrategyOptions) {
    this.experimental = options.experimental ?? false;
    const row = this.experimental ? GATEWAY_API_EXPERIMENTAL_ROW : GATEWAY_API_ROW;
    this.name = row.strategy;
    this.capabilities = row.capabilities;
    const { gatewayClassName, gateway } = options;
    this.references = gateway ? [{ apiGroup: GROUP, kind: 'Gateway', name: gateway.name, namespace: gateway.namespace }] : [];
    this.problems = problemsOf(
      gatewayClassName === undefined && gateway === undefined ? 'set gatewayClassName (to create a Gateway) or gateway (to attach to an existing one)' : undefined,
      gatewayClassName !== undefined && gateway !== undefined ? 'set gatewayClassName or gateway, not both' : undefined,
      gatewayClassName === undefined ? undefined : dnsSubdomainProblem(gatewayClassName, 'gatewayClassName'),
      gateway === undefined ? undefined : dnsSubdomainProblem(gateway.name, 'gateway name'),
      gateway === undefined ? undefined : dnsLabelProblem(gateway.namespace, 'gateway namespace'),
      gateway?.sectionName === undefined ? undefined : dnsLabelProblem(gateway.sectionName, 'sectionName'),
    );
  }

  /** An existing Gateway is shared; a created one belongs to this exposure alone. */
  public claims(intent: ExposureIntent): RouteClaims | undefined {
    const gateway = this.options.gateway;
    return gateway === undefined ? undefined : claimAllRoutes(`Gateway ${gateway.namespace}/${gateway.name}`, intent);
  }

  public check(): Problem[] {
    return [];
  }

  public render(scope: Construct, intent: ExposureIntent): GatewayApiResources {
    const fail = (field: string, message: string): never => failAt(scope, field, message);
    // Loaded here: only apps that use this strategy pay for the Gateway API L1 module.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const api: typeof gatewayApi = this.experimental ? require('../../../imports/gateway-api-experimental-gateway.networking.k8s.io')
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      : require('../../../imports/gateway-api-gateway.networking.k8s.io');
    const backendServices = provisionBackendServices(intent.backends);
    const routeNamespace = intent.namespace;
    const backendRef = (b: BackendIntent) => ({ name: b.name, namespace: b.namespace !== routeNamespace ? b.namespace : undefined, port: b.port });

    let gateway: gatewayApi.Gateway | undefined;
    let routeParents: Record<string, unknown>[];
    let redirectParents: Record<string, unknown>[] = [];
    if (this.options.gateway !== undefined) {
      if (intent.tls !== undefined) {
        fail('tls', 'an existing Gateway terminates TLS on its own listeners; remove tls and attach to its HTTPS listener (gateway.sectionName)');
      }
      const { name, namespace, sectionName } = this.options.gateway;
      routeParents = [{ group: GROUP, kind: 'Gateway', name, namespace: namespace !== routeNamespace ? namespace : undefined, sectionName }];
    } else {
      const listeners = this.listeners(intent);
      gateway = new api.Gateway(scope, 'Gateway', {
        metadata: { name: intent.name, annotations: certManagerAnnotations(intent) },
        spec: { gatewayClassName: this.options.gatewayClassName!, listeners: listeners as any },
      });
      const parent = (sectionName: string) => ({ group: GROUP, kind: 'Gateway', name: intent.name, sectionName });
      const http = listeners.filter((l) => l.protocol === 'HTTP').map((l) => parent(l.name));
      const https = listeners.filter((l) => l.protocol === 'HTTPS').map((l) => parent(l.name));
      routeParents = intent.tls ? https : http;
      redirectParents = intent.tls ? http : [];
    }

    const hostnames = intent.hosts.length > 0 ? [...intent.hosts] : undefined;
    // gRPC routes go to a GRPCRoute on the same listeners; an HTTPRoute carries the rest.
    const httpRoutes = intent.routes.filter((r) => r.protocol === 'http');
    const grpcRoutes = intent.routes.filter((r) => r.protocol === 'grpc');
    const httpRoute = httpRoutes.length === 0 ? undefined : new api.HttpRoute(scope, 'HTTPRoute', {
      metadata: { name: intent.name },
      spec: { parentRefs: routeParents as any, hostnames, rules: renderHttpRouteRules(httpRoutes, backendRef, this.experimental, fail) as any },
    });
    const grpcRoute = grpcRoutes.length === 0 ? undefined : new api.GrpcRoute(scope, 'GRPCRoute', {
      metadata: { name: intent.name },
      spec: { parentRefs: routeParents as any, hostnames, rules: renderGrpcRouteRules(grpcRoutes, backendRef, fail) as any },
    });
    // With TLS, plain HTTP only redirects to HTTPS: the Gateway API idiom is a route of its own on the :80 listeners.
    const httpsRedirectRoute = redirectParents.length === 0 ? undefined : new api.HttpRoute(scope, 'HTTPRoute-https-redirect', {
      metadata: { name: resourceName(scope, 'https-redirect') },
      spec: {
        parentRefs: redirectParents as any,
        hostnames,
        rules: [{ name: 'https-redirect', filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }] as any,
      },
    });

    const referenceGrants = this.referenceGrants(scope, intent, api, fail);
    return { gateway, httpRoute, grpcRoute, httpsRedirectRoute, referenceGrants, backendServices };
  }

  /** HTTP :80 per host (or one for every host), and with TLS an HTTPS :443 listener per host. */
  private listeners(intent: ExposureIntent): { name: string; protocol: 'HTTP' | 'HTTPS'; [key: string]: unknown }[] {
    // Routes come from the exposure's own namespace only.
    const allowedRoutes = { namespaces: { from: 'Same' } };
    if (intent.hosts.length === 0) return [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes }];
    const tls = intent.tls;
    return [
      ...intent.hosts.map((hostname, i) => ({ name: `http-${i}`, protocol: 'HTTP' as const, port: 80, hostname, allowedRoutes })),
      ...(tls === undefined ? [] : intent.hosts.map((hostname, i) => ({
        name: `https-${i}`,
        protocol: 'HTTPS' as const,
        port: 443,
        hostname,
        tls: { mode: 'Terminate', certificateRefs: [{ group: '', kind: 'Secret', name: tls.secretName, namespace: tls.secretNamespace }] },
        allowedRoutes,
      }))),
    ];
  }

  /**
   * ReferenceGrants in the namespaces the Gateway and the routes reach into: one for the TLS
   * Secret (from the Gateway), one per backend namespace (from the HTTPRoute).
   */
  private referenceGrants(scope: Construct, intent: ExposureIntent, api: typeof gatewayApi, fail: (f: string, m: string) => never) {
    const grants: gatewayApi.ReferenceGrantV1Beta1[] = [];
    const from = (kind: string, field: string) => {
      if (intent.namespace === undefined) {
        fail(field, 'a reference into another namespace needs a ReferenceGrant naming this namespace: give the chart a namespace');
      }
      return [{ group: GROUP, kind, namespace: intent.namespace }];
    };
    if (intent.tls?.secretNamespace !== undefined) {
      grants.push(new api.ReferenceGrantV1Beta1(scope, 'ReferenceGrant-tls', {
        metadata: { name: resourceName(scope, 'tls'), namespace: intent.tls.secretNamespace },
        spec: { from: from('Gateway', 'tls') as any, to: [{ group: '', kind: 'Secret', name: intent.tls.secretName }] },
      }));
    }
    // Which route kinds reach which Services in each other namespace.
    const byNamespace = new Map<string, { kinds: Set<string>; names: Set<string>; field: string }>();
    for (const route of intent.routes) {
      const backends = [...(route.action.kind === 'forward' ? route.action.backends.map((b) => b.backend) : []), ...(route.mirror ? [route.mirror.backend] : [])];
      for (const b of backends) {
        if (b.namespace === undefined || b.namespace === intent.namespace) continue;
        const entry = byNamespace.get(b.namespace) ?? { kinds: new Set<string>(), names: new Set<string>(), field: backendField(intent, b) };
        entry.kinds.add(route.protocol === 'grpc' ? 'GRPCRoute' : 'HTTPRoute');
        entry.names.add(b.name);
        byNamespace.set(b.namespace, entry);
      }
    }
    for (const [namespace, { kinds, names, field }] of [...byNamespace.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      grants.push(new api.ReferenceGrantV1Beta1(scope, `ReferenceGrant-${namespace}`, {
        metadata: { name: resourceName(scope, 'backends'), namespace },
        spec: {
          from: [...kinds].sort().flatMap((kind) => from(kind, field)) as any,
          to: [...names].sort().map((name) => ({ group: '', kind: 'Service', name })),
        },
      }));
    }
    return grants;
  }
}
