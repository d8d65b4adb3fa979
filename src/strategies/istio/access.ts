import { Construct } from 'constructs';
import { checkLetThrough } from './check-let-through';
import { IstioApiVersion, securityKinds } from './istio-kinds';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent } from '../../intent/model';
import { accessRoutes } from '../shared/access-routes';
import { accessDenyRules } from '../shared/istio-authorization-rules';
import { policyPaths } from '../shared/jwt-routes';

/** Where the client IP policy goes: the gateway workload's namespace and labels. */
export interface AccessRenderContext {
  readonly namespace?: string;
  /** Labels of the gateway workload; undefined for an existing Gateway declared without them. */
  readonly selector?: Readonly<Record<string, string>>;
  readonly apiVersion: IstioApiVersion;
}

/**
 * Client IP lists on Istio: an AuthorizationPolicy on the gateway workload that DENYs, on the
 * exposure's hosts (or the requests the VirtualService gives a route), the clients whose
 * address is outside the allow list or inside the deny list. DENY, not ALLOW: an ALLOW policy
 * on the shared gateway would refuse every other exposure's requests. The address is the
 * original client's (`remoteIpBlocks`: from X-Forwarded-For with the gateway's
 * `numTrustedProxies`, or the PROXY protocol; otherwise the connection's), not the peer's
 * (`ipBlocks`: a load balancer or, with `externalTrafficPolicy: Cluster`, a node).
 */
export function renderAccess(scope: Construct, intent: ExposureIntent, ctx: AccessRenderContext): istioSecurity.AuthorizationPolicy | undefined {
  const routes = accessRoutes(intent);
  if (routes.length === 0) return undefined;
  if (ctx.selector === undefined) throw checkLetThrough('client IP lists on a gateway workload of unknown labels');
  const security = securityKinds(ctx.apiVersion);
  return new security.AuthorizationPolicy(scope, 'IpAccessPolicy', {
    metadata: { name: resourceName(scope, 'ip-access'), namespace: ctx.namespace },
    spec: {
      selector: { matchLabels: { ...ctx.selector } },
      action: security.AuthorizationPolicySpecAction.DENY,
      rules: accessDenyRules(intent, routes, policyPaths),
    },
  });
}
