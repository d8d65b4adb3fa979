import type { Construct } from 'constructs';
import { GatewayImplementationResources, PolicyTargetGateway } from './implementation';
import { IstioSecurityKinds } from './istio-kinds';
import type * as istioSecurity from '../../../../imports/istio-security.istio.io';
import { resourceName } from '../../../core/naming';
import { ExposureIntent } from '../../../intent/model';
import { accessRoutes } from '../../shared/access-routes';
import { externalAuthRoutes } from '../../shared/external-auth-routes';
import { accessDenyRules, externalAuthRules, jwtDenyRules, requestAuthenticationRules } from '../../shared/istio-authorization-rules';
import { elementWisePolicyPaths, jwtRoutes } from '../../shared/jwt-routes';
import { GROUP } from '../gateway';
import { unexpected } from '../unexpected';

/**
 * Istio's security policies for the exposure, each targeting the Gateway (`targetRefs`, Istio
 * 1.22+) and written in its namespace, the only one Istio attaches them from: a RequestAuthentication
 * and a DENY AuthorizationPolicy for JWT, a DENY AuthorizationPolicy for client IP lists, a
 * CUSTOM one for external authentication. Each is scoped to the exposure's hosts, or to the
 * requests the HTTPRoute gives a route (its paths element-wise, as `PathPrefix` matches them).
 */
export function renderIstioPolicies(scope: Construct, kinds: IstioSecurityKinds, intent: ExposureIntent, gateway: PolicyTargetGateway,
  provider: string | undefined): GatewayImplementationResources {
  const targetRefs = [{ group: GROUP, kind: 'Gateway', name: gateway.name }];
  const metadata = (suffix: string) => ({ name: resourceName(scope, suffix), namespace: gateway.namespace });
  const authorization = (id: string, suffix: string, spec: Omit<istioSecurity.AuthorizationPolicySpec, 'targetRefs'>) =>
    new kinds.AuthorizationPolicy(scope, id, { metadata: metadata(suffix), spec: { targetRefs, ...spec } });
  const Action = kinds.AuthorizationPolicySpecAction;

  const jwt = jwtRoutes(intent);
  const requestAuthentications = jwt.length === 0 ? [] : [new kinds.RequestAuthentication(scope, 'RequestAuthentication', {
    metadata: metadata('jwt'),
    spec: { targetRefs, jwtRules: requestAuthenticationRules(jwt) },
  })];
  const access = accessRoutes(intent);
  const external = externalAuthRoutes(intent);
  const providerName = external.length === 0 ? undefined : provider ?? unexpected('external authentication without an extension provider');
  const authorizationPolicies = [
    ...jwt.length === 0 ? [] : [authorization('AuthorizationPolicy', 'require-jwt', {
      action: Action.DENY, rules: jwtDenyRules(intent, jwt, elementWisePolicyPaths),
    })],
    ...access.length === 0 ? [] : [authorization('IpAccessPolicy', 'ip-access', {
      action: Action.DENY, rules: accessDenyRules(intent, access, elementWisePolicyPaths),
    })],
    ...external.length === 0 ? [] : [authorization('ExternalAuthPolicy', 'ext-auth', {
      action: Action.CUSTOM, provider: { name: providerName }, rules: externalAuthRules(intent, external, elementWisePolicyPaths),
    })],
  ];
  return {
    requestAuthentications: requestAuthentications.length === 0 ? undefined : requestAuthentications,
    authorizationPolicies: authorizationPolicies.length === 0 ? undefined : authorizationPolicies,
  };
}
