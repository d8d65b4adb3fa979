import { GatewayEngine } from './engine';
import { KongEngine, KongEngineOptions } from './kong/kong-engine';
import { NginxEngine, NginxEngineOptions } from './nginx/nginx-engine';

/** The proxy an API gateway runs. Switching engines is one prop: the declaration stays. */
export class ApiGatewayEngine {
  /** NGINX (OSS), configured by a generated nginx.conf. */
  public static nginx(options: NginxEngineOptions = {}): ApiGatewayEngine {
    return new ApiGatewayEngine(new NginxEngine(options));
  }

  /**
   * Kong Gateway in DB-less mode, configured by a generated declarative configuration: adds JWT
   * (with a public key) and consumer ACLs. Same declaration, same Secrets as the NGINX engine.
   */
  public static kong(options: KongEngineOptions = {}): ApiGatewayEngine {
    return new ApiGatewayEngine(new KongEngine(options));
  }

  /** @internal */
  public readonly _engine: GatewayEngine;

  private constructor(engine: GatewayEngine) {
    this._engine = engine;
  }
}
