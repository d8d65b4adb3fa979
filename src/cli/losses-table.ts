/** The losses of an import as a table for the terminal: source, field, reason. */
import { printable } from './io';
import { Loss } from '../import/model';

/** One row per distinct loss, in the order found; columns padded to their widest cell. */
export function lossesTable(losses: readonly Loss[]): string {
  const seen = new Set<string>();
  const rows: string[][] = [];
  for (const l of losses) {
    const row = [printable(l.source), printable(l.field), printable(l.reason)];
    const key = JSON.stringify(row);
    if (seen.has(key)) continue;
    seen.add(key);
    rows.push(row);
  }
  const all = [['SOURCE', 'FIELD', 'REASON'], ...rows];
  const widths = [0, 1].map((i) => Math.max(...all.map((r) => r[i].length)));
  return all.map((r) => `${r[0].padEnd(widths[0])}  ${r[1].padEnd(widths[1])}  ${r[2]}`.trimEnd()).join('\n') + '\n';
}
