import type * as k8s from '../../../imports/k8s';

/**
 * The core Kubernetes L1 module (`imports/k8s.ts`), loaded on first use like the CRD modules:
 * loading the library loads no L1 module, and an app's cdk8s-plus is never needed.
 */
export function kube(): typeof k8s {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../imports/k8s');
}
