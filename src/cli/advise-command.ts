/** The `advise` command. */
import { Io, PROCESS_IO } from './io';

/** Which strategies can express each exposure of an app: not available in this build. */
export async function adviseCommand(_args: string[], io: Io = PROCESS_IO): Promise<number> {
  io.err('cdk8s-expose advise: not available\n');
  return 2;
}
