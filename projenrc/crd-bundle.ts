/*
 * Writes one multi-document YAML of the CRDs an L1 module is generated from, each cut down to the
 * API versions the library renders, so `cdk8s import` generates classes only for those (the
 * compiled L1s ship in the package). The first version kept keeps the bare class name; later ones
 * get a version suffix (`ReferenceGrantV1Beta1`), as cdk8s import names them.
 *
 * A file of several CRDs (Traefik's, Kong's) can be cut to some kinds: `FILE@VERSIONS#Kind,Kind`.
 *
 * Usage: ts-node projenrc/crd-bundle.ts OUT FILE@VERSION[,VERSION...][#KIND[,KIND...]]...
 */
import * as fs from 'fs';
import { parseAllDocuments, stringify } from 'yaml';

const [out, ...inputs] = process.argv.slice(2);
if (out === undefined || inputs.length === 0) throw new Error('usage: crd-bundle.ts OUT FILE@VERSION[,VERSION...][#KIND[,KIND...]]...');

const documents: string[] = [];
for (const input of inputs) {
  const [file, rest] = input.split('@');
  const [versionList, kindList] = (rest ?? '').split('#');
  const versions = (versionList ?? '').split(',').filter((v) => v !== '');
  const kinds = kindList === undefined ? undefined : kindList.split(',').filter((k) => k !== '');
  const found = new Set<string>();
  if (file === undefined || versions.length === 0) throw new Error(`${input}: name the versions to keep (FILE@v1,v1beta1)`);
  for (const doc of parseAllDocuments(fs.readFileSync(file, 'utf8'))) {
    const crd = doc.toJSON() as { kind?: string; spec?: { names?: { kind?: string }; versions?: { name: string }[] } } | null;
    if (crd?.kind !== 'CustomResourceDefinition') continue;
    const kind = crd.spec?.names?.kind ?? '';
    if (kinds !== undefined && !kinds.includes(kind)) continue;
    found.add(kind);
    const kept = (crd.spec?.versions ?? []).filter((v) => versions.includes(v.name));
    const missing = versions.filter((v) => !kept.some((k) => k.name === v));
    if (missing.length > 0) throw new Error(`${file}: ${crd.spec?.names?.kind} has no version ${missing.join(', ')}`);
    documents.push(stringify({ ...crd, spec: { ...crd.spec, versions: kept } }, { lineWidth: 0 }));
  }
  const absent = (kinds ?? []).filter((k) => !found.has(k));
  if (absent.length > 0) throw new Error(`${file}: no CRD of kind ${absent.join(', ')}`);
}
fs.writeFileSync(out, documents.map((d) => `---\n${d}`).join(''));
