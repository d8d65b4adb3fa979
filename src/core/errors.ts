import { IConstruct } from 'constructs';

/**
 * Thrown at synth when an ExposedService declaration is invalid or cannot be expressed by its
 * strategy. The message names the construct path and the field, then says what would be valid:
 * `ExposedService shop/public: routes[2].fault: ...`.
 */
export class ExposureError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExposureError';
  }
}

/** One problem with one field of the declaration. */
export interface Problem {
  /** The field as written in the props, e.g. `routes[1].backends[0].weight`. */
  readonly field: string;
  readonly message: string;
}

/** Formats a problem the way every error of the library reads. */
export function formatProblem(scope: IConstruct, problem: Problem): string {
  return `ExposedService ${scope.node.path}: ${problem.field}: ${problem.message}`;
}

/** Throws one error for all problems found, one line each, in declaration order. */
export function throwIfProblems(scope: IConstruct, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new ExposureError(problems.map((p) => formatProblem(scope, p)).join('\n'));
}

/** Throws for a single problem. */
export function fail(scope: IConstruct, field: string, message: string): never {
  throw new ExposureError(formatProblem(scope, { field, message }));
}

/**
 * Collects problems while the intent is built, so that one synth reports every mistake of a
 * declaration at once instead of one per run.
 */
export class Problems {
  private readonly list: Problem[] = [];

  public add(field: string, message: string): void {
    this.list.push({ field, message });
  }

  /** Adds the value-object problems (`_problems`) found in a constructor, under `field`. */
  public addAll(field: string, messages: readonly string[]): void {
    for (const message of messages) this.add(field, message);
  }

  public get all(): readonly Problem[] {
    return this.list;
  }
}
