import { IConstruct } from 'constructs';

/**
 * A registry kept per app (the root of the construct tree), for what exposures of one app share
 * and must agree on: the first exposure records its claim, the later ones are checked against it.
 * Two apps synthesized in one process never see each other's.
 */
export function perApp<T>(): (scope: IConstruct) => Map<string, T> {
  const byRoot = new WeakMap<IConstruct, Map<string, T>>();
  return (scope) => {
    const root = scope.node.root;
    let entries = byRoot.get(root);
    if (entries === undefined) {
      entries = new Map();
      byRoot.set(root, entries);
    }
    return entries;
  };
}
