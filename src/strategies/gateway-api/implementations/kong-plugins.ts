import { dnsName } from '../../../core/naming';
import { ExposureIntent, RouteIntent, routeName } from '../../../intent/model';
import {
  aclPlugin, basicAuthPlugin, corsPlugin, ipRestrictionPlugin, jwtPlugin, keyAuthPlugin, rateLimitingPlugin, requestSizeLimitingPlugin,
} from '../../shared/kong-plugin-config';
import type { ExtensionRef } from '../rule-parts';
import { unexpected } from '../unexpected';
import { credentialOf } from './kong-checks';
import { consumerOf } from './kong-consumers';

/** The API group and kind of KongPlugin, as an ExtensionRef names them. */
export const KONG_PLUGIN_GROUP = 'configuration.konghq.com';
export const KONG_PLUGIN_KIND = 'KongPlugin';

/** A plugin of Kong and its configuration, as Kong's Admin API (and the Kong engine's kong.yml) take it. */
export interface KongPluginSpec {
  readonly plugin: string;
  readonly config: Readonly<Record<string, unknown>>;
}

/** A KongPlugin object: its name and plugin. */
export interface NamedKongPlugin extends KongPluginSpec {
  readonly name: string;
}

/**
 * The KongPlugins of the exposure's HTTP routes, each rule's in the order Kong's engine lists
 * them (Kong runs plugins by their own priority): one KongPlugin of a plugin for the whole
 * HTTPRoute when every rule carries it alike, else one per rule that carries it, named after the
 * rule. gRPC routes carry none (the checks refused them). Deterministic: `extensionRefs` and
 * `render` compute the same names.
 */
export function kongPluginsByRoute(intent: ExposureIntent): ReadonlyMap<RouteIntent, readonly NamedKongPlugin[]> {
  const routes = intent.routes.filter((r) => r.protocol === 'http');
  const specs = routes.map((r) => pluginSpecsOf(intent, r));
  const plugins = [...new Set(specs.flatMap((s) => s.map((p) => p.plugin)))];
  const shared = new Set(plugins.filter((plugin) => {
    const configs = specs.map((s) => s.find((p) => p.plugin === plugin));
    return configs.every((c) => c !== undefined && JSON.stringify(c) === JSON.stringify(configs[0]));
  }));
  return new Map(routes.map((route, i) => [route, specs[i].map((p) => ({
    ...p,
    name: dnsName(shared.has(p.plugin) ? `${intent.name}-${p.plugin}` : `${intent.name}-${routeName(route)}-${p.plugin}`, 253),
  }))]));
}

/** The ExtensionRefs of a route's rule: its KongPlugins. */
export function kongExtensionRefs(intent: ExposureIntent, route: RouteIntent): ExtensionRef[] {
  const plugins = route.protocol === 'http' ? kongPluginsByRoute(intent).get(route) ?? unexpected(`${route.field}: no KongPlugins`) : [];
  return plugins.map((p) => ({ group: KONG_PLUGIN_GROUP, kind: KONG_PLUGIN_KIND, name: p.name }));
}

/**
 * The plugins of a route: ip-restriction, authentication (key-auth, basic-auth or jwt) with an acl
 * that admits the consumer of its Secret only, rate-limiting, cors, request-size-limiting.
 */
function pluginSpecsOf(intent: ExposureIntent, route: RouteIntent): KongPluginSpec[] {
  const plugins = [
    ...route.access === undefined ? [] : [ipRestrictionPlugin(route.access)],
    ...authPlugins(intent, route),
    ...route.rateLimit === undefined ? [] : [rateLimitingPlugin(route.rateLimit)],
    ...route.cors === undefined ? [] : [corsPlugin(route.cors)],
    ...route.maxRequestBodyBytes === undefined ? [] : [requestSizeLimitingPlugin(route.maxRequestBodyBytes)],
  ];
  // A KongPlugin's config is Kong's JSON: fields left undefined are not written.
  return plugins.map(({ name, config }) => ({ plugin: name, config: JSON.parse(JSON.stringify(config)) }));
}

function authPlugins(intent: ExposureIntent, route: RouteIntent) {
  const auth = route.auth;
  const credential = credentialOf(auth);
  if (auth === undefined) return [];
  if (credential === undefined) return unexpected(`auth ${auth.kind} without a credential on Kong`);
  const group = consumerOf(intent, credential.secret).username;
  switch (auth.kind) {
    case 'api-key': return [keyAuthPlugin(auth.header), aclPlugin(group)];
    case 'basic': return [basicAuthPlugin(auth.realm), aclPlugin(group)];
    case 'jwt': return [jwtPlugin(), aclPlugin(group)];
    default: return unexpected(`auth ${auth.kind} on Kong`);
  }
}
