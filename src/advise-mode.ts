/**
 * Advise mode: an app run by `cdk8s-expose advise` (or one whose context sets `cdk8s-expose:advise`)
 * records what each strategy would refuse instead of failing on the first exposure its strategy
 * refuses, so that every exposure of the app is advised on. The command passes a file in the
 * environment, the way `cdk8s synth` passes CDK8S_OUTDIR; each exposure appends its advice there,
 * one JSON line each.
 */
import { appendFileSync } from 'fs';
import { IConstruct } from 'constructs';
import { ExposureAdvice } from './exposure-advice';

/** The environment variable naming the file the advice is appended to. */
export const ADVICE_FILE_ENV = 'CDK8S_EXPOSE_ADVICE_FILE';

/** The context key that turns advise mode on for an app run in process (`app.node.setContext(ADVISE_CONTEXT, true)`). */
export const ADVISE_CONTEXT = 'cdk8s-expose:advise';

/**
 * True when exposures under `scope` record refusals instead of throwing them. The command always
 * names a file; an empty or unset variable is an ordinary synth, which throws as usual.
 */
export function isAdvising(scope: IConstruct): boolean {
  return adviceFile() !== undefined || scope.node.tryGetContext(ADVISE_CONTEXT) === true;
}

/** The file the command named, if any. */
function adviceFile(): string | undefined {
  const file = process.env[ADVICE_FILE_ENV];
  return file === undefined || file === '' ? undefined : file;
}

/** Appends the advice to the command's file, if the command runs the app. */
export function recordAdvice(advice: ExposureAdvice): void {
  const file = adviceFile();
  if (file !== undefined) appendFileSync(file, `${JSON.stringify(advice)}\n`);
}
