import { Construct } from 'constructs';
import { renderBackendTlsPolicies } from './backend-tls-policies';
import { GATEWAY_API_EXPERIMENTAL_ROW, GATEWAY_API_ROW } from './capabilities';
import { GatewayApiKinds, loadGatewayApiKinds } from './channel';
import { gatewayApiProblems } from './checks';
import { Attachment, createGateway, existingGateway, GROUP } from './gateway';
import { GatewayApiGateway, GatewayApiGatewayConfig } from './gateway-api-gateway';
import { GatewayImplementation } from './gateway-implementation';
import { GatewayApiImplementation, GatewayImplementationResources, PolicyTargetGateway, PolicyTargetRoute } from './implementations/implementation';
import { renderReferenceGrants } from './reference-grants';
import { renderHttpsRedirectRoute, renderRoutes } from './routes';
import { attachSharedGateway } from './shared-gateway';
import { registerOnSharedGateway, sharedGatewayWhere } from './shared-gateway-plan';
import { renderStreamRoutes } from './stream-routes';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import type * as k8s from '../../../imports/k8s';
import { Problem } from '../../core/errors';
import { BOOLEAN, object, optional, required, STRING } from '../../core/runtime-shape';
import { dnsLabelProblem, dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { ExposureIntent, RouteIntent } from '../../intent/model';
import { claimAllRoutes, ExternalReference, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';

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
   * The listener the HTTP routes attach to (`passthrough` and `tcp` routes attach by their port).
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
   * The Gateway the routes attach to: a `GatewayApiGateway.create(...)` that many exposures
   * share (the one load balancer of them; each adds its hosts' listeners), or an existing
   * Gateway (`{ name, namespace }`), of which the library creates nothing.
   * @default - none; then `gatewayClassName` is required
   * @example ExposureStrategy.gatewayApi({ gateway: GatewayApiGateway.create({ gatewayClassName: 'eg', namespace: 'infra' }) })
   */
  readonly gateway?: GatewayApiGateway | GatewayApiParentRef;
  /**
   * Use the experimental channel (retries). The cluster must have the experimental CRDs.
   * @default false
   * @example ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', experimental: true })
   */
  readonly experimental?: boolean;
  /**
   * The implementation behind the GatewayClass, whose own policies carry what standard Gateway
   * API has no field for: `GatewayImplementation.envoyGateway()` renders rate limits, the body
   * size, client IP lists, basic auth and JWT as Envoy Gateway policies attached to the routes;
   * `GatewayImplementation.traefik()` client IP allow lists, basic auth, rate limits, the body
   * size and retries as Traefik Middlewares the route rules reference;
   * `GatewayImplementation.nginxGatewayFabric()` rate limits, the body size, basic auth and affinity
   * by header or client address as NGINX Gateway Fabric's;
   * `GatewayImplementation.kong()` rate limits, client IP lists, the body size, API keys, basic
   * auth, JWT and CORS as KongPlugins of the rules.;
   * `GatewayImplementation.istio()` JWT, client IP lists and external authentication as Istio
   * security policies attached to the Gateway. Independent of the channel (`experimental`).
   * @default - the standard API only: any implementation, and those features refused
   * @example ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() })
   */
  readonly implementation?: GatewayImplementation;
}

/** The runtime shape of `GatewayApiStrategyOptions` (a JavaScript caller may pass anything). */
export const GATEWAY_API_OPTIONS_SHAPE = object('the options of ExposureStrategy.gatewayApi', {
  gatewayClassName: optional(STRING),
  gateway: optional({
    kind: 'instance-or-object',
    is: (v) => v instanceof GatewayApiGateway,
    use: 'GatewayApiGateway.create(...)',
    otherwise: object('a Gateway reference', { name: required(STRING), namespace: required(STRING), sectionName: optional(STRING) }),
  }),
  experimental: optional(BOOLEAN),
  implementation: optional({
    kind: 'instance',
    is: (v) => v instanceof GatewayImplementation,
    use: 'GatewayImplementation.envoyGateway(), .traefik(), .nginxGatewayFabric(), .kong() or .istio()',
  }),
});

/** What gatewayApi synthesizes (escape hatches). */
export interface GatewayApiResources {
  /** The Gateway (unless attached to an existing one): with `GatewayApiGateway`, the one the exposures share. */
  readonly gateway?: gatewayApi.Gateway;
  /** The HTTPRoute with the routes. */
  readonly httpRoute?: gatewayApi.HttpRoute;
  /** The GRPCRoute with the gRPC routes. */
  readonly grpcRoute?: gatewayApi.GrpcRoute;
  /** With TLS: the HTTPRoute on the :80 listeners that redirects to HTTPS. */
  readonly httpsRedirectRoute?: gatewayApi.HttpRoute;
  /** BackendTLSPolicies for the backend Services with `tls`. */
  readonly backendTlsPolicies?: readonly gatewayApi.BackendTlsPolicy[];
  /** A TLSRoute per `passthrough` entry. */
  readonly tlsRoutes?: readonly gatewayApi.TlsRoute[];
  /** A TCPRoute per `tcp` port. */
  readonly tcpRoutes?: readonly gatewayApi.TcpRoute[];
  /** ReferenceGrants for references into other namespaces. */
  readonly referenceGrants?: readonly gatewayApi.ReferenceGrantV1Beta1[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly k8s.KubeService[];
  /** The implementation's policy objects (`implementation`), e.g. Envoy Gateway's BackendTrafficPolicies and SecurityPolicies, Traefik's Middlewares. */
  readonly implementation?: GatewayImplementationResources;
}

/**
 * gatewayApi: Gateway API `gateway.networking.k8s.io/v1`. A Gateway with an HTTP :80 listener per
 * host (and HTTPS :443 listeners with TLS), or a parentRef to an existing Gateway; an HTTPRoute
 * with the routes; with TLS, a second HTTPRoute on the :80 listeners that redirects to HTTPS; a
 * TLSRoute per passthrough and a TCPRoute per TCP port (on listeners of their own); and
 * ReferenceGrants (`v1beta1`, served by every Gateway API release) where references cross namespaces.
 */
export class GatewayApiRenderer implements StrategyRenderer {
  public readonly name: string;
  public readonly capabilities;
  public readonly problems: readonly string[];
  public readonly references: readonly ExternalReference[];
  private readonly experimental: boolean;
  private readonly implementation?: GatewayApiImplementation;
  /** The Gateway shared with other exposures (`GatewayApiGateway`). */
  private readonly shared?: GatewayApiGatewayConfig;
  /** An existing Gateway. */
  private readonly existing?: GatewayApiParentRef;

  constructor(private readonly options: GatewayApiStrategyOptions) {
    this.experimental = options.experimental ?? false;
    this.implementation = options.implementation?._implementation;
    const standardRow = this.experimental ? GATEWAY_API_EXPERIMENTAL_ROW : GATEWAY_API_ROW;
    const row = this.implementation?.row(this.experimental) ?? standardRow;
    this.name = row.strategy;
    this.capabilities = row.capabilities;
    const { gatewayClassName, gateway } = options;
    this.shared = gateway instanceof GatewayApiGateway ? gateway._config : undefined;
    this.existing = gateway instanceof GatewayApiGateway ? undefined : gateway;
    const existing = this.existing;
    this.references = existing ? [{ apiGroup: GROUP, kind: 'Gateway', name: existing.name, namespace: existing.namespace }] : [];
    this.problems = [
      ...problemsOf(
        gatewayClassName === undefined && gateway === undefined ? 'set gatewayClassName (to create a Gateway) or gateway (to attach to an existing one)' : undefined,
        gatewayClassName !== undefined && gateway !== undefined ? 'set gatewayClassName or gateway, not both' : undefined,
        gatewayClassName === undefined ? undefined : dnsSubdomainProblem(gatewayClassName, 'gatewayClassName'),
        existing === undefined ? undefined : dnsSubdomainProblem(existing.name, 'gateway name'),
        existing === undefined ? undefined : dnsLabelProblem(existing.namespace, 'gateway namespace'),
        existing?.sectionName === undefined ? undefined : dnsLabelProblem(existing.sectionName, 'sectionName'),
      ),
      ...gateway instanceof GatewayApiGateway ? gateway._problems : [],
      ...options.implementation?._problems ?? [],
    ];
  }

  /** The implementation's policy carries the routes' retries: on the standard channel, or on both when it ignores the rule's `retry`. */
  private get retriesByPolicy(): boolean {
    const implementation = this.implementation;
    return implementation?.retriesByPolicy === true && (!this.experimental || implementation.retriesByPolicyOnExperimental === true);
  }

  /** The implementation's policy objects carry external authentication (not the rule's ExternalAuth filter). */
  private get externalAuthByPolicy(): boolean {
    return this.implementation?.externalAuthByPolicy === true;
  }

  /**
   * The Gateway the routes attach to: the one created under the exposure's name, or one other
   * exposures share (an existing one, or a GatewayApiGateway, in the first exposure's namespace by default).
   */
  private targetGateway(intent: ExposureIntent): PolicyTargetGateway {
    const { existing, shared } = this;
    if (shared !== undefined) return { name: shared.name, namespace: shared.namespace ?? intent.namespace, existing: true, sharedInApp: true };
    return existing === undefined ? { name: intent.name, existing: false } : { name: existing.name, namespace: existing.namespace, existing: true };
  }

  /** An existing Gateway and a GatewayApiGateway are shared; a Gateway of `gatewayClassName` belongs to this exposure alone. */
  public claims(intent: ExposureIntent): RouteClaims | undefined {
    const { existing, shared } = this;
    if (shared !== undefined) return claimAllRoutes(`Gateway ${sharedGatewayWhere(shared, shared.namespace ?? intent.namespace)}`, intent);
    // Routes on two listeners of one Gateway (`sectionName`: HTTP and HTTPS) do not compete for a request.
    return existing === undefined ? undefined
      : claimAllRoutes(`Gateway ${existing.namespace}/${existing.name}${existing.sectionName === undefined ? '' : ` listener ${existing.sectionName}`}`, intent);
  }

  public check(intent: ExposureIntent): Problem[] {
    return [
      ...gatewayApiProblems(intent, {
        existingGateway: this.existing !== undefined,
        sharedGateway: this.shared,
        experimental: this.experimental,
        retriesByPolicy: this.retriesByPolicy,
        externalAuthByPolicy: this.externalAuthByPolicy,
      }),
      ...this.implementation?.check(intent, this.experimental, this.targetGateway(intent)) ?? [],
    ];
  }

  /**
   * The listeners the exposure adds to a GatewayApiGateway, and what its implementation's objects
   * share with the app's other exposures: their conflicts with what those registered.
   */
  public share(scope: Construct, intent: ExposureIntent): Problem[] {
    return [
      ...this.shared === undefined ? [] : registerOnSharedGateway(scope, intent, this.shared, this.implementation?.name),
      ...this.implementation?.share?.(scope, intent) ?? [],
    ];
  }

  public render(scope: Construct, intent: ExposureIntent): GatewayApiResources {
    // Loaded here: only apps that use this strategy pay for the Gateway API L1 module.
    const kinds = loadGatewayApiKinds(this.experimental);
    const backendServices = provisionBackendServices(intent.backends);
    const { gateway, routeParents, httpsRedirectParents, streamParents, gatewayNamespace } = this.attach(scope, kinds, intent);
    const implementation = this.implementation;
    const extensionRefs = implementation?.extensionRefs === undefined ? undefined
      : (route: RouteIntent) => implementation.extensionRefs!(intent, route, this.experimental);
    const { httpRoute, grpcRoute } = renderRoutes(scope, kinds, intent, routeParents, this.experimental, this.retriesByPolicy, extensionRefs, {
      corsByImplementation: implementation?.corsByImplementation === true, externalAuthByPolicy: this.externalAuthByPolicy,
    });
    const httpsRedirectRoute = httpsRedirectParents.length === 0 ? undefined : renderHttpsRedirectRoute(scope, kinds, intent, httpsRedirectParents);
    const { tlsRoutes, tcpRoutes } = renderStreamRoutes(scope, kinds, intent, streamParents);
    const referenceGrants = renderReferenceGrants(scope, kinds, intent, gatewayNamespace ?? intent.namespace);
    const backendTlsPolicies = renderBackendTlsPolicies(scope, kinds, intent);
    const targets = policyTargets(intent, httpRoute, grpcRoute);
    const policies = implementation?.render(scope, intent, targets, this.experimental, this.targetGateway(intent));
    const routes = { httpRoute, grpcRoute, httpsRedirectRoute, tlsRoutes, tcpRoutes };
    return { gateway, ...routes, referenceGrants, backendTlsPolicies, backendServices, implementation: policies };
  }

  /** The Gateway the routes attach to: one created for the exposure, the shared one, or an existing one (the check refuses TLS there). */
  private attach(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent): Attachment {
    const { existing, shared } = this;
    if (shared !== undefined) return attachSharedGateway(scope, kinds, intent, shared);
    const { gatewayClassName } = this.options;
    if (existing === undefined) return createGateway(scope, kinds, intent, gatewayClassName ?? unexpected('neither gatewayClassName nor gateway'));
    if (intent.tls !== undefined) unexpected('tls on an existing Gateway');
    return existingGateway(intent, existing.name, existing.namespace, existing.sectionName);
  }
}

/** The route objects an implementation's policies attach to, with their routes in rule order. */
function policyTargets(intent: ExposureIntent, httpRoute?: gatewayApi.HttpRoute, grpcRoute?: gatewayApi.GrpcRoute): PolicyTargetRoute[] {
  const routesOf = (protocol: 'http' | 'grpc') => intent.routes.filter((r) => r.protocol === protocol);
  return [
    ...httpRoute === undefined ? [] : [{ kind: 'HTTPRoute' as const, name: httpRoute.name, routes: routesOf('http') }],
    ...grpcRoute === undefined ? [] : [{ kind: 'GRPCRoute' as const, name: grpcRoute.name, routes: routesOf('grpc') }],
  ];
}
