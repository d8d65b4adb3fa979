import { Construct } from 'constructs';
import { checkLetThrough } from './check-let-through';
import { IstioApiVersion, securityKinds } from './istio-kinds';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent } from '../../intent/model';
import { jwtDenyRules, requestAuthenticationRules } from '../shared/istio-authorization-rules';
import { jwtRoutes, policyPaths } from '../shared/jwt-routes';

export interface JwtRenderContext {
  /** Namespace of the gateway workload's policies. */
  readonly namespace?: string;
  /** Labels of the gateway workload; undefined for an existing Gateway declared without them. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly apiVersion: IstioApiVersion;
}

/** What JWT rendering adds to the exposure's resources. */
export interface JwtResources {
  readonly requestAuthentication?: istioSecurity.RequestAuthentication;
  readonly authorizationPolicy?: istioSecurity.AuthorizationPolicy;
}

/**
 * `Auth.jwt` on Istio: a RequestAuthentication on the gateway workload validates tokens of the
 * issuer, and an AuthorizationPolicy (DENY without a request principal) requires one on the
 * exposure's hosts and the routes that declare JWT. Both live in the gateway's namespace.
 */
export function renderJwt(scope: Construct, intent: ExposureIntent, ctx: JwtRenderContext): JwtResources {
  const routes = jwtRoutes(intent);
  if (routes.length === 0) return {};
  if (ctx.selector === undefined) throw checkLetThrough('JWT on a gateway workload of unknown labels');
  const security = securityKinds(ctx.apiVersion);
  const selector = { matchLabels: { ...ctx.selector } };
  const requestAuthentication = new security.RequestAuthentication(scope, 'RequestAuthentication', {
    metadata: { name: intent.name, namespace: ctx.namespace },
    spec: { selector, jwtRules: requestAuthenticationRules(routes) },
  });
  const authorizationPolicy = new security.AuthorizationPolicy(scope, 'AuthorizationPolicy', {
    metadata: { name: resourceName(scope, 'require-jwt'), namespace: ctx.namespace },
    spec: { selector, action: security.AuthorizationPolicySpecAction.DENY, rules: jwtDenyRules(intent, routes, policyPaths) },
  });
  return { requestAuthentication, authorizationPolicy };
}
