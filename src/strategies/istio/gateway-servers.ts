import { IstioCreatedGatewayConfig } from './istio-gateway';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { TlsIntent } from '../../intent/model';

/**
 * The servers of a created Gateway: HTTP :80 for the hosts (a redirect to HTTPS with TLS, unless
 * turned off), and with TLS an HTTPS :443 server that terminates it with the credential, or a
 * TLS :443 server that passes it through.
 */
export function gatewayServers(gateway: IstioCreatedGatewayConfig, tls: TlsIntent | undefined,
  hosts: string[]): istioNetworking.GatewaySpecServers[] {
  const http: istioNetworking.GatewaySpecServers = {
    port: { number: 80, name: 'http', protocol: 'HTTP' },
    hosts,
    tls: tls && gateway.httpsRedirect ? { httpsRedirect: true } : undefined,
  };
  if (tls === undefined) return [http];
  const passthrough = gateway.tlsMode === 'PASSTHROUGH';
  const https: istioNetworking.GatewaySpecServers = {
    port: { number: 443, name: 'https', protocol: passthrough ? 'TLS' : 'HTTPS' },
    hosts,
    tls: { mode: tlsModeOf(passthrough, tls), credentialName: passthrough ? undefined : tls.secretName },
  };
  return [http, https];
}

/**
 * PASSTHROUGH, or terminating: MUTUAL with required client certificates, OPTIONAL_MUTUAL with
 * optional ones (Envoy then admits a client without a certificate and refuses an invalid one),
 * SIMPLE without. The CA is the credential's `ca.crt` or the Secret `<credentialName>-cacert`
 * (the checks hold `caSecret` to one of them). As the L1's enum, whose members are these strings.
 */
function tlsModeOf(passthrough: boolean, tls: TlsIntent): istioNetworking.GatewaySpecServersTlsMode {
  const client = tls.clientCertificates?.mode;
  const mode = passthrough ? 'PASSTHROUGH' : client === 'require' ? 'MUTUAL' : client === 'optional' ? 'OPTIONAL_MUTUAL' : 'SIMPLE';
  return mode as istioNetworking.GatewaySpecServersTlsMode;
}
