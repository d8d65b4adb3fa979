import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { BackendIntent, HeaderEditsIntent, MatchIntent, MirrorIntent, RouteIntent } from '../../intent/model';
import { escapeRegex } from '../shared/regex';

/*
 * The parts HTTPRoute and GRPCRoute rules share. Their L1 types have the same fields and differ
 * in the enums of a filter's `type` and a header match's `type`: the parts that carry one take
 * the route kind's values of that enum.
 */

/** A reference to a backend Service: its namespace is set only across namespaces. */
export type BackendRef = Pick<gatewayApi.HttpRouteSpecRulesBackendRefs, 'name' | 'namespace' | 'port'>;

/** A rule's reference to one of its backends (the same fields in HTTPRoute and GRPCRoute). */
export type WeightedBackendRef = Pick<gatewayApi.HttpRouteSpecRulesBackendRefs, 'name' | 'namespace' | 'port' | 'weight'>;

/** The backend reference of a backend intent, from the routes' namespace. */
export type BackendRefOf = (backend: BackendIntent) => BackendRef;

/** The header modifier of a filter: the same shape in request and response filters of both route kinds. */
export type HeaderModifier = gatewayApi.HttpRouteSpecRulesFiltersRequestHeaderModifier;

/** A filter that modifies headers or mirrors, of the route kind whose filter type enum is `T`. */
export interface HeaderOrMirrorFilter<T> {
  readonly type: T;
  readonly requestHeaderModifier?: HeaderModifier;
  readonly responseHeaderModifier?: HeaderModifier;
  readonly requestMirror?: gatewayApi.HttpRouteSpecRulesFiltersRequestMirror;
}

/** The route kind's values of its filter type enum for the filters both kinds share. */
export interface HeaderOrMirrorFilterTypes<T> {
  readonly requestHeaderModifier: T;
  readonly responseHeaderModifier: T;
  readonly requestMirror: T;
}

/** A header match of the route kind whose header match type enum is `T`. */
export interface RuleHeaderMatch<T> {
  readonly name: string;
  readonly type: T;
  readonly value: string;
}

/** The route kind's values of its header match type enum. */
export interface HeaderMatchTypes<T> {
  readonly exact: T;
  readonly regex: T;
}

/** The backendRefs of a forwarding route; weights are relative in Gateway API too, so a single backend needs none. */
export function weightedBackendRefs(route: RouteIntent, backendRef: BackendRefOf): WeightedBackendRef[] {
  const backends = route.action.kind === 'forward' ? route.action.backends : [];
  return backends.map((b) => ({ ...backendRef(b.backend), weight: backends.length > 1 ? b.weight : undefined }));
}

/** Header matches; Gateway API has no prefix match, so a prefix is the regex "<escaped prefix>.*". */
export function headerMatches<T>(match: MatchIntent, types: HeaderMatchTypes<T>): RuleHeaderMatch<T>[] | undefined {
  const headers = match.headers;
  return headers.length === 0 ? undefined : headers.map((h) => ({
    name: h.name,
    type: h.kind === 'exact' ? types.exact : types.regex,
    value: h.kind === 'prefix' ? `${escapeRegex(h.value)}.*` : h.value,
  }));
}

/**
 * A filter object of an implementation's own API group that a rule references by an `ExtensionRef`
 * filter (a Traefik Middleware, a KongPlugin); the implementation creates the object.
 */
export interface ExtensionRef {
  readonly group: string;
  readonly kind: string;
  readonly name: string;
}

/** The ExtensionRef filters of a route's rule: none without an implementation that renders them. */
export type ExtensionRefsOf = (route: RouteIntent) => readonly ExtensionRef[];

/** What an implementation carries instead of the HTTPRoute rules' own filters. */
export interface ByImplementation {
  /** CORS, as the implementation's filter objects (Kong: the rule's CORS filter is not implemented). */
  readonly corsByImplementation?: boolean;
  /** External authentication, as the implementation's policy (Istio's CUSTOM AuthorizationPolicy) on both channels. */
  readonly externalAuthByPolicy?: boolean;
}

/** The rule's ExtensionRef filters, with the route kind's value of the filter type. */
export function extensionRefFilters<T>(route: RouteIntent, refsOf: ExtensionRefsOf, type: T): { type: T; extensionRef: ExtensionRef }[] {
  return refsOf(route).map((ref) => ({ type, extensionRef: { group: ref.group, kind: ref.kind, name: ref.name } }));
}

/** The header modifier and mirror filters, in this order. */
export function headerAndMirrorFilters<T>(
  route: RouteIntent, backendRef: BackendRefOf, types: HeaderOrMirrorFilterTypes<T>): HeaderOrMirrorFilter<T>[] {
  const filters: HeaderOrMirrorFilter<T>[] = [];
  if (route.requestHeaders) filters.push({ type: types.requestHeaderModifier, requestHeaderModifier: headerModifier(route.requestHeaders) });
  if (route.responseHeaders) filters.push({ type: types.responseHeaderModifier, responseHeaderModifier: headerModifier(route.responseHeaders) });
  if (route.mirror) filters.push({ type: types.requestMirror, requestMirror: requestMirror(route.mirror, backendRef) });
  return filters;
}

function headerModifier(e: HeaderEditsIntent): HeaderModifier {
  return {
    set: e.set.length === 0 ? undefined : e.set.map((h) => ({ name: h.name, value: h.value })),
    add: e.add.length === 0 ? undefined : e.add.map((h) => ({ name: h.name, value: h.value })),
    remove: e.remove.length === 0 ? undefined : [...e.remove],
  };
}

/** Every request (no percent), or a whole percentage of them (the check refuses fractions). */
function requestMirror(mirror: MirrorIntent, backendRef: BackendRefOf): gatewayApi.HttpRouteSpecRulesFiltersRequestMirror {
  const p = mirror.percentage;
  if (!Number.isInteger(p)) unexpected(`mirror percentage ${p}`);
  return { backendRef: backendRef(mirror.backend), percent: p === 100 ? undefined : p };
}
