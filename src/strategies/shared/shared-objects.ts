import { IConstruct } from 'constructs';

// The objects an exposure creates that other exposures of the app share (a shared Gateway,
// created under the first exposure that attaches): they belong to no single exposure.
const sharedObjects = new WeakSet<IConstruct>();

/** Marks `object`, created under one exposure, as shared with other exposures. */
export function markShared(object: IConstruct): void {
  sharedObjects.add(object);
}

/** True when `object` is shared with other exposures (see `markShared`). */
export function isShared(object: IConstruct): boolean {
  return sharedObjects.has(object);
}
