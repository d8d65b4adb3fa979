import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { GROUP } from './gateway';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { resourceName } from '../../core/naming';
import { backendField, BackendIntent, ExposureIntent, RouteIntent } from '../../intent/model';

/** The Services the routes reach in one other namespace. */
export interface CrossNamespaceBackends {
  readonly namespace: string;
  /** The route kinds that reach them (`HTTPRoute`, `GRPCRoute`). */
  readonly kinds: ReadonlySet<string>;
  readonly names: ReadonlySet<string>;
  /** The field that declared the first of them, for errors. */
  readonly field: string;
}

/**
 * The Services the routes reach (forward or mirror to, or ask to authenticate) and the streams'
 * backends in other namespaces, by namespace, in declaration order.
 */
export function crossNamespaceBackends(intent: ExposureIntent): CrossNamespaceBackends[] {
  const byNamespace = new Map<string, { namespace: string; kinds: Set<string>; names: Set<string>; field: string }>();
  for (const route of intent.routes) {
    for (const b of backendsOf(route)) {
      const namespace = b.namespace;
      if (namespace === undefined || namespace === intent.namespace) continue;
      const entry = byNamespace.get(namespace) ?? { namespace, kinds: new Set<string>(), names: new Set<string>(), field: backendField(intent, b) };
      entry.kinds.add(route.protocol === 'grpc' ? 'GRPCRoute' : 'HTTPRoute');
      entry.names.add(b.name);
      byNamespace.set(namespace, entry);
    }
  }
  for (const s of intent.streams) {
    const b = s.backend;
    if (b.namespace === undefined || b.namespace === intent.namespace) continue;
    const entry = byNamespace.get(b.namespace)
      ?? { namespace: b.namespace, kinds: new Set<string>(), names: new Set<string>(), field: backendField(intent, b) };
    entry.kinds.add(s.kind === 'tcp' ? 'TCPRoute' : 'TLSRoute');
    entry.names.add(b.name);
    byNamespace.set(b.namespace, entry);
  }
  return [...byNamespace.values()];
}

function backendsOf(route: RouteIntent): BackendIntent[] {
  return [
    ...(route.action.kind === 'forward' ? route.action.backends.map((b) => b.backend) : []),
    ...(route.mirror ? [route.mirror.backend] : []),
    ...(route.auth?.kind === 'external' ? [route.auth.service] : []),
  ];
}

/**
 * ReferenceGrants in the namespaces the Gateway and the routes reach into: one for the TLS
 * Secret (from the Gateway, in `gatewayNamespace`) when it lives elsewhere, one per backend
 * namespace (from the routes), by namespace.
 */
export function renderReferenceGrants(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent,
  gatewayNamespace: string | undefined): gatewayApi.ReferenceGrantV1Beta1[] {
  const grants: gatewayApi.ReferenceGrantV1Beta1[] = [];
  const tls = intent.tls;
  const secretNamespace = tls?.secretNamespace ?? intent.namespace;
  if (tls !== undefined && secretNamespace !== undefined && secretNamespace !== gatewayNamespace) {
    grants.push(new kinds.ReferenceGrantV1Beta1(scope, 'ReferenceGrant-tls', {
      metadata: { name: resourceName(scope, 'tls'), namespace: secretNamespace },
      spec: {
        from: [{ group: GROUP, kind: 'Gateway', namespace: gatewayNamespace ?? unexpected('a ReferenceGrant from a Gateway of no namespace') }],
        to: [{ group: '', kind: 'Secret', name: tls.secretName }],
      },
    }));
  }
  for (const { namespace, kinds: routeKinds, names } of crossNamespaceBackends(intent).sort((a, b) => a.namespace.localeCompare(b.namespace))) {
    grants.push(new kinds.ReferenceGrantV1Beta1(scope, `ReferenceGrant-${namespace}`, {
      metadata: { name: resourceName(scope, 'backends'), namespace },
      spec: {
        from: [...routeKinds].sort().map((kind) => grantee(intent, kind)),
        to: [...names].sort().map((name) => ({ group: '', kind: 'Service', name })),
      },
    }));
  }
  return grants;
}

/** The objects of `kind` in the exposure's namespace (which the check requires for a grant). */
function grantee(intent: ExposureIntent, kind: string): gatewayApi.ReferenceGrantV1Beta1SpecFrom {
  return { group: GROUP, kind, namespace: intent.namespace ?? unexpected(`a ReferenceGrant from ${kind}s of no namespace`) };
}
