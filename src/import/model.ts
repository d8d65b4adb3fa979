/**
 * What the importer reads and what it makes of it: exposures as declarations (code trees), and
 * every field or annotation it could not carry over, with the reason.
 */
import { Expr } from './code';

/** One manifest read from the input, with where it came from. */
export interface SourceDocument {
  /** The parsed object (`kind`, `apiVersion`, `metadata`, `spec`). */
  readonly manifest: Readonly<Record<string, any>>;
  /** The file it was read from, as given on the command line. */
  readonly file: string;
}

/** A field or annotation of the input that the declaration cannot hold. */
export interface Loss {
  /** `Ingress shop/web`, `VirtualService default/reviews`. */
  readonly source: string;
  /** The annotation name or the field path (`spec.http[0].fault`). */
  readonly field: string;
  /** Why it is not carried over (`raw nginx, not portable`). */
  readonly reason: string;
  /** The kind of loss, for the coverage report: `unsupported`, `unknown-annotation`, `not-portable`, `invalid`. */
  readonly kind: 'unsupported' | 'unknown-annotation' | 'not-portable' | 'invalid';
}

/** The strategy of the source, as the expression that builds it (to synthesize the import on it). */
export type SourceStrategy = Expr;

/** One exposure the importer made of one or more manifests. */
export interface ImportedExposure {
  /** The construct id of the generated ExposedService (unique in its namespace). */
  readonly id: string;
  /** The namespace of the source objects; the generated code puts it on the chart. */
  readonly namespace: string;
  /** The objects it was made of (`Ingress shop/web (ingress.yaml)`), written as a comment above it. */
  readonly sources: readonly string[];
  /** The ExposedService props without `strategy` (an object expression). */
  readonly props: Expr;
  /** The strategy the source objects were written for. */
  readonly sourceStrategy: SourceStrategy;
  /** What of the sources it could not hold, written as comments next to it. */
  readonly losses: readonly Loss[];
}

/** A problem with the input itself (not YAML, a manifest without kind): exit code 2. */
export interface InputError {
  readonly file: string;
  readonly message: string;
}

export interface ImportResult {
  readonly exposures: readonly ImportedExposure[];
  /** Losses not tied to one exposure (a Gateway no route uses, a kind the importer does not read). */
  readonly losses: readonly Loss[];
  readonly errors: readonly InputError[];
}
