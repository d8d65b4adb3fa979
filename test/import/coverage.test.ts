import * as fs from 'fs';
import * as path from 'path';
import { importCoverage } from '../support/import-coverage';

const FILE = path.join(__dirname, '..', '..', 'docs', 'import-coverage.md');

test('docs/import-coverage.md is current', () => {
  const text = importCoverage();
  if (process.env.UPDATE_IMPORT_COVERAGE === '1') fs.writeFileSync(FILE, text);
  expect(fs.existsSync(FILE) ? fs.readFileSync(FILE, 'utf8') : '(missing: run UPDATE_IMPORT_COVERAGE=1 npx jest test/import/coverage.test.ts)').toBe(text);
});
