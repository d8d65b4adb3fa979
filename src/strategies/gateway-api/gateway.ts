import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { enumValue } from './enum-value';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { ExposureIntent, StreamIntent } from '../../intent/model';
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
  /** The listener of each stream (`passthrough[0]`, `tcp[1]`): by sectionName on a created Gateway, by port on an existing one. */
  readonly streamParents: ReadonlyMap<string, ParentRef>;
  /** The Gateway's namespace when it is not necessarily the exposure's (a shared Gateway). */
  readonly gatewayNamespace?: string;
}

/** A Gateway of `gatewayClassName` for the exposure alone, with its listeners. */
export function createGateway(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent, gatewayClassName: string): Attachment {
  const listeners = listenersOf(intent);
  const gateway = new kinds.Gateway(scope, 'Gateway', {
    metadata: { name: intent.name, annotations: certManagerAnnotations(intent) },
    spec: { gatewayClassName, listeners, tls: frontendTls(intent) },
  });
  const parent = (sectionName: string): ParentRef => ({ group: GROUP, kind: 'Gateway', name: intent.name, sectionName });
  const parents = (protocol: string): ParentRef[] => listeners.filter((l) => l.protocol === protocol).map((l) => parent(l.name));
  const streamParents = new Map(intent.streams.map((s) => [s.field, parent(streamListenerName(intent, s))]));
  return intent.tls
    ? { gateway, routeParents: parents('HTTPS'), httpsRedirectParents: parents('HTTP'), streamParents }
    : { gateway, routeParents: parents('HTTP'), httpsRedirectParents: [], streamParents };
}

/** An existing Gateway (one listener of it with `sectionName`): its namespace is set when it is not the routes'. */
export function existingGateway(intent: ExposureIntent, name: string, namespace: string, sectionName?: string): Attachment {
  const parent = { group: GROUP, kind: 'Gateway', name, namespace: namespace !== intent.namespace ? namespace : undefined };
  // sectionName is the HTTP routes' listener; each stream attaches to the listeners of its port.
  const streamParents = new Map(intent.streams.map((s) => [s.field, { ...parent, port: s.port }]));
  return { routeParents: [{ ...parent, sectionName }], httpsRedirectParents: [], streamParents };
}

/**
 * Client certificates: the Gateway-wide validation of its HTTPS listeners (all the exposure's),
 * against the ConfigMap's ca.crt (core support: one ConfigMap). AllowValidOnly refuses a client
 * without a valid certificate; optional certificates are refused by the capability row, since
 * AllowInsecureFallback also admits invalid ones.
 */
export function frontendTls(intent: ExposureIntent): gatewayApi.GatewaySpecTls | undefined {
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

/**
 * With routes, HTTP :80 per host (or one for every host), and with TLS an HTTPS :443 listener per
 * host; a TLS listener in mode Passthrough per passthrough (its port and hostname) and a TCP
 * listener per TCP port, each taking its own route kind only.
 */
function listenersOf(intent: ExposureIntent): gatewayApi.GatewaySpecListeners[] {
  return [...httpListeners(intent), ...streamListeners(intent)];
}

function httpListeners(intent: ExposureIntent): gatewayApi.GatewaySpecListeners[] {
  if (intent.routes.length === 0) return [];
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

function streamListeners(intent: ExposureIntent): gatewayApi.GatewaySpecListeners[] {
  const allowedRoutes = (kind: string): gatewayApi.GatewaySpecListenersAllowedRoutes => ({ namespaces: { from: enumValue('Same') }, kinds: [{ group: GROUP, kind }] });
  return intent.streams.map((s) => (s.kind === 'tls-passthrough' ? {
    name: streamListenerName(intent, s),
    protocol: 'TLS',
    port: s.port,
    hostname: s.host,
    tls: { mode: enumValue('Passthrough') },
    allowedRoutes: allowedRoutes('TLSRoute'),
  } : {
    name: streamListenerName(intent, s),
    protocol: 'TCP',
    port: s.port,
    allowedRoutes: allowedRoutes('TCPRoute'),
  }));
}

/** A stream's listener: `tls-0` for passthrough[0], `tcp-5432` for a TCP port. */
function streamListenerName(intent: ExposureIntent, stream: StreamIntent): string {
  return stream.kind === 'tcp' ? `tcp-${stream.port}` : `tls-${intent.streams.indexOf(stream)}`;
}
