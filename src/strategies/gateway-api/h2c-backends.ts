import type { Problem } from '../../core/errors';
import { backendField, ExposureIntent } from '../../intent/model';

/**
 * Gateway API has no route field for the backend's protocol: implementations read the Service
 * port's `appProtocol` (GEP-1911; `kubernetes.io/h2c` for HTTP/2 by prior knowledge). The library
 * sets it on the Services it creates (`Backend.fromDeployment`); on any other Service it is the
 * Service's to declare, and this exposure cannot.
 */
export function h2cBackendProblems(intent: ExposureIntent): Problem[] {
  return intent.backends
    .filter((backend) => backend.protocol === 'h2c' && backend.deployment === undefined)
    .map((backend) => ({
      field: backendField(intent, backend),
      message: `Gateway API reads HTTP/2 cleartext from the Service port's appProtocol, and Service "${backend.name}" is not created by this exposure: `
        + `set appProtocol: kubernetes.io/h2c on its port ${backend.port} and remove protocol "h2c", or use Backend.fromDeployment(...), or istio`,
    }));
}
