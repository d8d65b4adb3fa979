import { GatewayEngine } from './strategies/api-gateway/engine';
import { NginxEngine, NginxEngineOptions } from './strategies/api-gateway/nginx/nginx-engine';

/** The proxy an API gateway runs. Switching engines is one prop: the declaration stays. */
export class ApiGatewayEngine {
  /** NGINX (OSS), configured by a generated nginx.conf. */
  public static nginx(options: NginxEngineOptions = {}): ApiGatewayEngine {
    return new ApiGatewayEngine(new NginxEngine(options));
  }

  private constructor(/** @internal */ public readonly _engine: GatewayEngine) {}
}
