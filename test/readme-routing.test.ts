import * as fs from 'fs';
import * as path from 'path';
import { Duration, Testing } from 'cdk8s';
import * as ts from 'typescript';
import * as library from '../src';

/**
 * The README's "Testing your exposures" example, as the README prints it: compiled from the
 * README's text and run (its imports are the library, cdk8s's Duration and Testing; its
 * `test.each` runs each case here), so the example cannot drift from the library.
 */
function readmeExample(): string {
  const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
  const at = readme.indexOf('The routing example:');
  const block = /```ts\n([\s\S]*?)```/.exec(readme.slice(at));
  if (at < 0 || !block) throw new Error('README.md: no example after "The routing example:"');
  return block[1].split('\n').filter((line) => !line.startsWith('import ')).join('\n');
}

test('the README\'s routing example runs on every strategy it names', () => {
  const js = ts.transpileModule(readmeExample(), { compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS } }).outputText;
  const cases: string[] = [];
  // Each case of the example's test.each runs now, in this test.
  const each = (table: unknown[]) => (name: string, fn: (...args: unknown[]) => void) => table.forEach((row) => {
    cases.push(name);
    fn(row);
  });
  const scope: Record<string, unknown> = { ...library, Duration, Testing, test: { each } };
  new Function(...Object.keys(scope), js)(...Object.values(scope));
  expect(cases).toHaveLength(3);
});
