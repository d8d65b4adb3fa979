import { ENVOY_GATEWAY } from './implementations/envoy-gateway';
import { GatewayApiImplementation } from './implementations/implementation';
import { istioImplementation } from './implementations/istio';
import { KONG } from './implementations/kong';
import { nginxGatewayFabric } from './implementations/nginx-gateway-fabric';
import { TRAEFIK } from './implementations/traefik';
import { BOOLEAN, object, optional, STRING } from '../../core/runtime-shape';
import { optionProblems, requiredOptionsProblem } from '../shared/option-shapes';

/** Options for `GatewayImplementation.nginxGatewayFabric`. */
export interface NginxGatewayFabricOptions {
  /**
   * The data plane is NGINX Plus (NGINX Gateway Fabric installed with `nginx.plus: true`): a cookie
   * affinity is rendered on the experimental channel (the rule's `sessionPersistence`, which NGINX
   * Gateway Fabric renders as NGINX Plus's sticky cookie). JWT stays refused: NGINX Gateway
   * Fabric v2.6's JWT filter checks neither the issuer nor the audiences.
   * @default false
   * @example GatewayImplementation.nginxGatewayFabric({ nginxPlus: true })
   */
  readonly nginxPlus?: boolean;
}

/** The runtime shape of `NginxGatewayFabricOptions` (a JavaScript caller may pass anything). */
const NGINX_GATEWAY_FABRIC_OPTIONS = object('the options of GatewayImplementation.nginxGatewayFabric', { nginxPlus: optional(BOOLEAN) });

/** Options for `GatewayImplementation.istio`. */
export interface IstioImplementationOptions {
  /**
   * The mesh's extension provider that asks the auth service of `Auth.external`: the name of an
   * `envoyExtAuthzHttp` entry of meshConfig `extensionProviders` whose service, port, path prefix
   * and headers are those the `Auth.external` declares (the mesh's configuration; see the README).
   * @default - none: `Auth.external` is an error
   * @example GatewayImplementation.istio({ externalAuthProvider: 'oauth2-proxy' })
   */
  readonly externalAuthProvider?: string;
}

/** The runtime shape of `IstioImplementationOptions` (a JavaScript caller may pass anything). */
const ISTIO_IMPLEMENTATION_OPTIONS_SHAPE = object('the options of GatewayImplementation.istio', { externalAuthProvider: optional(STRING) });

/** Where the problems of an implementation's options are reported: under the strategy's option. */
const WHAT = 'implementation';

/**
 * The Gateway API implementation behind the GatewayClass, and so which of its own policy objects
 * carry what standard Gateway API has no field for (rate limits, authentication, client IP lists,
 * body size). Without one, `gatewayApi` renders the standard API only and refuses those.
 */
export class GatewayImplementation {
  /**
   * Envoy Gateway (`gateway.envoyproxy.io/v1alpha1`, CRDs of v1.9): rate limits and the body
   * size as a BackendTrafficPolicy, client IP lists, basic auth and JWT as a SecurityPolicy,
   * each targeting the HTTPRoute or one rule of it.
   */
  public static envoyGateway(): GatewayImplementation {
    return new GatewayImplementation(ENVOY_GATEWAY);
  }

  /**
   * Traefik v3 (`traefik.io/v1alpha1` Middlewares, CRDs of v3.7) with its Gateway API provider:
   * client IP allow lists, basic auth, rate limits, the body size and retries as Middlewares the
   * route rules reference by `ExtensionRef` filters.
   */
  public static traefik(): GatewayImplementation {
    return new GatewayImplementation(TRAEFIK);
  }

  /**
   * NGINX Gateway Fabric (`gateway.nginx.org/v1alpha1`, CRDs of v2.6): rate limits as a
   * RateLimitPolicy, the body size as a ClientSettingsPolicy and the timeout as a
   * ProxySettingsPolicy, each targeting the whole HTTPRoute (or GRPCRoute); basic auth as an
   * AuthenticationFilter on each rule (ExtensionRef); affinity by header or client address as an
   * UpstreamSettingsPolicy on the backend Service.
   */
  public static nginxGatewayFabric(options: NginxGatewayFabricOptions = {}): GatewayImplementation {
    const types = optionProblems(options, NGINX_GATEWAY_FABRIC_OPTIONS, 'implementation options');
    // Reported at synth under `strategy`, as the strategies' own option problems.
    return new GatewayImplementation(nginxGatewayFabric(types.length === 0 && options.nginxPlus === true), types);
  }

  /**
   * The Kong Ingress Controller 3.x with Kong Gateway 3.x OSS (`configuration.konghq.com/v1`):
   * rate limits, client IP lists, the body size, CORS, API keys, basic auth and JWT as KongPlugins
   * that each HTTPRoute rule references by `ExtensionRef` filters, and a KongConsumer per
   * credential Secret. The Secrets are read as KIC reads them: labelled `konghq.com/credential`,
   * one credential each (see the README).
   */
  public static kong(): GatewayImplementation {
    return new GatewayImplementation(KONG);
  }

  /**
   * Istio (`security.istio.io/v1`, Istio 1.22+): JWT as a RequestAuthentication and an
   * AuthorizationPolicy, client IP lists as an AuthorizationPolicy on the client's address,
   * external authentication as a CUSTOM AuthorizationPolicy naming the mesh's extension provider;
   * each targets the Gateway (`targetRefs`) in its namespace, scoped to the exposure's hosts and
   * the routes' paths. Istio has no policy for rate limits, the body size, basic auth or API keys.
   */
  public static istio(options: IstioImplementationOptions = {}): GatewayImplementation {
    const notAnObject = options === undefined ? undefined : requiredOptionsProblem(options, WHAT);
    const problems = notAnObject !== undefined ? [notAnObject] : optionProblems(options, ISTIO_IMPLEMENTATION_OPTIONS_SHAPE, WHAT);
    const provider = problems.length === 0 ? options?.externalAuthProvider : undefined;
    // A name of meshConfig.extensionProviders: no spaces, and not empty (as the istio strategy's option).
    const named = provider === undefined || /^\S+$/.test(provider);
    if (!named) {
      problems.push(`${WHAT}.externalAuthProvider ${JSON.stringify(provider)} is not the name of an extension provider; `
        + 'use the name of its meshConfig.extensionProviders entry');
    }
    return new GatewayImplementation(istioImplementation(named ? provider : undefined), problems);
  }

  /** @internal */
  public readonly _implementation: GatewayApiImplementation;
  /** @internal The problems of the options the implementation was given. */
  public readonly _problems: readonly string[];

  private constructor(implementation: GatewayApiImplementation, problems: readonly string[] = []) {
    this._implementation = implementation;
    this._problems = problems;
  }
}
