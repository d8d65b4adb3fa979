import { notAString } from '../core/runtime-types';
import { headerNameProblem, headerValueProblem, problemsOf, regexProblem } from '../core/validators';

/** How a header or query parameter value is compared. */
export type ValueMatchKind = 'exact' | 'prefix' | 'regex';


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

  /** What was declared, read by the intent builder. @internal */
  public abstract readonly _spec: { readonly name: string; readonly kind: ValueMatchKind; readonly value: string };

  protected constructor(problems: string[]) {
    this._problems = problems;
  }
}

class ValueHeaderMatch extends HeaderMatch {
  public readonly _spec: { readonly name: string; readonly kind: ValueMatchKind; readonly value: string };

  constructor(name: string, kind: ValueMatchKind, value: string) {
    const types = problemsOf(notAString(name, 'header name'), notAString(value, kind === 'regex' ? 'pattern' : 'value'));
    super(types.length > 0 ? types : problemsOf(
      headerNameProblem(name),
      kind === 'regex' ? regexProblem(value) : headerValueProblem(name, value),
    ));
    this._spec = types.length > 0 ? { name: '', kind, value: '' } : { name, kind, value };
  }
}
