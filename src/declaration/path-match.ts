import { notAString } from '../core/runtime-types';
import { matchPathProblem, problemsOf, regexProblem } from '../core/validators';

/** How a path match compares the request path. */
export type PathMatchKind = 'prefix' | 'exact' | 'regex';


/**
 * Which request paths a route matches.
 *
 * Prefix matches are element-wise, as in Ingress `Prefix`, Gateway API `PathPrefix` and the
 * NGINX engine: `PathMatch.prefix('/api')` matches `/api` and `/api/v1`, not `/apis`. Istio and
 * Kong render string prefixes (as Istio does for Ingress `Prefix` paths), where `/api` also
 * matches `/apis`; with a path rewrite, Istio splits the prefix element-wise.
 */
export abstract class PathMatch {
  /**
   * Matches the path and everything under it, element by element.
   * @param path starts with `/`; a trailing `/` is ignored except for `/` itself
   */
  public static prefix(path: string): PathMatch {
    return new LiteralPathMatch('prefix', path);
  }

  /** Matches exactly this path. */
  public static exact(path: string): PathMatch {
    return new LiteralPathMatch('exact', path);
  }

  /**
   * Matches paths the regular expression matches in full (RE2 syntax: no lookaround, no
   * backreferences). Not every strategy can express regexes: the capability matrix says which.
   */
  public static regex(pattern: string): PathMatch {
    return new RegexPathMatch(pattern);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /** What was declared, read by the intent builder. @internal */
  public abstract readonly _spec: { readonly kind: PathMatchKind; readonly value: string };

  protected constructor(problems: string[]) {
    this._problems = problems;
  }
}

class LiteralPathMatch extends PathMatch {
  public readonly _spec: { readonly kind: 'prefix' | 'exact'; readonly value: string };

  constructor(kind: 'prefix' | 'exact', path: string) {
    super(problemsOf(notAString(path, 'path') ?? matchPathProblem(path)));
    if (typeof path !== 'string') path = '';
    // '/api/' and '/api' mean the same element-wise prefix; keep one spelling so routes compare.
    this._spec = { kind, value: kind === 'prefix' && path.length > 1 && path.endsWith('/') ? path.replace(/\/+$/, '') || '/' : path };
  }
}

class RegexPathMatch extends PathMatch {
  public readonly _spec: { readonly kind: 'regex'; readonly value: string };

  constructor(pattern: string) {
    super(problemsOf(notAString(pattern, 'pattern') ?? regexProblem(pattern)));
    this._spec = { kind: 'regex', value: typeof pattern === 'string' ? pattern : '' };
  }
}
