import { GatewayEngine } from './engine';
import { optionProblems } from '../shared/option-shapes';
import { KongEngine, KongEngineOptions } from './kong/kong-engine';
import { NginxEngine, NginxEngineOptions } from './nginx/nginx-engine';
import { DURATION, object, optional, SIZE, STRING, STRINGS } from '../../core/runtime-shape';

const COMMON_ENGINE_OPTIONS = {
  image: optional(STRING),
  maxBodySize: optional(SIZE),
  cacheTtl: optional(DURATION),
  clusterDomain: optional(STRING),
  trustedProxies: optional(STRINGS),
};
const NGINX_OPTIONS = object('the options of ApiGatewayEngine.nginx', { ...COMMON_ENGINE_OPTIONS, cacheSize: optional(SIZE), metricsImage: optional(STRING) });
const KONG_OPTIONS = object('the options of ApiGatewayEngine.kong', COMMON_ENGINE_OPTIONS);

/** The engine, with the problems of the options it was given (it was built without them). */
function withProblems(engine: GatewayEngine, problems: readonly string[]): GatewayEngine {
  if (problems.length === 0) return engine;
  return {
    name: engine.name,
    capabilities: engine.capabilities,
    ports: engine.ports,
    trustedProxies: engine.trustedProxies,
    defaultMaxBodyBytes: engine.defaultMaxBodyBytes,
    metricNames: engine.metricNames,
    problems: [...problems, ...engine.problems],
    check: (intent) => engine.check(intent),
    configure: (ctx) => engine.configure(ctx),
  };
}

/** The proxy an API gateway runs. Switching engines is one prop: the declaration stays. */
export class ApiGatewayEngine {
  /** NGINX (OSS), configured by a generated nginx.conf. */
  public static nginx(options: NginxEngineOptions = {}): ApiGatewayEngine {
    const types = optionProblems(options, NGINX_OPTIONS, 'engine options');
    return new ApiGatewayEngine(withProblems(new NginxEngine(types.length > 0 ? {} : options), types));
  }

  /**
   * Kong Gateway in DB-less mode, configured by a generated declarative configuration: adds JWT
   * (with a public key) and consumer ACLs. Same declaration, same Secrets as the NGINX engine.
   */
  public static kong(options: KongEngineOptions = {}): ApiGatewayEngine {
    const types = optionProblems(options, KONG_OPTIONS, 'engine options');
    return new ApiGatewayEngine(withProblems(new KongEngine(types.length > 0 ? {} : options), types));
  }

  /** @internal */
  public readonly _engine: GatewayEngine;

  private constructor(engine: GatewayEngine) {
    this._engine = engine;
  }
}
