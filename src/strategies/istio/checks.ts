import { accessProblems } from './access-checks';
import { IstioGatewayConfig } from './istio-gateway';
import { percentages } from './istio-values';
import { jwtProblems } from './jwt-checks';
import { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';

/** What the Istio checks know of the strategy's options. */
export interface IstioCheckContext {
  readonly gateway: IstioGatewayConfig;
  readonly bindToMesh: boolean;
}

/**
 * Every problem Istio cannot express in `intent` beyond its capability row: the hosts, the TLS,
 * the weights, the streams, then the routes' JWT and access lists.
 */
export function istioProblems(intent: ExposureIntent, ctx: IstioCheckContext): Problem[] {
  return [
    ...meshBindingWithoutHosts(intent, ctx.bindToMesh),
    ...tlsOnExistingGateway(intent, ctx.gateway),
    ...httpsRedirectCode(intent, ctx.gateway),
    ...intent.routes.flatMap(weightsLostToRounding),
    ...streamsInTheMesh(intent, ctx.bindToMesh),
    ...jwtProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
    ...accessProblems(intent, { bindToMesh: ctx.bindToMesh, workloadKnown: ctx.gateway.selector !== undefined }),
  ];
}

/**
 * Istio weights are whole percentages summing to 100: a backend declared with a weight above 0
 * whose share rounds to 0% would get no traffic. Refused, never rendered with another meaning.
 */
function weightsLostToRounding(route: RouteIntent): Problem[] {
  if (route.action.kind !== 'forward' || route.action.backends.length < 2) return [];
  const backends = route.action.backends;
  const shares = percentages(backends.map((b) => b.weight));
  const total = backends.reduce((sum, b) => sum + b.weight, 0);
  return backends.flatMap((b, i) => (b.weight > 0 && shares[i] === 0 ? [{
    field: `${route.field}.backends[${i}].weight`,
    message: `weight ${b.weight} of ${total} is less than the 1% Istio can route (its weights are whole percentages); give it at least 1% of the total, or 0 to send it nothing`,
  }] : []));
}

/**
 * A state the checks exclude, reached in rendering: a bug of the library, never a mistake of the
 * declaration (those are problems, reported before anything renders).
 */
export function checkLetThrough(what: string): Error {
  return new Error(`istio: the check let through ${what}`);
}

function meshBindingWithoutHosts(intent: ExposureIntent, bindToMesh: boolean): Problem[] {
  return !bindToMesh || intent.hosts.length > 0 ? [] : [{
    field: 'hosts',
    message: 'a VirtualService bound to the mesh needs hosts: in the mesh, "*" would capture every service; set hosts',
  }];
}

function tlsOnExistingGateway(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  return gateway.kind !== 'existing' || intent.tls === undefined ? [] : [{
    field: 'tls',
    message: 'an existing Gateway serves its own certificates on its own servers; remove tls, or use IstioGateway.create()',
  }];
}

/** A created Gateway's HTTP server redirects with `tls.httpsRedirect`, which answers 301 and nothing else. */
function httpsRedirectCode(intent: ExposureIntent, gateway: IstioGatewayConfig): Problem[] {
  const code = intent.tls?.redirectCode;
  if (code === undefined || gateway.kind !== 'create') return [];
  if (!gateway.httpsRedirect) {
    return [{ field: 'httpsRedirectCode', message: 'the Gateway is created with httpsRedirect: false, so plain HTTP is not redirected; remove httpsRedirectCode or the option' }];
  }
  return code === 301 ? [] : [{
    field: 'httpsRedirectCode',
    message: `Istio's Gateway redirects plain HTTP to HTTPS with 301 only (tls.httpsRedirect); use 301, or gatewayApi or apiGateway for ${code}`,
  }];
}

/**
 * The `tls` and `tcp` routes of a VirtualService bound to the mesh too would take the
 * connections of every workload in the mesh to those ports: streams are the Gateway's only.
 */
function streamsInTheMesh(intent: ExposureIntent, bindToMesh: boolean): Problem[] {
  return !bindToMesh ? [] : intent.streams.map((s) => ({
    field: s.field,
    message: 'a VirtualService bound to the mesh would route every mesh workload\'s connections to this port; remove bindToMesh, or declare the stream in an exposure of its own',
  }));
}
