/**
 * The strategy advisor: for each exposure of an app (or a chart), which strategies can express it
 * and what each would refuse, judged by synth's own checks. What a team planning a migration asks
 * first; `npx cdk8s-expose advise` prints it for a cdk8s app.
 */
import { IConstruct } from 'constructs';
import { ExposedService } from './exposed-service';
import { adviseExposure, ExposureAdvice } from './exposure-advice';
import { ExposureStrategy } from './exposure-strategy';
import { buildIntent } from './intent/build';
import { defaultCandidates } from './strategy-candidates';

export { ExposureAdvice, StrategyAdvice } from './exposure-advice';
export { ADVICE_FILE_ENV, ADVISE_CONTEXT } from './advise-mode';

/** Options of `advise`. */
export interface AdviseOptions {
  /**
   * The strategies to weigh, in order, with the options of your clusters (an existing Gateway, an
   * API gateway's front and trustedProxies change what a strategy can express).
   * @default - one per column of the capability matrix, with neutral options; the API gateways behind a LoadBalancer Service
   * @example candidates: [ExposureStrategy.gatewayApi({ gatewayClassName: 'eg', implementation: GatewayImplementation.envoyGateway() }), ExposureStrategy.istio()]
   */
  readonly candidates?: readonly ExposureStrategy[];
}

/**
 * The advice for every ExposedService under `scope` (an app or a chart), in construct order. An
 * exposure whose own strategy refuses it throws on construction, unless the app runs in advise mode
 * (context `cdk8s-expose:advise` set to true, or run by `cdk8s-expose advise`): then it is here too.
 * @param scope the app or the chart whose exposures to advise on
 * @param options the candidate strategies
 */
export function advise(scope: IConstruct, options: AdviseOptions = {}): ExposureAdvice[] {
  const candidates = options.candidates ?? defaultCandidates();
  const notStrategies = candidates.filter((c: unknown) => !(c instanceof ExposureStrategy));
  if (notStrategies.length > 0) throw new TypeError('advise: every candidate must be an ExposureStrategy (ExposureStrategy.gatewayApi(...), ...)');
  return scope.node.findAll()
    .filter((c): c is ExposedService => c instanceof ExposedService)
    .map((exposure) => adviseExposure(exposure, exposure._declaration.strategy, buildIntent(exposure, exposure._declaration), candidates));
}

/**
 * The advice as text: per exposure, a heading (its path, its strategy, what it renders with) and a
 * table `strategy | can express | what it would refuse`, one problem per line, without the
 * `ExposedService <path>: ` the heading already says.
 */
export function adviceTable(advice: readonly ExposureAdvice[]): string {
  return advice.map(exposureTable).join('\n\n') + (advice.length > 0 ? '\n' : '');
}

function exposureTable(advice: ExposureAdvice): string {
  const prefix = `ExposedService ${advice.path}: `;
  const short = (line: string) => (line.startsWith(prefix) ? line.slice(prefix.length) : line);
  const rows: [string, string, string][] = [];
  for (const c of advice.candidates) {
    const problems = c.problems.map(short);
    rows.push([c.strategy, c.canExpress ? 'yes' : 'no', problems[0] ?? '']);
    for (const p of problems.slice(1)) rows.push(['', '', p]);
  }
  const header: [string, string, string] = ['strategy', 'can express', 'what it would refuse'];
  const width = (i: 0 | 1) => Math.max(header[i].length, ...rows.map((r) => r[i].length));
  const line = (r: [string, string, string]) => `${r[0].padEnd(width(0))} | ${r[1].padEnd(width(1))} | ${r[2]}`.trimEnd();
  const renders = advice.rendersWith === undefined ? 'refuses it' : advice.rendersWith === advice.strategy ? 'can express it' : `renders with ${advice.rendersWith}`;
  return [
    `ExposedService ${advice.path} (strategy: ${advice.strategy}, ${renders})`,
    ...advice.declarationProblems.map((p) => `  invalid: ${short(p)}`),
    line(header),
    `${'-'.repeat(width(0))}-+-${'-'.repeat(width(1))}-+-${'-'.repeat(header[2].length)}`,
    ...rows.map(line),
  ].join('\n');
}
