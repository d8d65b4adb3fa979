/**
 * What a reader of one family of manifests (Ingress, Istio, Gateway API) provides to the importer:
 * the kinds it takes, and what it makes of them. Readers are registered in `readers.ts`.
 */
import { ImportedExposure, InputError, Loss, SourceDocument } from './model';

/** A kind of manifest: its API group (`''` for the core group) and kind. */
export interface KindRef {
  readonly group: string;
  readonly kind: string;
}

/** What a reader made of its documents. */
export interface ReaderOutput {
  readonly exposures: readonly ImportedExposure[];
  /** Losses not tied to one exposure (an object no exposure uses). */
  readonly losses: readonly Loss[];
  readonly errors?: readonly InputError[];
}

export interface ManifestReader {
  /** For messages: `Ingress`, `Istio`, `Gateway API`. */
  readonly name: string;
  /** The kinds it reads into exposures: each document of these kinds is handed to `read`. */
  readonly kinds: readonly KindRef[];
  /**
   * Kinds it consults without exposing them (the Services whose port names an Ingress uses):
   * documents of these kinds that no reader takes are not reported as unread.
   */
  readonly consults?: readonly KindRef[];
  /**
   * Reads its documents (in input order). `all` is every document of the input, to resolve
   * references (Services, DestinationRules, Gateways).
   */
  read(documents: readonly SourceDocument[], all: readonly SourceDocument[]): ReaderOutput;
}

/** The API group of an `apiVersion` (`networking.k8s.io/v1` -> `networking.k8s.io`, `v1` -> `''`). */
export function apiGroup(apiVersion: unknown): string {
  if (typeof apiVersion !== 'string') return '';
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

/** Whether a manifest is of a kind. */
export function isKind(manifest: Readonly<Record<string, any>>, ref: KindRef): boolean {
  return manifest.kind === ref.kind && apiGroup(manifest.apiVersion) === ref.group;
}

/** `Ingress shop/web`: how losses and comments name an object (the namespace `default` when unset). */
export function objectName(manifest: Readonly<Record<string, any>>): string {
  return `${manifest.kind} ${namespaceOf(manifest)}/${manifest.metadata?.name ?? '(unnamed)'}`;
}

/** The namespace of an object; objects without one are applied to `default`. */
export function namespaceOf(manifest: Readonly<Record<string, any>>): string {
  const namespace = manifest.metadata?.namespace;
  return typeof namespace === 'string' && namespace.length > 0 ? namespace : 'default';
}

/** `Ingress shop/web (ingress.yaml)`: a source of an exposure, written above it. */
export function sourceName(document: SourceDocument): string {
  return `${objectName(document.manifest)} (${document.file})`;
}
