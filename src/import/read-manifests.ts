/**
 * Reads the importer's input: files and directories of `*.yaml`, `*.yml` and `*.json` manifests
 * (multi-document YAML, `List` kinds expanded). Unreadable input is an InputError, never a crash.
 */
import * as fs from 'fs';
import * as path from 'path';
import * as yaml from 'js-yaml';
import { InputError, SourceDocument } from './model';

export interface ReadManifests {
  readonly documents: readonly SourceDocument[];
  readonly errors: readonly InputError[];
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * The manifests of every path: a file is read whatever its name; a directory is walked
 * (recursively, in name order) for manifest files.
 */
export function readManifests(paths: readonly string[]): ReadManifests {
  const documents: SourceDocument[] = [];
  const errors: InputError[] = [];
  for (const p of paths) {
    for (const file of filesOf(p, errors)) {
      let text: string;
      try {
        text = fs.readFileSync(file, 'utf8');
      } catch (e) {
        errors.push({ file, message: `cannot read: ${messageOf(e)}` });
        continue;
      }
      const parsed = parseManifests(text, file);
      documents.push(...parsed.documents);
      errors.push(...parsed.errors);
    }
  }
  return { documents, errors };
}

function filesOf(p: string, errors: InputError[]): string[] {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(p);
  } catch (e) {
    errors.push({ file: p, message: `cannot read: ${messageOf(e)}` });
    return [];
  }
  if (!stat.isDirectory()) return [p];
  const files: string[] = [];
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(p, { withFileTypes: true });
  } catch (e) {
    errors.push({ file: p, message: `cannot read: ${messageOf(e)}` });
    return [];
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const child = path.join(p, entry.name);
    if (entry.isDirectory()) files.push(...filesOf(child, errors));
    else if (MANIFEST_FILE.test(entry.name)) files.push(child);
  }
  return files;
}

/** The manifests of one file's text: YAML (every document) or, for `*.json`, JSON. */
export function parseManifests(text: string, file: string): ReadManifests {
  let values: unknown[];
  try {
    values = /\.json$/i.test(file) ? [JSON.parse(text)] : yaml.loadAll(text);
  } catch (e) {
    return { documents: [], errors: [{ file, message: `not ${/\.json$/i.test(file) ? 'JSON' : 'YAML'}: ${firstLine(messageOf(e))}` }] };
  }
  const documents: SourceDocument[] = [];
  const errors: InputError[] = [];
  values.forEach((value, index) => {
    // An empty document (`---` twice, a trailing `---`) holds nothing.
    if (value === null || value === undefined) return;
    collect(value, `${file}: document ${index + 1}`, file, documents, errors);
  });
  return { documents, errors };
}

function collect(value: unknown, where: string, file: string, documents: SourceDocument[], errors: InputError[]): void {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    errors.push({ file, message: `${where}: not a manifest (an object with apiVersion and kind)` });
    return;
  }
  const manifest = value as Record<string, any>;
  if (typeof manifest.kind === 'string' && manifest.kind.endsWith('List') && Array.isArray(manifest.items)) {
    manifest.items.forEach((item: unknown, i: number) => collect(item, `${where}: items[${i}]`, file, documents, errors));
    return;
  }
  const problem = manifestProblem(manifest);
  if (problem !== undefined) {
    errors.push({ file, message: `${where}: ${problem}` });
    return;
  }
  documents.push({ manifest, file });
}

/** Why an object is not a manifest the importer can name: kind, apiVersion, metadata.name (and namespace) are strings. */
export function manifestProblem(manifest: Readonly<Record<string, any>>): string | undefined {
  if (typeof manifest.kind !== 'string' || manifest.kind === '') return 'not a manifest: kind is missing';
  if (typeof manifest.apiVersion !== 'string' || manifest.apiVersion === '') return 'not a manifest: apiVersion is missing';
  const metadata = manifest.metadata;
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata)) {
    return `not a manifest: metadata is ${metadata === undefined ? 'missing' : 'not an object'}`;
  }
  if (typeof metadata.name !== 'string' || metadata.name === '') return `not a manifest: metadata.name is ${metadata.name === undefined ? 'missing' : 'not a name'}`;
  if (metadata.namespace !== undefined && metadata.namespace !== null && typeof metadata.namespace !== 'string') return 'metadata.namespace is not a string';
  return undefined;
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function firstLine(text: string): string {
  return text.split('\n')[0];
}
