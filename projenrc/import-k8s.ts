/*
 * Generates imports/k8s.ts: the core Kubernetes L1 classes of the kinds the library renders, from
 * the vendored `_definitions.json` (offline; `cdk8s import k8s` downloads it from GitHub) with
 * cdk8s-cli's own code generator, so the classes are what `cdk8s import k8s` writes for them.
 * Only the kinds named are generated (and the types they reference): the library's compiled L1s
 * stay small, and it needs no cdk8s-plus at run time.
 *
 * Usage: ts-node projenrc/import-k8s.ts SCHEMA OUTDIR GROUP/VERSION/KIND...   (core kinds: v1/Service)
 */
import * as fs from 'fs';
import * as path from 'path';

// cdk8s-cli's `exports` hides its import modules; they are loaded by file, from the installed CLI.
const cli = path.dirname(require.resolve('cdk8s-cli/package.json'));
/* eslint-disable @typescript-eslint/no-require-imports */
const { ImportBase } = require(path.join(cli, 'lib/import/base'));
const { findApiObjectDefinitions } = require(path.join(cli, 'lib/import/k8s'));
const { emitHeader, generateConstruct, getPropsTypeName, getTypeName } = require(path.join(cli, 'lib/import/codegen'));
const { parseApiTypeName, safeParseJsonSchema } = require(path.join(cli, 'lib/import/k8s-util'));
const { TypeGenerator } = require(require.resolve('json2jsii', { paths: [cli] }));
/* eslint-enable @typescript-eslint/no-require-imports */

interface ApiObjectDefinition { readonly fqn: string; readonly group: string; readonly version: string; readonly kind: string }

const [schemaFile, outdir, ...kinds] = process.argv.slice(2);
if (schemaFile === undefined || outdir === undefined || kinds.length === 0) {
  throw new Error('usage: import-k8s.ts SCHEMA OUTDIR GROUP/VERSION/KIND...');
}

const gvk = (o: ApiObjectDefinition) => `${o.group ? `${o.group}/` : ''}${o.version}/${o.kind}`;

class ImportSelectedKubernetesKinds extends ImportBase {
  get moduleNames() {
    return ['k8s'];
  }

  // The body of cdk8s-cli's ImportKubernetesApi.generateTypeScript, reading the schema from disk
  // and emitting constructs only for the selected kinds.
  async generateTypeScript(code: unknown) {
    const schema = safeParseJsonSchema(fs.readFileSync(schemaFile!, 'utf8'));
    const all: ApiObjectDefinition[] = findApiObjectDefinitions(schema, 'Kube');
    const selected = all.filter((o) => kinds.includes(gvk(o)));
    const missing = kinds.filter((k) => !selected.some((o) => gvk(o) === k));
    if (missing.length > 0) throw new Error(`not in ${schemaFile}: ${missing.join(', ')}`);
    const typeGenerator = new TypeGenerator({
      definitions: schema.definitions,
      renderTypeName: (def: string) => {
        const parsed = parseApiTypeName(def);
        return parsed.version ? getTypeName(false, parsed.basename, parsed.version.raw) : parsed.basename;
      },
    });
    for (const o of all) typeGenerator.addDefinition(o.fqn, { $ref: `#/definitions/${getPropsTypeName(o)}` });
    for (const o of selected) generateConstruct(typeGenerator, o);
    emitHeader(code, false);
    (code as { line(text: string): void }).line(typeGenerator.render());
  }
}

new ImportSelectedKubernetesKinds().import({ outdir, targetLanguage: 'typescript' }).catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
