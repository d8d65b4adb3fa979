import { Duration } from 'cdk8s';
import { Backend } from './backend';
import { DURATION, object, optional, required, shapeProblems, STRING } from '../core/runtime-shape';
import { describeValue } from '../core/runtime-types';

/** Options for `AggregatePart.required` and `AggregatePart.optional`. */
export interface AggregatePartOptions {
  /**
   * The path, and optionally the query, that the gateway requests from the part's backend (with
   * GET). `{query.NAME}` takes the value of the client request's query parameter `NAME`,
   * `{header.NAME}` that of its request header `NAME`: percent-encoded (every byte but letters,
   * digits, `-`, `_` and `~`), so a value stays inside its segment or query value and can add no
   * `/`, `?`, `#` or `&`. A request without a value of every placeholder (or whose value is `.` or
   * `..`) gets the gateway's JSON 400, and no backend is called.
   * @example AggregatePart.required(Backend.fromName('users', 8080), { path: '/users/{query.user}' })
   */
  readonly path: string;
  /**
   * How long the gateway waits for the part: for the connection, and between two reads of its
   * answer (nginx's connect and read timeouts). A part that takes longer fails with `timeout`.
   * @default - the route's `timeout`, else nginx's own (60 seconds)
   * @example AggregatePart.optional(Backend.fromName('recommendations', 8080), { path: '/top', timeout: Duration.millis(300) })
   */
  readonly timeout?: Duration;
}

/** What an AggregatePart declares (internal). */
export interface AggregatePartSpec {
  readonly backend: Backend;
  /** A required part that fails fails the whole response (502); an optional one is reported in `errors`. */
  readonly required: boolean;
  readonly path: string;
  readonly timeout?: Duration;
}

const OPTIONS = object('the options of an aggregate part', { path: required(STRING), timeout: optional(DURATION) });

/**
 * One backend call of an aggregate route (`aggregate`): the route answers one JSON object whose
 * members, named after the parts, are their JSON answers, the parts called in parallel. A part
 * that fails (an answer that is not 2xx or not JSON, no answer, a timeout) fails the whole
 * request when it is required (the gateway's JSON 502) and is reported under `errors` when it is
 * optional.
 */
export class AggregatePart {
  /**
   * A part the response cannot do without: when it fails, the client gets the gateway's JSON 502.
   * @example AggregatePart.required(Backend.fromName('users', 8080), { path: '/users/{query.user}', timeout: Duration.seconds(2) })
   */
  public static required(backend: Backend, options: AggregatePartOptions): AggregatePart {
    return AggregatePart.of(backend, options, true);
  }

  /**
   * A part the response can do without: when it fails, its member is missing and `errors` says why.
   * @example AggregatePart.optional(Backend.fromName('recommendations', 8080), { path: '/top?user={query.user}', timeout: Duration.millis(300) })
   */
  public static optional(backend: Backend, options: AggregatePartOptions): AggregatePart {
    return AggregatePart.of(backend, options, false);
  }

  private static of(backend: Backend, options: AggregatePartOptions, isRequired: boolean): AggregatePart {
    const problems: string[] = [];
    if (!(backend instanceof Backend)) {
      problems.push(`backend is ${describeValue(backend)}; use Backend.fromName(name, port), Backend.fromService(...) or Backend.fromDeployment(...)`);
    }
    problems.push(...shapeProblems(options, OPTIONS, '', 'options').map((p) => `${p.field} ${p.message}`));
    const valid = problems.length === 0;
    return new AggregatePart({
      backend,
      required: isRequired,
      path: valid ? options.path : '/',
      timeout: valid ? options.timeout : undefined,
    }, problems);
  }

  /** @internal */
  public readonly _spec: AggregatePartSpec;
  /** Runtime type problems; the intent builder checks the values. @internal */
  public readonly _problems: readonly string[];

  private constructor(spec: AggregatePartSpec, problems: string[]) {
    this._spec = spec;
    this._problems = problems;
  }
}
