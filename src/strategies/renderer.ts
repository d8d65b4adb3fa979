import * as kplus from 'cdk8s-plus-27';
import { Construct } from 'constructs';
import type * as certManager from '../../imports/cert-manager-cert-manager.io';
import type * as gatewayApi from '../../imports/gateway-api-gateway.networking.k8s.io';
import type * as istioNetworking from '../../imports/istio-networking.istio.io';
import type * as istioSecurity from '../../imports/istio-security.istio.io';
import { Capabilities } from '../capabilities';
import { ExposureIntent, MatchIntent } from '../intent/model';

/**
 * The objects a strategy synthesized, as public escape hatches: a user can add what the library
 * does not model (`resources.ingress?.metadata.addAnnotation(...)`). Which fields are set
 * depends on the strategy.
 */
export interface ExposedResources {
  /** nodePort / loadBalancer: the Service. */
  readonly service?: kplus.k8s.KubeService;
  /** ingress: the first Ingress (it holds the hosts' TLS and cert-manager annotations). */
  readonly ingress?: kplus.k8s.KubeIngress;
  /** ingress: every Ingress, the first one included (controllers need one per annotation set, and one per canary). */
  readonly ingresses?: readonly kplus.k8s.KubeIngress[];
  /** istio or gatewayApi: the Gateway (unless bound to an existing one). */
  readonly gateway?: istioNetworking.Gateway | gatewayApi.Gateway;
  /** gatewayApi: the HTTPRoute with the routes. */
  readonly httpRoute?: gatewayApi.HttpRoute;
  /** gatewayApi: the GRPCRoute with the gRPC routes. */
  readonly grpcRoute?: gatewayApi.GrpcRoute;
  /** gatewayApi with TLS: the HTTPRoute on the :80 listeners that redirects to HTTPS. */
  readonly httpsRedirectRoute?: gatewayApi.HttpRoute;
  /** gatewayApi: ReferenceGrants for references into other namespaces. */
  readonly referenceGrants?: readonly gatewayApi.ReferenceGrantV1Beta1[];
  /** istio: the VirtualService. */
  readonly virtualService?: istioNetworking.VirtualService;
  /** istio: DestinationRules for subsets and traffic policy. */
  readonly destinationRules?: readonly istioNetworking.DestinationRule[];
  /** istio with `Auth.jwt`: token validation on the gateway workload. */
  readonly requestAuthentication?: istioSecurity.RequestAuthentication;
  /** istio with `Auth.jwt`: requests without a valid token are denied. */
  readonly authorizationPolicy?: istioSecurity.AuthorizationPolicy;
  /** istio with `Tls.certManager`: the Certificate in the gateway's namespace. */
  readonly certificate?: certManager.Certificate;
  /** apiGateway: the gateway Deployment. */
  readonly gatewayDeployment?: kplus.k8s.KubeDeployment;
  /** apiGateway behind an L7 front (ingress, istio, gatewayApi): the ClusterIP Service it routes to. */
  readonly gatewayService?: kplus.k8s.KubeService;
  /** apiGateway: the ConfigMap with the engine's configuration. */
  readonly gatewayConfig?: kplus.k8s.KubeConfigMap;
  /** apiGateway: keeps a gateway pod up through voluntary disruptions. */
  readonly gatewayDisruptionBudget?: kplus.k8s.KubePodDisruptionBudget;
  /** apiGateway with `autoscaling`. */
  readonly gatewayAutoscaler?: kplus.k8s.KubeHorizontalPodAutoscalerV2;
  /** apiGateway with `isolateBackends`: one per backend. */
  readonly networkPolicies?: readonly kplus.k8s.KubeNetworkPolicy[];
  /** Services the library created for `Backend.fromDeployment` backends. */
  readonly backendServices?: readonly kplus.Service[];
}

/**
 * What each strategy implements (internal). Strategies implement this interface rather than
 * subclass ExposureStrategy: a subclass in its own file, imported by the base's statics, breaks
 * when the base loads first.
 */
export interface StrategyRenderer {
  /** As shown in errors and in the capability table. */
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Problems with the strategy's own options, reported under the field `strategy`. */
  readonly problems: readonly string[];
  /** Renders the intent, and only the intent, into L1 objects under `scope`. */
  render(scope: Construct, intent: ExposureIntent): ExposedResources;
  /**
   * The hosts and matches the exposure claims where they are served alongside other exposures'
   * (an ingress class, a gateway workload, an existing Gateway): two exposures must not claim the
   * same host and match in one scope. `undefined` when the exposure has a listener of its own.
   */
  claims(intent: ExposureIntent): RouteClaims | undefined;
}

/** What an exposure claims in a shared scope (see StrategyRenderer.claims). */
export interface RouteClaims {
  /** The shared listener, as errors name it: `ingress class nginx`. */
  readonly scope: string;
  readonly routes: readonly { readonly field: string; readonly match: MatchIntent }[];
}

/** Every route of the intent, claimed in `scope`. */
export function claimAllRoutes(scope: string, intent: ExposureIntent): RouteClaims {
  return { scope, routes: intent.routes.map((r) => ({ field: r.field, match: r.match })) };
}
