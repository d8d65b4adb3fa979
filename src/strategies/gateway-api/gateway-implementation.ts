import { ENVOY_GATEWAY } from './implementations/envoy-gateway';
import { GatewayApiImplementation } from './implementations/implementation';
import { istioImplementation } from './implementations/istio';
import { object, optional, STRING } from '../../core/runtime-shape';
import { optionProblems, requiredOptionsProblem } from '../shared/option-shapes';

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
    return new GatewayImplementation(istioImplementation(named ? provider : undefined, problems));
  }

  /** @internal */
  public readonly _implementation: GatewayApiImplementation;

  private constructor(implementation: GatewayApiImplementation) {
    this._implementation = implementation;
  }
}
