/** The registered manifest readers: one line per reader. */
import { gatewayApiReader } from './gateway-api-reader';
import { ingressReader } from './ingress-reader';
import { istioReader } from './istio-reader';
import { ManifestReader } from './manifest-reader';

export const READERS: readonly ManifestReader[] = [
  ingressReader,
  istioReader,
  gatewayApiReader,
];
