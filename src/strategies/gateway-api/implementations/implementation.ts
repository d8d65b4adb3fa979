import type { ApiObject } from 'cdk8s';
import type { Construct, IConstruct } from 'constructs';
import type { Problem } from '../../../core/errors';
import type { StrategyCapabilities } from '../../../intent/capabilities';
import type { ExposureIntent, RouteIntent } from '../../../intent/model';
import type { ExtensionRef } from '../rule-parts';

/**
 * A route object the implementation's policies attach to (GEP-713 policy attachment): its kind,
 * its name, and its routes in rule order (each rule named by `routeName`).
 */
export interface PolicyTargetRoute {
  readonly kind: 'HTTPRoute' | 'GRPCRoute';
  readonly name: string;
  readonly routes: readonly RouteIntent[];
}

/**
 * The Gateway the routes attach to, which an implementation's policies may target (Istio's
 * security policies, which attach to a Gateway only, in its own namespace).
 */
export interface PolicyTargetGateway {
  readonly name: string;
  /** Its namespace; undefined for the Gateway the exposure creates (in the routes' namespace). */
  readonly namespace?: string;
  /** An existing Gateway, which other exposures share. */
  readonly existing: boolean;
  /** A GatewayApiGateway, which other exposures of the app share (their hosts, paths and streams). */
  readonly sharedInApp?: boolean;
}

/**
 * What a Gateway API implementation adds to the standard API (internal): the policy objects of
 * its own API group for what the declaration holds beyond the standard HTTPRoute.
 *
 * An implementation is one file of `implementations/` (`<implementation>.ts`) holding this object,
 * with its capability rows in `<implementation>-capabilities.ts` (plain data that `.projenrc.ts`
 * loads: no cdk8s or constructs import but `import type`); registering it takes its rows in
 * `src/capability-matrix.ts` and a `GatewayImplementation` factory that selects it.
 */
export interface GatewayApiImplementation {
  /** The implementation's name in the strategy's name: `gatewayApi (envoyGateway)`. */
  readonly name: string;
  /** True when the implementation's policies carry retries on the standard channel (the experimental one has the rule's `retry`). */
  readonly retriesByPolicy: boolean;
  /** True when the policies carry retries on the experimental channel too (the implementation ignores the rule's `retry`). */
  readonly retriesByPolicyOnExperimental?: boolean;
  /** True when the implementation's own objects carry CORS instead of HTTPRoute's CORS filter, which it does not implement. */
  readonly corsByImplementation?: boolean;
  /** True when the implementation's policy carries external authentication on both channels (no rule's ExternalAuth filter). */
  readonly externalAuthByPolicy?: boolean;
  /** The capability row of the implementation on the standard channel, or on the experimental one. */
  row(experimental: boolean): StrategyCapabilities;
  /** What the implementation cannot express of an intent its row admits, every problem once. */
  check(intent: ExposureIntent, experimental: boolean, gateway: PolicyTargetGateway): Problem[];
  /**
   * The filter objects of the implementation's own kind that a route's rule references by
   * `ExtensionRef` filters (Traefik's Middlewares, Kong's KongPlugins), first among the rule's
   * filters; `render` creates them under the same names. None when the implementation attaches
   * policies only (Envoy Gateway).
   */
  extensionRefs?(intent: ExposureIntent, route: RouteIntent, experimental: boolean): readonly ExtensionRef[];
  /**
   * What the exposure's objects share with the other exposures of the app that use the
   * implementation (a KongConsumer of one credential Secret, the UpstreamSettingsPolicy of one
   * Service): the conflicts with what they registered, or none, and then it is registered. Runs
   * after `check`, before `render`.
   */
  share?(scope: IConstruct, intent: ExposureIntent): Problem[];
  /** The implementation's policy objects for the routes (and the Gateway), which the standard renderer created or attached to. */
  render(scope: Construct, intent: ExposureIntent, targets: readonly PolicyTargetRoute[], experimental: boolean,
    gateway: PolicyTargetGateway): GatewayImplementationResources;
}

/**
 * What an implementation synthesizes beside the standard objects (escape hatches). Typed as
 * `ApiObject` (patch them with `addJsonPatch`): the implementations' L1 typings are large, and an
 * app that never uses them should not type-check them.
 */
export interface GatewayImplementationResources {
  /** Envoy Gateway's BackendTrafficPolicies (rate limits, body size, retries on the standard channel). */
  readonly backendTrafficPolicies?: readonly ApiObject[];
  /** Envoy Gateway's SecurityPolicies (client IP lists, API keys, basic auth, JWT). */
  readonly securityPolicies?: readonly ApiObject[];
  /** Traefik's Middlewares (client IP allow lists, basic auth, rate limits, body size, retries), referenced by the rules' ExtensionRef filters. */
  readonly middlewares?: readonly ApiObject[];
  /** NGINX Gateway Fabric's RateLimitPolicies (a rate limit per route object). */
  readonly rateLimitPolicies?: readonly ApiObject[];
  /** NGINX Gateway Fabric's ClientSettingsPolicies (the body size per route object). */
  readonly clientSettingsPolicies?: readonly ApiObject[];
  /** NGINX Gateway Fabric's ProxySettingsPolicies (the timeout per route object: its HTTPRoute rules' timeouts are ignored). */
  readonly proxySettingsPolicies?: readonly ApiObject[];
  /** NGINX Gateway Fabric's AuthenticationFilters (basic auth of a rule, referenced by ExtensionRef). */
  readonly authenticationFilters?: readonly ApiObject[];
  /** NGINX Gateway Fabric's UpstreamSettingsPolicies (affinity by a hash, on a backend Service). */
  readonly upstreamSettingsPolicies?: readonly ApiObject[];
  /** Kong's KongPlugins, which the HTTPRoute's rules reference by ExtensionRef filters (IP lists, authentication, rate limits, CORS, body size). */
  readonly kongPlugins?: readonly ApiObject[];
  /** Kong's KongConsumers, one per credential Secret (`Auth.apiKey`, `Auth.basic`, `Auth.jwt`). */
  readonly kongConsumers?: readonly ApiObject[];
  /** The `acl` credential Secrets (`konghq.com/credential: acl`) that put each KongConsumer in the group its routes admit. */
  readonly kongAclSecrets?: readonly ApiObject[];
  /** Istio's RequestAuthentication (JWT), targeting the Gateway. */
  readonly requestAuthentications?: readonly ApiObject[];
  /** Istio's AuthorizationPolicies (JWT required, client IP lists, external authentication), targeting the Gateway. */
  readonly authorizationPolicies?: readonly ApiObject[];
}
