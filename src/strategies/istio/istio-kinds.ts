import { Construct } from 'constructs';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';

/** The Istio API version an exposure's objects are written in (`apiVersion` of the options). */
export type IstioApiVersion = 'v1' | 'v1beta1';

/** A generated L1 class, as the renderer constructs it: typed by its `v1` props and object. */
export type IstioKind<Props, Kind> = new (scope: Construct, id: string, props: Props) => Kind;

/** The `networking.istio.io` classes of one API version. */
export type IstioNetworkingKinds = {
  readonly Gateway: IstioKind<istioNetworking.GatewayProps, istioNetworking.Gateway>;
  readonly VirtualService: IstioKind<istioNetworking.VirtualServiceProps, istioNetworking.VirtualService>;
  readonly DestinationRule: IstioKind<istioNetworking.DestinationRuleProps, istioNetworking.DestinationRule>;
};

/** The `security.istio.io` classes of one API version, and the policy actions (the same strings in both). */
export type IstioSecurityKinds = {
  readonly RequestAuthentication: IstioKind<istioSecurity.RequestAuthenticationProps, istioSecurity.RequestAuthentication>;
  readonly AuthorizationPolicy: IstioKind<istioSecurity.AuthorizationPolicyProps, istioSecurity.AuthorizationPolicy>;
  readonly AuthorizationPolicySpecAction: typeof istioSecurity.AuthorizationPolicySpecAction;
};

/**
 * The `networking.istio.io` classes that write `version`. Loads the Istio networking L1 module:
 * only apps that render this strategy pay for it.
 */
export function networkingKinds(version: IstioApiVersion): IstioNetworkingKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const istio: typeof istioNetworking = require('../../../imports/istio-networking.istio.io');
  if (version === 'v1') return { Gateway: istio.Gateway, VirtualService: istio.VirtualService, DestinationRule: istio.DestinationRule };
  return {
    Gateway: asV1<istioNetworking.GatewayProps, istioNetworking.Gateway>(istio.GatewayV1Beta1),
    VirtualService: asV1<istioNetworking.VirtualServiceProps, istioNetworking.VirtualService>(istio.VirtualServiceV1Beta1),
    DestinationRule: asV1<istioNetworking.DestinationRuleProps, istioNetworking.DestinationRule>(istio.DestinationRuleV1Beta1),
  };
}

/** The `security.istio.io` classes that write `version`. Loads the Istio security L1 module (JWT only). */
export function securityKinds(version: IstioApiVersion): IstioSecurityKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const security: typeof istioSecurity = require('../../../imports/istio-security.istio.io');
  const AuthorizationPolicySpecAction = security.AuthorizationPolicySpecAction;
  if (version === 'v1') return { RequestAuthentication: security.RequestAuthentication, AuthorizationPolicy: security.AuthorizationPolicy, AuthorizationPolicySpecAction };
  return {
    RequestAuthentication: asV1<istioSecurity.RequestAuthenticationProps, istioSecurity.RequestAuthentication>(security.RequestAuthenticationV1Beta1),
    AuthorizationPolicy: asV1<istioSecurity.AuthorizationPolicyProps, istioSecurity.AuthorizationPolicy>(security.AuthorizationPolicyV1Beta1),
    AuthorizationPolicySpecAction,
  };
}

/**
 * A `v1beta1` class typed as its `v1` twin: the one place the two versions meet. Istio serves
 * both with one schema, and the generated classes differ only in `apiVersion`: the v1beta1
 * props are the same fields under other type names (their enums are distinct types of the same
 * strings), and its `toJson` copies the same fields. The object is the v1beta1 class at runtime,
 * so it writes `v1beta1`; the escape hatches of `IstioResources` keep their v1 types.
 */
function asV1<Props, Kind>(v1beta1: new (scope: Construct, id: string, props?: never) => unknown): IstioKind<Props, Kind> {
  return v1beta1 as unknown as IstioKind<Props, Kind>;
}
