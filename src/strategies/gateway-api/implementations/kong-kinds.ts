import type * as kong from '../../../../imports/kong-configuration.konghq.com';

/** The Kong L1 classes the implementation constructs. */
export interface KongKinds {
  readonly KongPlugin: typeof kong.KongPlugin;
  readonly KongConsumer: typeof kong.KongConsumer;
}

/**
 * Loads the Kong L1 module (`configuration.konghq.com`, generated from KongPlugin and KongConsumer
 * only): only exposures that render a KongPlugin pay for it.
 */
export function loadKongKinds(): KongKinds {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../../../imports/kong-configuration.konghq.com');
}
