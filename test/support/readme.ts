import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';
import * as library from '../../src';

/** The README's ts block after `marker`, compiled and run with the library and `scope` in scope. */
export function runReadmeExample(marker: string, scope: Record<string, unknown>): void {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const at = readme.indexOf(marker);
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error(`README.md: no example after "${marker}"`);
  const js = ts.transpileModule(block[1], { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  const all = { ...library, ...scope };
  new Function(...Object.keys(all), js)(...Object.values(all));
}
