import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../src/cli/main';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'import-corpus');

/** Runs the command in-process; returns the exit code and what it wrote. */
async function cli(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(args, { out: (t) => { stdout += t; }, err: (t) => { stderr += t; } });
  return { code, stdout, stderr };
}

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk8s-expose-cli-')); });
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const CLEAN = `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
spec:
  ingressClassName: nginx
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /
        pathType: Prefix
        backend:
          service:
            name: web
            port:
              number: 80
`;

describe('cdk8s-expose import', () => {
  test('exit 0 when nothing is lost: the TypeScript on stdout, a summary on stderr', async () => {
    const r = await cli('import', write('in.yaml', CLEAN));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("new ExposedService(chart, 'web', {");
    expect(r.stderr).toBe('cdk8s-expose import: 1 exposure from 1 manifest, nothing lost\n');
  });

  test('exit 1 with losses: the table on stderr (source, field, reason), --out writes the file', async () => {
    const out = path.join(dir, 'exposures.ts');
    const r = await cli('import', path.join(FIXTURES, 'ingress-nginx', 'customization'), '--out', out);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(fs.readFileSync(out, 'utf8')).toContain('// lost: nginx.ingress.kubernetes.io/configuration-snippet: raw nginx, not portable');
    const source = 'Ingress default/nginx-configuration-snippet';
    const field = 'nginx.ingress.kubernetes.io/configuration-snippet';
    expect(r.stderr).toBe(`cdk8s-expose import: 1 exposure from 1 manifest; not carried over:
${'SOURCE'.padEnd(source.length)}  ${'FIELD'.padEnd(field.length)}  REASON
${source}  ${field}  raw nginx, not portable
`);
  });

  test('exit 2 on input errors, nothing written', async () => {
    const out = path.join(dir, 'exposures.ts');
    const r = await cli('import', write('bad.yaml', 'a: [\n'), write('ok.yaml', CLEAN), '--out', out);
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
    expect(r.stderr).toMatch(/^cdk8s-expose import: .*bad\.yaml: not YAML: .*\ncdk8s-expose import: input errors, nothing written\n$/);
    expect((await cli('import', path.join(dir, 'missing.yaml'))).code).toBe(2);
    expect((await cli('import', write('nokind.yaml', 'apiVersion: v1\nmetadata: {}\n'))).stderr).toContain('nokind.yaml: document 1: not a manifest: kind is missing');
  });

  test('usage errors: exit 2 with the usage; --help: exit 0', async () => {
    expect((await cli('import')).code).toBe(2);
    expect((await cli('import', '--bogus', 'x')).stderr).toMatch(/^cdk8s-expose import: unknown option --bogus\n\nUsage: cdk8s-expose import/);
    expect((await cli('import', 'x', '--out')).stderr).toMatch(/^cdk8s-expose import: --out needs a file name/);
    const help = await cli('import', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: cdk8s-expose import FILE_OR_DIR\.\.\. \[--out FILE\]/);
    expect((await cli()).code).toBe(2);
    expect((await cli('--help')).code).toBe(0);
    expect((await cli('frobnicate')).stderr).toMatch(/^cdk8s-expose: unknown command frobnicate\n/);
  });

  test('input text reaches the terminal without control characters', async () => {
    const r = await cli('import', write('in.yaml', CLEAN.replace('name: web\n', 'name: web\n  annotations:\n    "x/\\u001b[31mred": "v"\n')));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('x/\\u001b[31mred');
    expect(r.stderr).not.toContain('\u001b');
  });

  test('the command starts with a shebang', () => {
    expect(fs.readFileSync(path.join(__dirname, '..', '..', 'src', 'cli', 'main.ts'), 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });
});

describe('cdk8s-expose advise', () => {
  test('is a command', async () => {
    expect(typeof (await cli('advise', '--help')).code).toBe('number');
  });
});
