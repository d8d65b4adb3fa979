import { Construct } from 'constructs';
import { renderAccess } from './access';
import { ISTIO_ROW } from './capabilities';
import { checkLetThrough } from './check-let-through';
import { istioProblems } from './checks';
import { renderDestinationRules } from './destination-rules';
import { renderExternalAuth } from './external-auth';
import { gatewayServers } from './gateway-servers';
import { renderHttpRoutes } from './http-routes';
import { IstioGateway, IstioGatewayConfig } from './istio-gateway';
import { IstioApiVersion, IstioNetworkingKinds, networkingKinds } from './istio-kinds';
import { IstioStrategyOptions, MOVED_TO_CIRCUIT_BREAKER } from './istio-options';
import { istioNaming } from './istio-values';
import { renderJwt } from './jwt';
import { streamRoutes, virtualServiceHosts } from './stream-routes';
import type * as certManager from '../../../imports/cert-manager-cert-manager.io';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import type * as k8s from '../../../imports/k8s';
import { Problem } from '../../core/errors';
import { isPlainObject } from '../../core/runtime-types';
import { dnsSubdomainProblem, problemsOf } from '../../core/validators';
import { ExposureIntent } from '../../intent/model';
import { claimAllRoutes, ExternalReference, RouteClaims, StrategyRenderer } from '../contract';
import { provisionBackendServices } from '../shared/backend-services';
import { certificate as certificateFor } from '../shared/cert-manager';

export { IstioConnectionPool, IstioStrategyOptions, IstioTrafficPolicy } from './istio-options';

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
  /** With `access`: requests of clients outside the allow list or inside the deny list are denied. */
  readonly ipAccessPolicy?: istioSecurity.AuthorizationPolicy;
  /** With `Auth.external`: requests are checked by the mesh's extension provider (CUSTOM). */
  readonly externalAuthPolicy?: istioSecurity.AuthorizationPolicy;
  /** With `Tls.certManager`: the Certificate (in the gateway's namespace for istio). */
  readonly certificate?: certManager.Certificate;
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly k8s.KubeService[];
}

/**
 * istio: a Gateway (ports, TLS, passthrough and TCP servers) and a VirtualService bound to it
 * carrying all L7 routing and the `tls`/`tcp` routes of the streams, plus a
 * DestinationRule per backend Service with subsets or traffic policy, RequestAuthentication +
 * AuthorizationPolicy for JWT, an AuthorizationPolicy for client IP lists, a CUSTOM one for external authentication, and a cert-manager Certificate for `Tls.certManager`.
 */
export class IstioRenderer implements StrategyRenderer {
  public readonly name = ISTIO_ROW.strategy;
  public readonly capabilities = ISTIO_ROW.capabilities;
  public readonly problems: readonly string[];
  public readonly references: readonly ExternalReference[];
  private readonly gateway: IstioGatewayConfig;
  private readonly apiVersion: IstioApiVersion;

  constructor(private readonly options: IstioStrategyOptions) {
    const gateway = options.gateway ?? IstioGateway.create();
    this.gateway = gateway._config;
    this.references = this.gateway.kind === 'existing'
      ? [{ apiGroup: 'networking.istio.io', kind: 'Gateway', name: this.gateway.name, namespace: this.gateway.namespace }] : [];
    const version = options.apiVersion ?? 'v1';
    this.apiVersion = version === 'v1' ? 'v1' : 'v1beta1';
    this.problems = [
      ...gateway._problems,
      ...problemsOf(
        version === 'v1' || version === 'v1beta1' ? undefined : `apiVersion "${version}" is not served; use "v1" (Istio 1.22+) or "v1beta1"`,
        options.clusterDomain === undefined ? undefined : dnsSubdomainProblem(options.clusterDomain, 'clusterDomain'),
        options.externalAuthProvider === undefined || /^\S+$/.test(options.externalAuthProvider) ? undefined
          : `externalAuthProvider ${JSON.stringify(options.externalAuthProvider)} is not the name of an extension provider; use the name of its meshConfig.extensionProviders entry`,
      ),
      ...trafficPolicyProblems(options.trafficPolicy),
    ];
  }

  /** The gateway workload (by selector) or the existing Gateway that serves the hosts. */
  public claims(intent: ExposureIntent): RouteClaims {
    const gw = this.gateway;
    return claimAllRoutes(gw.kind === 'existing' ? `Istio Gateway ${gw.namespace}/${gw.name}` : `Istio gateway workload ${JSON.stringify(gw.selector)}`, intent);
  }

  public check(intent: ExposureIntent): Problem[] {
    const { bindToMesh, externalAuthProvider, trafficPolicy } = this.options;
    return istioProblems(intent, {
      gateway: this.gateway, bindToMesh: bindToMesh ?? false, externalAuthProvider, loadBalancer: trafficPolicy?.loadBalancer,
    });
  }

  public render(scope: Construct, intent: ExposureIntent): IstioResources {
    const kinds = networkingKinds(this.apiVersion);
    const backendServices = provisionBackendServices(intent.backends);
    const naming = istioNaming(this.options.clusterDomain);
    const placement = this.gatewayPlacement(intent);
    const { gateway, certificate } = this.renderGateway(scope, intent, kinds, placement.namespace);
    const virtualService = new kinds.VirtualService(scope, 'VirtualService', {
      metadata: { name: intent.name },
      spec: {
        hosts: virtualServiceHosts(intent),
        gateways: this.options.bindToMesh ? [placement.ref, 'mesh'] : [placement.ref],
        http: intent.routes.length === 0 ? undefined : renderHttpRoutes(intent, naming),
        ...streamRoutes(intent, naming),
      },
    });
    const destinationRules = renderDestinationRules(scope, intent, naming, kinds.DestinationRule, this.options.trafficPolicy);
    // The policies go where the gateway workload runs: a created Gateway's namespace, or the one an existing Gateway's workload is said to run in.
    const policyNamespace = this.gateway.kind === 'existing' ? this.gateway.workloadNamespace : placement.namespace;
    const policyContext = { namespace: policyNamespace, selector: this.gateway.selector, apiVersion: this.apiVersion };
    const jwt = renderJwt(scope, intent, policyContext);
    const ipAccessPolicy = renderAccess(scope, intent, policyContext);
    const externalAuthPolicy = renderExternalAuth(scope, intent, { ...policyContext, provider: this.options.externalAuthProvider });
    return { gateway, virtualService, destinationRules, ...jwt, ipAccessPolicy, externalAuthPolicy, certificate, backendServices };
  }

  /** The Gateway's namespace, and its name as the VirtualService refers to it (`namespace/name` from another namespace). */
  private gatewayPlacement(intent: ExposureIntent): { readonly namespace?: string; readonly ref: string } {
    const gw = this.gateway;
    const namespace = gw.kind === 'existing' ? gw.namespace : gw.namespace ?? intent.namespace;
    const name = gw.kind === 'existing' ? gw.name : intent.name;
    return { namespace, ref: namespace !== intent.namespace ? `${namespace}/${name}` : name };
  }

  /** A created Gateway for the hosts, and the Certificate of its credential (cert-manager issues it where Istio reads it). */
  private renderGateway(scope: Construct, intent: ExposureIntent, kinds: IstioNetworkingKinds,
    namespace: string | undefined): Pick<IstioResources, 'gateway' | 'certificate'> {
    const gw = this.gateway;
    if (gw.kind === 'existing') {
      if (intent.tls !== undefined) throw checkLetThrough('TLS on an existing Gateway');
      return {};
    }
    const gateway = new kinds.Gateway(scope, 'Gateway', {
      metadata: { name: intent.name, namespace },
      spec: { selector: { ...gw.selector }, servers: gatewayServers(gw, intent) },
    });
    return { gateway, certificate: intent.tls?.certManager ? certificateFor(scope, intent, namespace) : undefined };
  }
}

const LOAD_BALANCERS = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RANDOM', 'PASSTHROUGH'];

/**
 * The values of the traffic policy the DestinationRule schema would refuse: a load balancer Istio
 * does not have, a count that is not a whole number of at least 0; and each option that moved to
 * the exposure's circuitBreaker, with the migration.
 */
function trafficPolicyProblems(policy: IstioStrategyOptions['trafficPolicy']): string[] {
  if (policy === undefined) return [];
  const problems: string[] = [];
  if (policy.loadBalancer !== undefined && !LOAD_BALANCERS.includes(policy.loadBalancer)) {
    problems.push(`trafficPolicy.loadBalancer "${policy.loadBalancer}" is not an Istio load balancer; use ${LOAD_BALANCERS.join(', ')}`);
  }
  const count = policy.connectionPool?.maxRequestsPerConnection;
  // int32 in the DestinationRule schema.
  if (count !== undefined && (!Number.isInteger(count) || count < 0 || count > 2_147_483_647)) {
    problems.push(`trafficPolicy.connectionPool.maxRequestsPerConnection ${count} is not a count; use a whole number from 0 to 2147483647`);
  }
  for (const { field, instead } of MOVED_TO_CIRCUIT_BREAKER) {
    const value = field.split('.').reduce<unknown>((o, key) => (isPlainObject(o) ? o[key] : undefined), policy);
    if (value !== undefined) {
      problems.push(`trafficPolicy.${field} moved to the exposure's circuitBreaker, the same for every strategy: remove it here and declare circuitBreaker: ${instead}`);
    }
  }
  return problems;
}
