/**
 * A state the checks exclude, reached in rendering: a bug of the library, never a mistake of the
 * declaration (those are problems, reported before anything renders).
 */
export function checkLetThrough(what: string): Error {
  return new Error(`istio: the check let through ${what}`);
}
