/**
 * `cdk8s-expose import FILE_OR_DIR... [--out FILE]`: reads manifests, writes the TypeScript of
 * their exposures (to FILE or stdout) and the table of what could not be carried over (stderr).
 * Exit code: 0 nothing lost, 1 losses, 2 input errors (nothing written).
 */
import * as fs from 'fs';
import { Io, PROCESS_IO, printable } from './io';
import { lossesTable } from './losses-table';
import { importManifests } from '../import/import-manifests';
import { readManifests } from '../import/read-manifests';
import { writeTypeScript } from '../import/write-typescript';

export const IMPORT_USAGE = `Usage: cdk8s-expose import FILE_OR_DIR... [--out FILE]

Reads Kubernetes manifests (*.yaml, *.yml, *.json; directories are walked) and writes TypeScript
that declares their exposures with cdk8s-expose: one function per namespace taking the chart and
the strategy, and sourceStrategy(), the strategy the input was written for.

Every field or annotation the declaration cannot hold is listed on stderr (source, field, reason)
and written as a "lost:" comment next to its exposure.

Options:
  --out FILE   write the TypeScript to FILE instead of stdout
  --help       show this help

Exit codes: 0 nothing lost, 1 something lost (see stderr), 2 input errors (nothing written).
`;

export async function importCommand(args: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const paths: string[] = [];
  let out: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === '--help' || arg === '-h') {
      io.out(IMPORT_USAGE);
      return 0;
    } else if (arg === '--out' || arg === '-o') {
      if (i + 1 >= args.length) return usageError(io, `${arg} needs a file name`);
      out = args[++i];
    } else if (arg.startsWith('--out=')) {
      out = arg.slice('--out='.length);
    } else if (arg === '--') {
      paths.push(...args.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') {
      return usageError(io, `unknown option ${printable(arg)}`);
    } else {
      paths.push(arg);
    }
  }
  if (paths.length === 0) return usageError(io, 'no file or directory given');
  if (out === '') return usageError(io, '--out needs a file name');

  const read = readManifests(paths);
  const result = importManifests(read.documents);
  const errors = [...read.errors, ...result.errors];
  if (errors.length > 0) {
    for (const e of errors) io.err(`cdk8s-expose import: ${printable(e.file)}: ${printable(e.message)}\n`);
    io.err('cdk8s-expose import: input errors, nothing written\n');
    return 2;
  }

  const code = writeTypeScript(result);
  if (out !== undefined) {
    try {
      fs.writeFileSync(out, code);
    } catch (e) {
      io.err(`cdk8s-expose import: cannot write ${printable(out)}: ${printable((e as Error).message)}\n`);
      return 2;
    }
  } else {
    io.out(code);
  }

  const losses = [...result.losses, ...result.exposures.flatMap((e) => e.losses)];
  const summary = `${result.exposures.length} exposure${result.exposures.length === 1 ? '' : 's'} from ${read.documents.length} manifest${read.documents.length === 1 ? '' : 's'}`;
  if (losses.length === 0) {
    io.err(`cdk8s-expose import: ${summary}, nothing lost\n`);
    return 0;
  }
  io.err(`cdk8s-expose import: ${summary}; not carried over:\n${lossesTable(losses)}`);
  return 1;
}

function usageError(io: Io, message: string): number {
  io.err(`cdk8s-expose import: ${message}\n\n${IMPORT_USAGE}`);
  return 2;
}
