import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

/** README, "Adopting existing YAML": the example's input, output and losses table are what the command writes. */
test('the README example is what `cdk8s-expose import` writes', async () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Adopting existing YAML\n'));
  const blocks = [...section.matchAll(/```(yaml|ts|)\n([\s\S]*?)```/g)].map((m) => m[2]);
  const [yaml, code, table] = blocks;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-readme-'));
  try {
    fs.writeFileSync(path.join(dir, 'shop.yaml'), yaml);
    let out = '';
    let err = '';
    const cwd = process.cwd();
    process.chdir(dir);
    let exit: number;
    try {
      exit = await main(['import', 'shop.yaml'], { out: (t) => { out += t; }, err: (t) => { err += t; } });
    } finally {
      process.chdir(cwd);
    }
    expect(exit).toBe(1);
    expect(out).toBe(code);
    expect(err).toBe(table);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
