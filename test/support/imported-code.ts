import { Chart, Testing } from 'cdk8s';
import * as ts from 'typescript';
import { importManifests } from '../../src/import/import-manifests';
import { ImportResult } from '../../src/import/model';
import { parseManifests } from '../../src/import/read-manifests';
import { writeTypeScript } from '../../src/import/write-typescript';

/**
 * Runs the importer's output: transpiled with `typescript`, with 'cdk8s-expose' resolved to the
 * library's source (or to `modules[name]` when given), and returns its exports.
 */
export function loadGenerated(code: string, modules: Record<string, unknown> = {}): Record<string, any> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, strict: true },
    reportDiagnostics: true,
  });
  const errors = (js.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length > 0) throw new Error(`the generated code does not parse:\n${errors.join('\n')}\n${code}`);
  const module = { exports: {} as Record<string, any> };
  const load = (name: string) => {
    if (name in modules) return modules[name];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return name === 'cdk8s-expose' ? require('../../src') : require(name);
  };
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  new Function('require', 'module', 'exports', js.outputText)(load, module, module.exports);
  return module.exports;
}

/** The import of one YAML text (as the file `file`). */
export function importYaml(yaml: string, file = 'input.yaml'): ImportResult {
  const parsed = parseManifests(yaml, file);
  if (parsed.errors.length > 0) throw new Error(`input errors: ${JSON.stringify(parsed.errors)}`);
  return importManifests(parsed.documents);
}

/** The TypeScript the importer writes for one YAML text. */
export function generatedFor(yaml: string): string {
  return writeTypeScript(importYaml(yaml));
}

/**
 * Declares the generated exposures of one namespace (`exposures`, or the function named) in a
 * fresh chart of that namespace, on `sourceStrategy()` unless a strategy is given.
 */
export function declareGenerated(code: string, namespace = 'default', fn = 'exposures', strategy?: unknown): Chart {
  const mod = loadGenerated(code);
  const chart = new Chart(Testing.app(), 'imported', { namespace });
  if (typeof mod[fn] !== 'function') throw new Error(`the generated code has no function ${fn}:\n${code}`);
  mod[fn](chart, strategy ?? mod.sourceStrategy());
  return chart;
}
