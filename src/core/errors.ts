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

/** Throws one error for all problems found, one line each, in declaration order, each once. */
export function throwIfProblems(scope: IConstruct, problems: readonly Problem[]): void {
  if (problems.length === 0) return;
  throw new ExposureError(distinctProblems(problems).map((p) => formatProblem(scope, p)).join('\n'));
}

/**
 * The problems without repeats (same field, same message), in their order: a policy declared for
 * the whole exposure and inherited by every route is one problem, under its own field.
 */
export function distinctProblems(problems: readonly Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}\n${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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
