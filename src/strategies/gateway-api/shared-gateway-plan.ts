import { IConstruct } from 'constructs';
import { enumValue } from './enum-value';
import { frontendTls, GROUP } from './gateway';
import { GatewayApiGatewayConfig } from './gateway-api-gateway';
import type * as gatewayApi from '../../../imports/gateway-api-gateway.networking.k8s.io';
import { Problem } from '../../core/errors';
import { ExposureIntent, passthroughStreams, StreamIntent, TlsIntent } from '../../intent/model';
import { certManagerAnnotations } from '../shared/cert-manager';

/*
 * What each exposure adds to a Gateway it shares with other exposures of the app (one
 * GatewayApiGateway), and the conflicts with what the others added. A host's listeners are
 * shared (the Gateway admits one listener per port, protocol and hostname), so exposures that
 * serve the same host must agree on its TLS; what the Gateway holds once (the client
 * certificate validation, cert-manager's annotation) must be the same for every exposure that
 * terminates TLS on it.
 */

/** The listeners and the Gateway-wide settings one exposure brings (its plan), found by `planSharedGateway`. */
export interface SharedGatewayPlan {
  /** The Gateway's namespace. */
  readonly namespace?: string;
  /** The listeners this exposure creates (a listener of a host another exposure serves is theirs). */
  readonly listeners: gatewayApi.GatewaySpecListeners[];
  /** The listeners the HTTP routes attach to: with TLS the HTTPS ones. */
  readonly routeSections: string[];
  /** With TLS, the HTTP listeners (their route redirects to HTTPS). */
  readonly redirectSections: string[];
  /** The listener of each stream, by its field. */
  readonly streamSections: ReadonlyMap<string, string>;
  /** The Gateway-wide client certificate validation and cert-manager annotation, when this exposure declares them. */
  readonly frontendTls?: gatewayApi.GatewaySpecTls;
  readonly annotations?: Record<string, string>;
}

/** What the exposures of an app have put on one shared Gateway. */
export interface SharedGatewayState {
  readonly config: GatewayApiGatewayConfig;
  readonly namespace?: string;
  /** The exposure that attached first: the Gateway lives in its chart. */
  readonly first: string;
  /** The implementation of the first exposure (`none`: the standard API only), which every other must use. */
  readonly implementation: string;
  /** Each host's listeners: by hostname (`*`: no hostname), the exposure that created them and what they are. */
  readonly hosts: Map<string, HostListeners>;
  /** The protocol family each port takes, and the first exposure that declared it. */
  readonly ports: Map<number, { readonly owner: string; readonly family: PortFamily }>;
  /** The hostnames passed through undecrypted, by `port host`, and the exposure that declared each. */
  readonly passedThrough: Map<string, string>;
  /** Each listener name, and the exposure that created it. */
  readonly names: Map<string, string>;
  /** The Gateway-wide settings of TLS, set by the first exposure that terminates TLS on it. */
  tlsWide?: { readonly owner: string; readonly clientCertificates: string; readonly issuer: string };
  /** The plans of the exposures registered, by construct path: rendered next. */
  readonly plans: Map<string, SharedGatewayPlan>;
}

/** The listeners of a host: the exposure that created them, its namespace, the TLS they terminate (`describeTls`) and their names. */
interface HostListeners {
  readonly owner: string;
  readonly namespace?: string;
  readonly tls: string;
  readonly http: string;
  readonly https?: string;
}

type PortFamily = 'plain HTTP' | 'TLS' | 'TCP';

// Per app: each shared Gateway's state, and which one holds each namespace/name.
const statesByApp = new WeakMap<IConstruct, Map<GatewayApiGatewayConfig, SharedGatewayState>>();

/** The state of a shared Gateway in the app of `scope`, once an exposure registered. */
export function sharedGatewayState(scope: IConstruct, config: GatewayApiGatewayConfig): SharedGatewayState | undefined {
  return statesByApp.get(scope.node.root)?.get(config);
}

/** `infra/eg`, or `eg` in no namespace: as errors and claims name the Gateway. */
export function sharedGatewayWhere(config: GatewayApiGatewayConfig, namespace: string | undefined): string {
  return namespace === undefined ? config.name : `${namespace}/${config.name}`;
}

/**
 * The listeners the exposure adds to the shared Gateway, and every conflict with what the
 * app's other exposures added; registers the plan when there is none.
 */
export function registerOnSharedGateway(
  scope: IConstruct, intent: ExposureIntent, config: GatewayApiGatewayConfig, implementation = 'none'): Problem[] {
  const root = scope.node.root;
  let states = statesByApp.get(root);
  if (states === undefined) {
    states = new Map();
    statesByApp.set(root, states);
  }
  const namespace = config.namespace ?? states.get(config)?.namespace ?? intent.namespace;
  const clash = [...states.values()].find((s) => s.config !== config && s.config.name === config.name && s.namespace === namespace);
  if (clash !== undefined) {
    return [{
      field: 'strategy',
      message: `GatewayApiGateway "${sharedGatewayWhere(config, namespace)}" has the namespace and name of another GatewayApiGateway, `
        + `which ExposedService ${clash.first} attaches to; give one of them another name`,
    }];
  }
  const empty = { hosts: new Map(), ports: new Map(), passedThrough: new Map(), names: new Map(), plans: new Map() };
  const state: SharedGatewayState = states.get(config) ?? { config, namespace, first: intent.path, implementation, ...empty };
  // One controller runs the Gateway: another implementation's objects would be ignored.
  if (state.implementation !== implementation) {
    return [{
      field: 'strategy',
      message: `GatewayApiGateway "${sharedGatewayWhere(config, namespace)}" is run by the implementation of ExposedService ${state.first} `
        + `(${state.implementation === 'none' ? 'the standard API only' : state.implementation}), not ${implementation === 'none' ? 'the standard API only' : implementation}; `
        + 'declare the same implementation on every exposure of one Gateway',
    }];
  }
  const { plan, hosts, problems } = planOn(state, intent);
  if (problems.length > 0) return problems;
  states.set(config, state);
  commit(state, intent, plan, hosts);
  return [];
}

/** What the exposure would add: its plan, the hosts whose listeners it creates, and the conflicts; changes nothing. */
interface Planned {
  readonly plan: SharedGatewayPlan;
  readonly hosts: [string, HostListeners][];
  readonly problems: Problem[];
}

/** The plan of the exposure on the shared Gateway, and the conflicts; changes nothing. */
function planOn(state: SharedGatewayState, intent: ExposureIntent): Planned {
  const where = sharedGatewayWhere(state.config, state.namespace);
  const problems: Problem[] = [];
  if (intent.namespace !== state.namespace && state.config.namespace === undefined) {
    problems.push({
      field: 'strategy',
      message: `GatewayApiGateway "${state.config.name}" is in ${state.namespace === undefined ? 'no namespace' : `namespace ${state.namespace}`}, `
        + `that of ExposedService ${state.first} (the first to attach to it); to attach exposures of other namespaces, `
        + 'set its namespace: GatewayApiGateway.create({ gatewayClassName, namespace })',
    });
    return { plan: emptyPlan(state), hosts: [], problems };
  }
  const allowedRoutes = (kind?: string): gatewayApi.GatewaySpecListenersAllowedRoutes => ({
    namespaces: intent.namespace === state.namespace ? { from: enumValue('Same') }
      : { from: enumValue('Selector'), selector: { matchLabels: { 'kubernetes.io/metadata.name': intent.namespace! } } },
    kinds: kind === undefined ? undefined : [{ group: GROUP, kind }],
  });
  const listeners: gatewayApi.GatewaySpecListeners[] = [];
  const created: [string, HostListeners][] = [];
  const routeSections: string[] = [];
  const redirectSections: string[] = [];
  const tls = intent.tls;
  const ours = describeTls(tls, intent.namespace);
  if (intent.routes.length > 0) {
    const hosts = intent.hosts.length > 0 ? intent.hosts.map((h, i) => ({ host: h, suffix: `-${i}` })) : [{ host: undefined, suffix: '' }];
    for (const { host, suffix } of hosts) {
      const taken = state.hosts.get(host ?? '*');
      const hostName = host ?? '(every host)';
      if (taken !== undefined && taken.owner !== intent.path) {
        if (taken.namespace !== intent.namespace) {
          problems.push({
            field: 'hosts',
            message: `host ${hostName} on Gateway ${where} is served by ExposedService ${taken.owner} of ${taken.namespace === undefined ? 'no namespace' : `namespace ${taken.namespace}`}, `
              + 'and its listeners admit the routes of that namespace alone; use another host',
          });
        } else if (taken.tls !== ours) {
          problems.push({
            field: tls === undefined ? 'hosts' : 'tls',
            message: `host ${hostName} on Gateway ${where} is served ${taken.tls} by ExposedService ${taken.owner}, and ${ours} here; `
              + 'the listeners of a host are shared: declare the same TLS, or use another host',
          });
        } else {
          (tls === undefined ? routeSections : redirectSections).push(taken.http);
          if (taken.https !== undefined) routeSections.push(taken.https);
        }
        continue;
      }
      const http = { name: `${intent.name}-http${suffix}`, protocol: 'HTTP', port: 80, hostname: host, allowedRoutes: allowedRoutes() };
      listeners.push(http);
      (tls === undefined ? routeSections : redirectSections).push(http.name);
      // TLS needs hosts (the intent's check): every HTTPS listener has a hostname.
      const https = tls === undefined || host === undefined ? undefined : `${intent.name}-https${suffix}`;
      created.push([host ?? '*', { owner: intent.path, namespace: intent.namespace, tls: ours, http: http.name, https }]);
      if (tls === undefined || https === undefined) continue;
      const secretNamespace = tls.secretNamespace ?? intent.namespace;
      listeners.push({
        name: https,
        protocol: 'HTTPS',
        port: 443,
        hostname: host,
        tls: {
          mode: enumValue('Terminate'),
          certificateRefs: [{ group: '', kind: 'Secret', name: tls.secretName, namespace: secretNamespace !== state.namespace ? secretNamespace : undefined }],
        },
        allowedRoutes: allowedRoutes(),
      });
      routeSections.push(https);
    }
  }
  const streamSections = new Map<string, string>();
  for (const s of intent.streams) {
    const name = streamListenerName(intent, s);
    streamSections.set(s.field, name);
    listeners.push(s.kind === 'tls-passthrough'
      ? { name, protocol: 'TLS', port: s.port, hostname: s.host, tls: { mode: enumValue('Passthrough') }, allowedRoutes: allowedRoutes('TLSRoute') }
      : { name, protocol: 'TCP', port: s.port, allowedRoutes: allowedRoutes('TCPRoute') });
  }
  problems.push(
    ...portProblems(state, intent, where),
    ...sniProblems(state, intent, where),
    ...nameProblems(state, intent, listeners, where),
    ...tlsWideProblems(state, intent, where),
  );
  const total = state.names.size + listeners.length;
  if (total > 64) {
    problems.push({
      field: 'hosts',
      message: `Gateway ${where} would have ${total} listeners with the ${listeners.length} of this exposure, and a Gateway has at most 64; `
        + 'attach some exposures to another GatewayApiGateway',
    });
  }
  return {
    hosts: created,
    plan: {
      namespace: state.namespace,
      listeners,
      routeSections,
      redirectSections,
      streamSections,
      frontendTls: frontendTls(intent),
      annotations: certManagerAnnotations(intent),
    },
    problems,
  };
}

function emptyPlan(state: SharedGatewayState): SharedGatewayPlan {
  return { namespace: state.namespace, listeners: [], routeSections: [], redirectSections: [], streamSections: new Map() };
}

/** Records the exposure's hosts, ports, listener names and TLS settings, and its plan to render. */
function commit(state: SharedGatewayState, intent: ExposureIntent, plan: SharedGatewayPlan, hosts: [string, HostListeners][]): void {
  for (const [host, entry] of hosts) state.hosts.set(host, entry);
  for (const [port, family] of portFamilies(intent)) if (!state.ports.has(port)) state.ports.set(port, { owner: intent.path, family });
  for (const l of plan.listeners) state.names.set(l.name, intent.path);
  for (const s of passthroughStreams(intent)) state.passedThrough.set(`${s.port} ${s.host}`, intent.path);
  if (intent.tls !== undefined && state.tlsWide === undefined) {
    state.tlsWide = { owner: intent.path, clientCertificates: describeClientCertificates(intent.tls), issuer: describeIssuer(intent.tls) };
  }
  state.plans.set(intent.path, plan);
}

/** The ports of the exposure's listeners and the protocol family each takes (HTTPS and TLS passthrough share a port by hostname). */
function portFamilies(intent: ExposureIntent): Map<number, PortFamily> {
  const ports = new Map<number, PortFamily>();
  if (intent.routes.length > 0) ports.set(80, 'plain HTTP');
  if (intent.routes.length > 0 && intent.tls !== undefined && intent.hosts.length > 0) ports.set(443, 'TLS');
  for (const s of intent.streams) ports.set(s.port, s.kind === 'tcp' ? 'TCP' : 'TLS');
  return ports;
}

/** A port of the Gateway takes one protocol family: plain HTTP, TLS (HTTPS and passthrough) or TCP. */
function portProblems(state: SharedGatewayState, intent: ExposureIntent, where: string): Problem[] {
  const problems: Problem[] = [];
  for (const [port, family] of portFamilies(intent)) {
    const taken = state.ports.get(port);
    if (taken === undefined || taken.owner === intent.path || taken.family === family) continue;
    const stream = intent.streams.find((s) => s.port === port);
    problems.push({
      field: stream === undefined ? (port === 443 ? 'tls' : 'hosts') : `${stream.field}.port`,
      message: `port ${port} on Gateway ${where} takes ${taken.family} for ExposedService ${taken.owner}, and this exposure declares ${family} on it; `
        + 'give one of them another port',
    });
  }
  return problems;
}

/**
 * HTTPS and TLS passthrough share port 443 by hostname: one hostname is either terminated (an
 * HTTPS listener) or passed through, never both (the Gateway would pick one of the listeners).
 */
function sniProblems(state: SharedGatewayState, intent: ExposureIntent, where: string): Problem[] {
  const problems: Problem[] = [];
  for (const s of passthroughStreams(intent)) {
    const https = s.port === 443 ? state.hosts.get(s.host) : undefined;
    if (https?.https === undefined || https.owner === intent.path) continue;
    problems.push({
      field: `${s.field}.host`,
      message: `"${s.host}" on port 443 of Gateway ${where} terminates TLS for ExposedService ${https.owner}; give one of them another host or port`,
    });
  }
  if (intent.tls === undefined) return problems;
  for (const host of intent.hosts) {
    const owner = state.passedThrough.get(`443 ${host}`);
    if (owner === undefined || owner === intent.path) continue;
    problems.push({
      field: 'hosts',
      message: `host ${host} on port 443 of Gateway ${where} is passed through undecrypted by ExposedService ${owner}; give one of them another host`,
    });
  }
  return problems;
}

/** Listener names are made of the exposure's name; two construct paths may make the same one. */
function nameProblems(state: SharedGatewayState, intent: ExposureIntent, listeners: gatewayApi.GatewaySpecListeners[], where: string): Problem[] {
  const owner = listeners.map((l) => state.names.get(l.name)).find((o) => o !== undefined && o !== intent.path);
  return owner === undefined ? [] : [{
    field: 'id',
    message: `the listeners it adds to Gateway ${where} have the names of those ExposedService ${owner} added (names are made of the construct path, `
      + 'so "a/b" and "a-b" meet); give one of them another id',
  }];
}

/**
 * The Gateway holds one client certificate validation for every HTTPS listener of it, and one
 * cert-manager annotation whose issuer issues every HTTPS listener's Secret: the exposures that
 * terminate TLS on it must declare the same of both.
 */
function tlsWideProblems(state: SharedGatewayState, intent: ExposureIntent, where: string): Problem[] {
  const wide = state.tlsWide;
  const tls = intent.tls;
  if (wide === undefined || tls === undefined || wide.owner === intent.path) return [];
  const problems: Problem[] = [];
  const clientCertificates = describeClientCertificates(tls);
  if (clientCertificates !== wide.clientCertificates) {
    problems.push({
      field: 'tls.clientCertificates',
      message: `Gateway ${where} validates client certificates alike on every HTTPS listener of it (frontend.default): ExposedService ${wide.owner} `
        + `declares ${wide.clientCertificates}, and this exposure ${clientCertificates}; declare the same, or attach to another GatewayApiGateway`,
    });
  }
  const issuer = describeIssuer(tls);
  if (issuer !== wide.issuer) {
    problems.push({
      field: 'tls',
      message: `cert-manager issues the Secret of every HTTPS listener of Gateway ${where} from the Gateway's one annotation: ExposedService ${wide.owner} `
        + `declares ${wide.issuer}, and this exposure ${issuer}; declare the same, or attach to another GatewayApiGateway`,
    });
  }
  return problems;
}

/** The TLS of a host as the errors name it; two exposures serve a host alike when these are equal. */
function describeTls(tls: TlsIntent | undefined, namespace: string | undefined): string {
  if (tls === undefined) return 'without TLS';
  const secret = `${tls.secretNamespace ?? namespace ?? ''}/${tls.secretName}`.replace(/^\//, '');
  // The issuer and the client certificates are the Gateway's, alike for every host: tlsWideProblems.
  return `with TLS from Secret ${secret} (redirect ${tls.redirectCode ?? 301})`;
}

function describeClientCertificates(tls: TlsIntent): string {
  const client = tls.clientCertificates;
  return client === undefined ? 'none' : `${client.mode === 'require' ? 'required' : 'optional'} against ${client.ca.kind === 'secret' ? 'Secret' : 'ConfigMap'} ${client.ca.name}`;
}

function describeIssuer(tls: TlsIntent): string {
  const cm = tls.certManager;
  return cm === undefined ? 'no cert-manager issuer' : `cert-manager ${cm.issuerKind} ${cm.issuerName}`;
}

/** A stream's listener: `<exposure>-tls-0` for passthrough[0], `<exposure>-tcp-5432` for a TCP port. */
function streamListenerName(intent: ExposureIntent, stream: StreamIntent): string {
  return stream.kind === 'tcp' ? `${intent.name}-tcp-${stream.port}` : `${intent.name}-tls-${intent.streams.indexOf(stream)}`;
}
