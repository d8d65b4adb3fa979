import { Construct } from 'constructs';
import { checkLetThrough } from './check-let-through';
import { IstioApiVersion, securityKinds } from './istio-kinds';
import type * as istioSecurity from '../../../imports/istio-security.istio.io';
import { resourceName } from '../../core/naming';
import { ExposureIntent } from '../../intent/model';
import { externalAuthRoutes } from '../shared/external-auth-routes';
import { externalAuthRules } from '../shared/istio-authorization-rules';
import { policyPaths } from '../shared/jwt-routes';

/** Where the external auth policy goes: the gateway workload's namespace and labels, and the mesh's provider. */
export interface ExternalAuthRenderContext {
  readonly namespace?: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly apiVersion: IstioApiVersion;
  readonly provider?: string;
}

/**
 * `Auth.external` on Istio: a CUSTOM AuthorizationPolicy on the gateway workload that sends the
 * exposure's requests (on its hosts, or the requests the VirtualService gives each route that
 * declares it) to the mesh's extension provider, an `envoyExtAuthzHttp` entry of meshConfig
 * whose service, port, path prefix and headers are the declared ones (see the README): the
 * provider's configuration is the mesh's, not in this policy.
 */
export function renderExternalAuth(scope: Construct, intent: ExposureIntent,
  ctx: ExternalAuthRenderContext): istioSecurity.AuthorizationPolicy | undefined {
  const routes = externalAuthRoutes(intent);
  if (routes.length === 0) return undefined;
  if (ctx.selector === undefined || ctx.provider === undefined) {
    throw checkLetThrough('external authentication without a provider or on a gateway workload of unknown labels');
  }
  const security = securityKinds(ctx.apiVersion);
  const rules = externalAuthRules(intent, routes, policyPaths);
  return new security.AuthorizationPolicy(scope, 'ExternalAuthPolicy', {
    metadata: { name: resourceName(scope, 'ext-auth'), namespace: ctx.namespace },
    spec: {
      selector: { matchLabels: { ...ctx.selector } },
      action: security.AuthorizationPolicySpecAction.CUSTOM,
      provider: { name: ctx.provider },
      rules,
    },
  });
}
