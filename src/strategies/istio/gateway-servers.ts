import { IstioCreatedGatewayConfig } from './istio-gateway';
import type * as istioNetworking from '../../../imports/istio-networking.istio.io';
import { ExposureIntent, passthroughStreams, tcpStreams, TlsIntent } from '../../intent/model';

/**
 * The servers of a created Gateway: with HTTP routes, HTTP :80 for the hosts (a redirect to HTTPS
 * with TLS, unless turned off) and with TLS an HTTPS :443 server that terminates it with the
 * credential; a TLS server per passthrough port (its SNI hostnames, mode PASSTHROUGH) and a TCP
 * server per TCP port.
 */
export function gatewayServers(gateway: IstioCreatedGatewayConfig, intent: ExposureIntent): istioNetworking.GatewaySpecServers[] {
  return [...httpServers(gateway, intent), ...streamServers(intent)];
}

function httpServers(gateway: IstioCreatedGatewayConfig, intent: ExposureIntent): istioNetworking.GatewaySpecServers[] {
  if (intent.routes.length === 0) return [];
  const tls = intent.tls;
  const hosts = intent.hosts.length > 0 ? [...intent.hosts] : ['*'];
  const http: istioNetworking.GatewaySpecServers = {
    port: { number: 80, name: 'http', protocol: 'HTTP' },
    hosts,
    tls: tls && gateway.httpsRedirect ? { httpsRedirect: true } : undefined,
  };
  if (tls === undefined) return [http];
  const https: istioNetworking.GatewaySpecServers = {
    port: { number: 443, name: 'https', protocol: 'HTTPS' },
    hosts,
    tls: { mode: tlsModeOf(tls), credentialName: tls.secretName },
  };
  return [http, https];
}

/** One server per stream port: the SNI hostnames passed through on it, or every host of a TCP port. */
function streamServers(intent: ExposureIntent): istioNetworking.GatewaySpecServers[] {
  const passthrough = passthroughStreams(intent);
  const ports = [...new Set(passthrough.map((s) => s.port))].sort((a, b) => a - b);
  return [
    ...ports.map((port) => ({
      port: { number: port, name: `tls-${port}`, protocol: 'TLS' },
      hosts: passthrough.filter((s) => s.port === port).map((s) => s.host),
      tls: { mode: tlsModeOf('PASSTHROUGH') },
    })),
    ...tcpStreams(intent).map((s) => ({ port: { number: s.port, name: `tcp-${s.port}`, protocol: 'TCP' }, hosts: ['*'] })),
  ];
}

/**
 * Terminating: MUTUAL with required client certificates, OPTIONAL_MUTUAL with optional ones (Envoy
 * then admits a client without a certificate and refuses an invalid one), SIMPLE without. The CA is
 * the credential's `ca.crt` or the Secret `<credentialName>-cacert` (the checks hold `caSecret` to
 * one of them).
 */
function terminatingMode(tls: TlsIntent): 'SIMPLE' | 'MUTUAL' | 'OPTIONAL_MUTUAL' {
  const client = tls.clientCertificates?.mode;
  return client === 'require' ? 'MUTUAL' : client === 'optional' ? 'OPTIONAL_MUTUAL' : 'SIMPLE';
}

/** The mode as the L1's enum, whose members are these strings. */
function tlsModeOf(tlsOrPassthrough: TlsIntent | 'PASSTHROUGH'): istioNetworking.GatewaySpecServersTlsMode {
  const mode = tlsOrPassthrough === 'PASSTHROUGH' ? tlsOrPassthrough : terminatingMode(tlsOrPassthrough);
  return mode as istioNetworking.GatewaySpecServersTlsMode;
}
