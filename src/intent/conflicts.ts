import { ApiObject } from 'cdk8s';
import { IConstruct } from 'constructs';
import { backendField, describeMatch, ExposureIntent, MatchIntent } from './model';
import { Problem, throwIfProblems } from '../core/errors';

/** What an exposure claims in a scope it shares with other exposures (an ingress class, a gateway). */
export interface Claims {
  /** The shared listener, as errors name it: `ingress class nginx`. */
  readonly scope: string;
  readonly routes: readonly { readonly field: string; readonly match: MatchIntent }[];
}

// Per app: what each (scope, host, match) is claimed by.
const claimsByApp = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Fails when another ExposedService of the same app already claims one of these hosts and
 * matches, or one of its stream ports or passthrough hostnames, in the same scope: the controller
 * would merge or drop one of them, silently.
 */
export function registerClaims(scope: IConstruct, intent: ExposureIntent, claims: Claims | undefined): void {
  if (claims === undefined) return;
  const root = scope.node.root;
  let owners = claimsByApp.get(root);
  if (owners === undefined) {
    owners = new Map();
    claimsByApp.set(root, owners);
  }
  const hosts = intent.hosts.length > 0 ? intent.hosts : ['*'];
  const problems: Problem[] = [];
  const keys: string[] = [];
  for (const route of claims.routes) {
    for (const host of hosts) {
      const key = `${claims.scope}\n${host}\n${JSON.stringify(route.match)}`;
      const owner = owners.get(key);
      if (owner !== undefined && owner !== intent.path) {
        problems.push({
          field: route.field,
          message: `host ${host === '*' ? '(every host)' : host} with ${describeMatch(route.match)} on ${claims.scope} is already claimed by ExposedService ${owner}; give one of them another host or path`,
        });
      }
      keys.push(key);
    }
  }
  const streams = streamClaims(claims.scope, intent, owners);
  throwIfProblems(scope, [...problems, ...streams.problems]);
  for (const key of keys) owners.set(key, intent.path);
  for (const [key, value] of streams.entries) owners.set(key, value);
}

/**
 * The streams' claims in the shared scope: a TCP port takes every connection to it, so it is
 * one exposure's; a passthrough port is shared by SNI hostname, each hostname one exposure's.
 */
function streamClaims(scope: string, intent: ExposureIntent, owners: Map<string, string>): { problems: Problem[]; entries: [string, string][] } {
  const problems: Problem[] = [];
  const entries: [string, string][] = [];
  for (const s of intent.streams) {
    const portKey = `${scope}\nport\n${s.port}`;
    const [owner, kind] = (owners.get(portKey) ?? '').split('\n');
    if (owner && owner !== intent.path && (kind === 'tcp' || s.kind === 'tcp')) {
      problems.push({
        field: `${s.field}.port`,
        message: `port ${s.port} on ${scope} is already claimed by ExposedService ${owner} (${kind === 'tcp' ? 'a TCP port' : 'TLS passthrough'}); give one of them another port`,
      });
    }
    entries.push([portKey, `${intent.path}\n${s.kind}`]);
    if (s.kind !== 'tls-passthrough') continue;
    const hostKey = `${scope}\nsni\n${s.port}\n${s.host}`;
    const hostOwner = owners.get(hostKey);
    if (hostOwner !== undefined && hostOwner !== intent.path) {
      problems.push({
        field: `${s.field}.host`,
        message: `"${s.host}" on port ${s.port} of ${scope} is already passed through by ExposedService ${hostOwner}; give one of them another host or port`,
      });
    }
    entries.push([hostKey, intent.path]);
  }
  return { problems, entries };
}

// Per app: which ExposedService created each object, by API group, kind, namespace and name.
const objectsByApp = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Fails when an object the exposure created has the API group, kind, namespace and name of one
 * another ExposedService of the same app created (in any chart: two charts may share a
 * namespace): applied together, one would replace the other. Names come from construct paths,
 * where `api/v1` and `api-v1`, or chart `test` with `x-public` and chart `test-x` with `public`,
 * give the same name.
 */
export function registerObjectNames(exposure: IConstruct): void {
  const root = exposure.node.root;
  let owners = objectsByApp.get(root);
  if (owners === undefined) {
    owners = new Map();
    objectsByApp.set(root, owners);
  }
  const problems: Problem[] = [];
  const keys: string[] = [];
  for (const o of exposure.node.findAll()) {
    if (!ApiObject.isApiObject(o)) continue;
    const namespace = o.metadata.namespace;
    const key = `${o.apiGroup}\n${o.kind}\n${namespace ?? ''}\n${o.name}`;
    const owner = owners.get(key);
    if (owner !== undefined && owner !== exposure.node.path) {
      problems.push({
        field: 'id',
        message: `the ${o.kind} "${o.name}"${namespace === undefined ? '' : ` in namespace ${namespace}`} it creates has the name of the one ExposedService ${owner} creates, `
          + 'and one would replace the other when applied; give one of them another id (names are made of the construct path, so "a/b" and "a-b" meet)',
      });
    }
    keys.push(key);
  }
  throwIfProblems(exposure, problems);
  for (const key of keys) owners.set(key, exposure.node.path);
}

// Per Deployment: the target port and protocol each Service port of its backend Service has, and
// the ExposedService field that declared it.
interface DeclaredPort {
  readonly targetPort?: number;
  readonly protocol: string;
  /** `<exposure path>: <field>` of the first declaration. */
  readonly owner: string;
}
const portsByDeployment = new WeakMap<object, Map<number, DeclaredPort>>();

/**
 * The backends of `Backend.fromDeployment` share one Service per Deployment, with one port per
 * Service port number: a port declared again with another target port or protocol (by this
 * exposure or another) would silently keep the first. Fails naming both; records the ports.
 */
export function registerDeploymentPorts(scope: IConstruct, intent: ExposureIntent): void {
  const problems: Problem[] = [];
  const added: [Map<number, DeclaredPort>, number, DeclaredPort][] = [];
  for (const backend of intent.backends) {
    if (backend.deployment === undefined) continue;
    let ports = portsByDeployment.get(backend.deployment);
    if (ports === undefined) {
      ports = new Map();
      portsByDeployment.set(backend.deployment, ports);
    }
    const field = backendField(intent, backend);
    const existing = ports.get(backend.port) ?? added.find(([p, port]) => p === ports && port === backend.port)?.[2];
    const declared = { targetPort: backend.targetPort, protocol: backend.protocol, owner: `${intent.path}: ${field}` };
    if (existing === undefined) {
      added.push([ports, backend.port, declared]);
    } else if (existing.targetPort !== declared.targetPort || existing.protocol !== declared.protocol) {
      problems.push({
        field,
        message: `port ${backend.port} of Deployment "${backend.name}" goes to target port ${declared.targetPort} (${declared.protocol}), but ${existing.owner} `
          + `declared it with target port ${existing.targetPort} (${existing.protocol}); their Service has one port ${backend.port}: use another port, or the same target and protocol`,
      });
    }
  }
  throwIfProblems(scope, problems);
  for (const [ports, port, declared] of added) ports.set(port, declared);
}
