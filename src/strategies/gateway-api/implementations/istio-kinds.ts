import type * as istioSecurity from '../../../../imports/istio-security.istio.io';

/** The Istio security L1 classes the implementation constructs (`security.istio.io/v1`: Istio 1.22+, as `targetRefs`). */
export interface IstioSecurityKinds {
  readonly RequestAuthentication: typeof istioSecurity.RequestAuthentication;
  readonly AuthorizationPolicy: typeof istioSecurity.AuthorizationPolicy;
  readonly AuthorizationPolicySpecAction: typeof istioSecurity.AuthorizationPolicySpecAction;
}

/** Loads the Istio security L1 module: only exposures that render an Istio policy pay for it. */
export function loadIstioSecurityKinds(): IstioSecurityKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../imports/istio-security.istio.io');
}
