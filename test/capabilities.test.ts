import * as fs from 'fs';
import * as path from 'path';
import { CAPABILITY_MATRIX, FEATURES, renderCapabilityTable } from '../src';

describe('capability matrix', () => {
  test('docs/capabilities.md is generated from the matrix (run `npx projen` when this fails)', () => {
    const committed = fs.readFileSync(path.join(__dirname, '..', 'docs', 'capabilities.md'), 'utf8');
    expect(committed).toBe(renderCapabilityTable());
  });

  test('every strategy states every feature', () => {
    for (const row of Object.values(CAPABILITY_MATRIX)) {
      expect(Object.keys(row.capabilities).sort()).toEqual(Object.keys(FEATURES).sort());
    }
  });
});

describe('README', () => {
  test('shows the generated capability table', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    const section = readme.split('<!-- capabilities:start -->\n')[1]?.split('\n<!-- capabilities:end -->')[0];
    const table = renderCapabilityTable().split('\n').filter((l) => l.startsWith('|')).join('\n');
    expect(section).toBe(table);
  });
});
