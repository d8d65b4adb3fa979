import { headerValueProblem, problemsOf, regexProblem } from './intent/validators';

/** A query parameter match in the intent. Names are case-sensitive, as in URLs. */
export interface QueryParamMatchIntent {
  readonly name: string;
  readonly kind: 'exact' | 'regex';
  readonly value: string;
}

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

  protected constructor(problems: string[]) {
    this._problems = problems;
  }

  /** @internal */
  public abstract _toIntent(): QueryParamMatchIntent;
}

class ValueQueryParamMatch extends QueryParamMatch {
  constructor(private readonly name: string, private readonly kind: 'exact' | 'regex', private readonly value: string) {
    super(problemsOf(
      /^[A-Za-z0-9._~-]+$/.test(name) ? undefined : `"${name}" is not a plain query parameter name; use letters, digits and "-", "_", ".", "~"`,
      kind === 'regex' ? regexProblem(value) : headerValueProblem(name, value),
    ));
  }

  public _toIntent(): QueryParamMatchIntent {
    return { name: this.name, kind: this.kind, value: this.value };
  }
}
