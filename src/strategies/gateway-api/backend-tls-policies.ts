import { Construct } from 'constructs';
import { GatewayApiKinds } from './channel';
import { unexpected } from './unexpected';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import type { Problem } from '../../core/errors';
import { resourceName } from '../../core/naming';
import { backendField, BackendIntent, describeBackendTls, ExposureIntent } from '../../intent/model';

/*
 * TLS to backends as BackendTLSPolicy (`gateway.networking.k8s.io/v1`, standard since v1.4): one
 * policy per backend Service, in the Service's namespace (its targetRefs are local), verifying
 * the certificate with a CA ConfigMap of that namespace or the well-known system CAs, for the
 * declared hostname (also the SNI). The policy applies to every port of the Service.
 */

/** The backends with TLS, one per Service (the checks made each Service's TLS one), by name. */
function tlsServices(intent: ExposureIntent): BackendIntent[] {
  const byName = new Map<string, BackendIntent>();
  for (const b of intent.backends) if (b.tls !== undefined && !byName.has(b.name)) byName.set(b.name, b);
  return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** What a BackendTLSPolicy cannot express of the backends' TLS. */
export function backendTlsProblems(intent: ExposureIntent): Problem[] {
  const problems: Problem[] = [];
  const seen = new Map<string, BackendIntent>();
  for (const backend of intent.backends) {
    const field = backendField(intent, backend);
    const tls = backend.tls;
    if (tls !== undefined && tls.ca === undefined) {
      problems.push({ field, message: 'a Gateway API BackendTLSPolicy always verifies the backend\'s certificate; use BackendTls.fromConfigMap(...) or .systemCertificates(...), or istio' });
    } else if (tls?.ca?.kind === 'secret') {
      problems.push({
        field,
        message: `a Gateway API BackendTLSPolicy reads the CA from a ConfigMap (caCertificateRefs), not from Secret "${tls.ca.name}"; `
          + 'use BackendTls.fromConfigMap(...) or .systemCertificates(...)',
      });
    }
    if (tls !== undefined && backend.namespace !== intent.namespace) {
      problems.push({
        field,
        message: `a BackendTLSPolicy lives in its Service's namespace (${backend.namespace ?? 'the kubectl context\'s'}) and reads its CA there; `
          + 'declare the TLS backend in the exposure\'s namespace, or use istio',
      });
    }
    // The policy targets the whole Service: every port of it the exposure reaches speaks alike.
    const key = `${backend.namespace ?? ''}/${backend.name}`;
    const other = seen.get(key);
    if (other !== undefined && describeBackendTls(other.tls) !== describeBackendTls(backend.tls)) {
      problems.push({
        field,
        message: `a BackendTLSPolicy applies to every port of Service "${backend.name}"; ${backendField(intent, other)} declared it with ${describeBackendTls(other.tls)}, `
          + `this backend with ${describeBackendTls(backend.tls)}: declare the same tls, or use istio`,
      });
    }
    if (other === undefined) seen.set(key, backend);
  }
  return problems;
}

/** One BackendTLSPolicy per backend Service with TLS. */
export function renderBackendTlsPolicies(scope: Construct, kinds: GatewayApiKinds, intent: ExposureIntent): gatewayApi.BackendTlsPolicy[] {
  return tlsServices(intent).map((backend) => {
    const tls = backend.tls!;
    const ca = tls.ca;
    if (ca === undefined || ca.kind === 'secret' || tls.serverName === undefined) unexpected('backend TLS a BackendTLSPolicy cannot express');
    return new kinds.BackendTlsPolicy(scope, `BackendTLSPolicy-${backend.name}`, {
      metadata: { name: resourceName(scope, `${backend.name}-tls`) },
      spec: {
        targetRefs: [{ group: '', kind: 'Service', name: backend.name }],
        validation: {
          hostname: tls.serverName,
          ...(ca.kind === 'system' ? { wellKnownCaCertificates: 'System' } : { caCertificateRefs: [{ group: '', kind: 'ConfigMap', name: ca.name }] }),
        },
      },
    });
  });
}
