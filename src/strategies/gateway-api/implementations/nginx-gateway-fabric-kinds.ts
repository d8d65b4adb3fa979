import type * as ngf from '../../../../imports/nginx-gateway-fabric-gateway.nginx.org';

/** The NGINX Gateway Fabric L1 classes the implementation constructs. */
export interface NginxGatewayFabricKinds {
  readonly RateLimitPolicy: typeof ngf.RateLimitPolicy;
  readonly ClientSettingsPolicy: typeof ngf.ClientSettingsPolicy;
  readonly ProxySettingsPolicy: typeof ngf.ProxySettingsPolicy;
  readonly UpstreamSettingsPolicy: typeof ngf.UpstreamSettingsPolicy;
  readonly AuthenticationFilter: typeof ngf.AuthenticationFilter;
}

/**
 * Loads the NGINX Gateway Fabric L1 module (`gateway.nginx.org`, generated from the kinds
 * rendered only): only exposures that render one of its objects pay for it.
 */
export function loadNginxGatewayFabricKinds(): NginxGatewayFabricKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../imports/nginx-gateway-fabric-gateway.nginx.org');
}
