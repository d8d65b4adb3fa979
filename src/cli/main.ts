#!/usr/bin/env node
/**
 * The `cdk8s-expose` command: `import` (manifests to declarations) and `advise` (which strategies
 * can express an app's exposures). Bad input is a message and an exit code, never a stack trace.
 */
import { adviseCommand } from './advise-command';
import { importCommand } from './import-command';
import { Io, PROCESS_IO, printable } from './io';

export const USAGE = `Usage: cdk8s-expose <command> [options]

Commands:
  import FILE_OR_DIR... [--out FILE]   write TypeScript declaring the exposures of Ingress,
                                       Istio and Gateway API manifests
  advise                               which strategies can express each exposure of an app

Run "cdk8s-expose <command> --help" for a command's options.
`;

/** Runs the command line `args` (without node and the script); resolves to the exit code. */
export async function main(args: readonly string[], io: Io = PROCESS_IO): Promise<number> {
  const [command, ...rest] = args;
  try {
    switch (command) {
      case 'import': return await importCommand(rest, io);
      case 'advise': return await adviseCommand([...rest]);
      case undefined: case '--help': case '-h': case 'help':
        (command === undefined ? io.err : io.out)(USAGE);
        return command === undefined ? 2 : 0;
      default:
        io.err(`cdk8s-expose: unknown command ${printable(command)}\n\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    // A bug of the command, not of the input: said in one line, without a stack trace.
    io.err(`cdk8s-expose ${printable(command)}: internal error: ${printable(e instanceof Error ? e.message : String(e))}\n`);
    return 2;
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
