import { Construct } from 'constructs';
import type * as certManager from '../../../imports/cert-manager-cert-manager.io';
import { ExposureIntent } from '../../intent/model';

/** The annotation cert-manager's ingress-shim and gateway-shim read to issue the TLS Secret. */
export function certManagerAnnotations(intent: ExposureIntent): Record<string, string> | undefined {
  const cm = intent.tls?.certManager;
  if (cm === undefined) return undefined;
  return { [cm.issuerKind === 'Issuer' ? 'cert-manager.io/issuer' : 'cert-manager.io/cluster-issuer']: cm.issuerName };
}

/** A cert-manager Certificate for the exposure's hosts into its TLS Secret, in `namespace`. */
export function certificate(scope: Construct, intent: ExposureIntent, namespace?: string): certManager.Certificate {
  // Loaded here: only exposures that use cert-manager pay for the module.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const cm: typeof certManager = require('../../../imports/cert-manager-cert-manager.io');
  const tls = intent.tls!;
  return new cm.Certificate(scope, 'Certificate', {
    metadata: { name: tls.secretName, namespace },
    spec: {
      secretName: tls.secretName,
      dnsNames: [...intent.hosts],
      issuerRef: { kind: tls.certManager!.issuerKind, name: tls.certManager!.issuerName },
    },
  });
}
