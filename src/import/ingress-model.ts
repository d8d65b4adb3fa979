/**
 * An Ingress as the reader sees it before it becomes code: its host groups (hosts that share the
 * same paths and TLS), each path with its backend, and the losses found so far.
 */
import { Expr } from './code';
import { Loss, SourceDocument } from './model';

/** A Service port a path sends to, resolved to a number. */
export interface ServicePort {
  readonly name: string;
  readonly port: number;
}

export interface IngressPath {
  /** How the path is matched, as the declaration will say it. */
  readonly match: 'prefix' | 'exact' | 'regex';
  readonly path: string;
  /** The original `pathType` and path, for messages. */
  readonly field: string;
  readonly backend: ServicePort;
  /** `pathType: ImplementationSpecific`: the controller decides how the path matches. */
  readonly implementationSpecific?: boolean;
}

/** Hosts that share the same paths and TLS: one exposure. */
export interface HostGroup {
  /** Empty: every host (a rule without `host`). */
  readonly hosts: readonly string[];
  readonly paths: readonly IngressPath[];
  /** The TLS Secret of these hosts, when `spec.tls` lists them. */
  readonly tlsSecret?: string;
}

export interface ParsedIngress {
  readonly document: SourceDocument;
  readonly name: string;
  readonly namespace: string;
  /** `spec.ingressClassName` (or the legacy `kubernetes.io/ingress.class` annotation). */
  readonly className?: string;
  readonly annotations: Readonly<Record<string, string>>;
  /** Read as ingress-nginx's (its annotations, its class, or an IngressClass of its controller). */
  readonly nginx: boolean;
  readonly groups: readonly HostGroup[];
  readonly losses: Loss[];
}

/** A route being built from a path, before canaries merge into it. */
export interface RouteDraft {
  readonly path: IngressPath;
  /** The `PathMatch` expression. */
  readonly match: Expr;
  /** `HeaderMatch` expressions (a canary by header or cookie). */
  readonly headers?: readonly Expr[];
  readonly backends: readonly { readonly backend: ServicePort; readonly weight?: number }[];
  readonly rewritePath?: string;
  /** The length of the location path (ingress-nginx tries regex locations longest first). */
  readonly length: number;
  /** The canary Ingress merged into it. */
  readonly canarySource?: string;
}
