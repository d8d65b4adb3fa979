import { headerNameProblem, headerValueProblem, problemsOf, regexProblem } from './intent/validators';

/** How a header or query parameter value is compared. */
export type ValueMatchKind = 'exact' | 'prefix' | 'regex';

/** A header match in the intent. Header names are lowercased (HTTP names are case-insensitive). */
export interface HeaderMatchIntent {
  readonly name: string;
  readonly kind: ValueMatchKind;
  readonly value: string;
}

/** A condition on a request header. */
export abstract class HeaderMatch {
  /** The header is present with exactly this value. */
  public static exact(name: string, value: string): HeaderMatch {
    return new ValueHeaderMatch(name, 'exact', value);
  }

  /** The header value starts with `prefix`. */
  public static prefix(name: string, prefix: string): HeaderMatch {
    return new ValueHeaderMatch(name, 'prefix', prefix);
  }

  /** The header value matches the regular expression in full (RE2 syntax). */
  public static regex(name: string, pattern: string): HeaderMatch {
    return new ValueHeaderMatch(name, 'regex', pattern);
  }

  /** @internal */
  public readonly _problems: readonly string[];

  protected constructor(problems: string[]) {
    this._problems = problems;
  }

  /** @internal */
  public abstract _toIntent(): HeaderMatchIntent;
}

class ValueHeaderMatch extends HeaderMatch {
  constructor(private readonly name: string, private readonly kind: ValueMatchKind, private readonly value: string) {
    super(problemsOf(
      headerNameProblem(name),
      kind === 'regex' ? regexProblem(value) : headerValueProblem(name, value),
    ));
  }

  public _toIntent(): HeaderMatchIntent {
    return { name: this.name.toLowerCase(), kind: this.kind, value: this.value };
  }
}
