import { notAString } from '../core/runtime-types';
import { headerValueProblem, problemsOf, regexProblem } from '../core/validators';


/** A condition on a query parameter of the request URL. */
export abstract class QueryParamMatch {
  /** The parameter is present with exactly this value. */
  public static exact(name: string, value: string): QueryParamMatch {
    return new ValueQueryParamMatch(name, 'exact', value);
  }

  /** The parameter value matches the regular expression in full (RE2 syntax). */
  public static regex(name: string, pattern: string): QueryParamMatch {
    return new ValueQueryParamMatch(name, 'regex', pattern);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  /** What was declared, read by the intent builder. @internal */
  public abstract readonly _spec: { readonly name: string; readonly kind: 'exact' | 'regex'; readonly value: string };

  protected constructor(problems: string[]) {
    this._problems = problems;
  }
}

class ValueQueryParamMatch extends QueryParamMatch {
  public readonly _spec: { readonly name: string; readonly kind: 'exact' | 'regex'; readonly value: string };

  constructor(name: string, kind: 'exact' | 'regex', value: string) {
    const types = problemsOf(notAString(name, 'parameter name'), notAString(value, kind === 'regex' ? 'pattern' : 'value'));
    super(types.length > 0 ? types : problemsOf(
      /^[A-Za-z0-9._~-]+$/.test(name) ? undefined : `"${name}" is not a plain query parameter name; use letters, digits and "-", "_", ".", "~"`,
      kind === 'regex' ? regexProblem(value) : headerValueProblem(name, value),
    ));
    this._spec = types.length > 0 ? { name: '', kind, value: '' } : { name, kind, value };
  }
}
