import { Construct } from 'constructs';
import type * as experimental from '../../../imports/gateway-api-experimental-gateway.networking.k8s.io';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';

/*
 * The Gateway API module of the exposure's channel. Rendering is typed by the standard channel's
 * L1 (its interfaces and enums); the experimental channel adds what the strategy writes of it, an
 * HTTPRoute rule's `retry`, `sessionPersistence` and its `ExternalAuth` filter. Each module's classes serialize only the fields their schema knows, so
 * the classes constructed are those of the exposure's channel: with `experimental: true` the
 * experimental module's, whose HTTPRoute keeps `retry` (the standard one would drop it).
 */

/**
 * An HTTPRoute rule that may carry the experimental channel's `retry` and `ExternalAuth` filter:
 * written only when the exposure uses that channel (its capability row and checks refuse them on
 * the standard one).
 */
export type HttpRouteRuleWithRetry = Omit<gatewayApi.HttpRouteSpecRules, 'filters'> & {
  readonly retry?: experimental.HttpRouteSpecRulesRetry;
  readonly sessionPersistence?: experimental.HttpRouteSpecRulesSessionPersistence;
  readonly filters?: HttpRouteFilter[];
};

/** A filter of an HTTPRoute rule: the standard channel's, or the experimental `ExternalAuth`. */
export type HttpRouteFilter = gatewayApi.HttpRouteSpecRulesFilters | experimental.HttpRouteSpecRulesFilters;

/** HTTPRoute props whose rules may carry `retry`. */
export interface HttpRoutePropsWithRetry extends Omit<gatewayApi.HttpRouteProps, 'spec'> {
  readonly spec: Omit<gatewayApi.HttpRouteSpec, 'rules'> & { readonly rules?: HttpRouteRuleWithRetry[] };
}

/**
 * The L1 classes the strategy constructs, typed by the standard channel's props. The experimental
 * module's classes take the same props (a superset of fields; enums of the same values under
 * other type names) and make objects of the same shape.
 */
export interface GatewayApiKinds {
  readonly Gateway: typeof gatewayApi.Gateway;
  readonly HttpRoute: new (scope: Construct, id: string, props: HttpRoutePropsWithRetry) => gatewayApi.HttpRoute;
  readonly GrpcRoute: typeof gatewayApi.GrpcRoute;
  readonly TlsRoute: typeof gatewayApi.TlsRoute;
  readonly TcpRoute: typeof gatewayApi.TcpRoute;
  readonly ReferenceGrantV1Beta1: typeof gatewayApi.ReferenceGrantV1Beta1;
  readonly BackendTlsPolicy: typeof gatewayApi.BackendTlsPolicy;
}

/** Loads the channel's module: only apps that use this strategy pay for a Gateway API L1 module. */
export function loadGatewayApiKinds(experimentalChannel: boolean): GatewayApiKinds {
  /* eslint-disable @typescript-eslint/no-require-imports */
  return experimentalChannel ? require('../../../imports/gateway-api-experimental-gateway.networking.k8s.io')
    : require('../../../imports/gateway-api-gateway.networking.k8s.io');
  /* eslint-enable @typescript-eslint/no-require-imports */
}
