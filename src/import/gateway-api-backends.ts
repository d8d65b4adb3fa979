/**
 * Gateway API `backendRefs` as declaration backends: a Service by name and port, in another
 * namespace only where a ReferenceGrant of the input allows it (else Gateway API refuses the
 * reference, and so does the importer).
 */
import { Expr, lib, num, obj, str } from './code';
import { namespaceOf, unknownFields } from './mesh-values';
import { Loss } from './model';

/** What reading a backendRef needs. */
export interface BackendContext {
  readonly documents: readonly Readonly<Record<string, any>>[];
  /** The route's namespace and kind (`HTTPRoute`, `GRPCRoute`). */
  readonly namespace: string;
  readonly routeKind: string;
  readonly source: string;
  /** The ReferenceGrants that allowed a reference (the others are reported unused). */
  readonly usedGrants: Set<Readonly<Record<string, any>>>;
}

const isGatewayApi = (d: Readonly<Record<string, any>>): boolean => typeof d.apiVersion === 'string' && d.apiVersion.startsWith('gateway.networking.k8s.io/');

/** The ReferenceGrant of `to` namespace that lets `from` routes reference the Service `name`. */
export function grantFor(documents: readonly Readonly<Record<string, any>>[], routeKind: string, fromNamespace: string, toNamespace: string,
  name: string): Readonly<Record<string, any>> | undefined {
  return documents.find((d) => isGatewayApi(d) && d.kind === 'ReferenceGrant' && namespaceOf(d) === toNamespace
    && (Array.isArray(d.spec?.from) ? d.spec.from : []).some((f: any) =>
      f?.group === 'gateway.networking.k8s.io' && f?.kind === routeKind && f?.namespace === fromNamespace)
    && (Array.isArray(d.spec?.to) ? d.spec.to : []).some((t: any) =>
      (t?.group ?? '') === '' && t?.kind === 'Service' && (t?.name === undefined || t.name === name)));
}

/** `Backend.fromName(name, port[, { namespace }])` of a backendRef (or a mirror's), or why not. */
export function backendOfRef(ref: any, field: string, ctx: BackendContext, known: readonly string[] = ['group', 'kind', 'name', 'namespace', 'port']):
{ backend?: Expr; losses: Loss[] } {
  const src = ctx.source;
  const losses = unknownFields(ref, known, src, field);
  if ((ref?.group ?? '') !== '' || (ref?.kind ?? 'Service') !== 'Service') {
    return { losses: [...losses, { source: src, field, kind: 'unsupported', reason: `a ${ref?.group ? `${ref.group}/` : ''}${ref?.kind}: backends are Services` }] };
  }
  if (typeof ref?.name !== 'string' || typeof ref?.port !== 'number') {
    return { losses: [...losses, { source: src, field, kind: 'invalid', reason: 'a Service backendRef needs a name and a port' }] };
  }
  const namespace = typeof ref.namespace === 'string' ? ref.namespace : ctx.namespace;
  if (namespace !== ctx.namespace) {
    const grant = grantFor(ctx.documents, ctx.routeKind, ctx.namespace, namespace, ref.name);
    if (grant === undefined) {
      return {
        losses: [...losses, {
          source: src,
          field: `${field}.namespace`,
          kind: 'invalid',
          reason: `no ReferenceGrant of the input in ${namespace} lets ${ctx.routeKind}s of ${ctx.namespace} reference the Service ${ref.name}: Gateway API refuses the reference`,
        }],
      };
    }
    ctx.usedGrants.add(grant);
  }
  const args: Expr[] = [str(ref.name), num(ref.port)];
  if (namespace !== ctx.namespace) args.push(obj({ namespace: str(namespace) }));
  return { backend: lib('Backend.fromName', ...args), losses };
}
