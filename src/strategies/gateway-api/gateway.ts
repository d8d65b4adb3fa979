import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { enumValue } from './enum-value';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { ExposureIntent } from '../../intent/model';
import { certManagerAnnotations } from '../shared/cert-manager';

/** The API group of Gateway API. */
export const GROUP = 'gateway.networking.k8s.io';

/** The listeners of a Gateway a route attaches to. */
export type ParentRef = gatewayApi.HttpRouteSpecParentRefs;

/** Where the routes attach: the Gateway the strategy created (none for an existing one), and its listeners. */
export interface Attachment {
  readonly gateway?: gatewayApi.Gateway;
  /** The listeners of the routes: with TLS the HTTPS ones. */
  readonly routeParents: ParentRef[];
  /** With TLS, the HTTP listeners: their route redirects to HTTPS. */
  readonly httpsRedirectParents: ParentRef[];
}

/** A Gateway of `gatewayClassName` for the exposure alone, with its listeners. */
export function createGateway(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent, gatewayClassName: string): Attachment {
  const listeners = listenersOf(intent);
  const gateway = new kinds.Gateway(scope, 'Gateway', {
    metadata: { name: intent.name, annotations: certManagerAnnotations(intent) },
    spec: { gatewayClassName, listeners, tls: frontendTls(intent) },
  });
  const parents = (protocol: string): ParentRef[] => listeners
    .filter((l) => l.protocol === protocol)
    .map((l) => ({ group: GROUP, kind: 'Gateway', name: intent.name, sectionName: l.name }));
  return intent.tls
    ? { gateway, routeParents: parents('HTTPS'), httpsRedirectParents: parents('HTTP') }
    : { gateway, routeParents: parents('HTTP'), httpsRedirectParents: [] };
}

/** An existing Gateway (one listener of it with `sectionName`): its namespace is set when it is not the routes'. */
export function existingGateway(intent: ExposureIntent, name: string, namespace: string, sectionName?: string): Attachment {
  const parent = { group: GROUP, kind: 'Gateway', name, namespace: namespace !== intent.namespace ? namespace : undefined, sectionName };
  return { routeParents: [parent], httpsRedirectParents: [] };
}

/**
 * Client certificates: the Gateway-wide validation of its HTTPS listeners (all the exposure's),
 * against the ConfigMap's ca.crt (core support: one ConfigMap). AllowValidOnly refuses a client
 * without a valid certificate; optional certificates are refused by the capability row, since
 * AllowInsecureFallback also admits invalid ones.
 */
function frontendTls(intent: ExposureIntent): gatewayApi.GatewaySpecTls | undefined {
  const client = intent.tls?.clientCertificates;
  if (client === undefined) return undefined;
  if (client.ca.kind !== 'config-map' || client.mode !== 'require') throw new Error('gatewayApi: the capability check let through a client CA it cannot express');
  return {
    frontend: {
      default: {
        validation: {
          caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: client.ca.name }],
          mode: enumValue('AllowValidOnly'),
        },
      },
    },
  };
}

/** HTTP :80 per host (or one for every host), and with TLS an HTTPS :443 listener per host. */
function listenersOf(intent: ExposureIntent): gatewayApi.GatewaySpecListeners[] {
  // Routes come from the exposure's own namespace only.
  const allowedRoutes: gatewayApi.GatewaySpecListenersAllowedRoutes = { namespaces: { from: enumValue('Same') } };
  if (intent.hosts.length === 0) return [{ name: 'http', protocol: 'HTTP', port: 80, allowedRoutes }];
  const tls = intent.tls;
  return [
    ...intent.hosts.map((hostname, i) => ({ name: `http-${i}`, protocol: 'HTTP', port: 80, hostname, allowedRoutes })),
    ...(tls === undefined ? [] : intent.hosts.map((hostname, i) => ({
      name: `https-${i}`,
      protocol: 'HTTPS',
      port: 443,
      hostname,
      tls: { mode: enumValue('Terminate'), certificateRefs: [{ group: '', kind: 'Secret', name: tls.secretName, namespace: tls.secretNamespace }] },
      allowedRoutes,
    }))),
  ];
}
