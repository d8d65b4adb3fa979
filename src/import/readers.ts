/** The registered manifest readers: one line per reader. */
import { ingressReader } from './ingress-reader';
import { ManifestReader } from './manifest-reader';

export const READERS: readonly ManifestReader[] = [
  ingressReader,
];
