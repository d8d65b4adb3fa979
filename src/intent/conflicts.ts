import { IConstruct } from 'constructs';
import { Problem, throwIfProblems } from './errors';
import { describeMatch, ExposureIntent } from './model';
import { RouteClaims } from '../strategies/renderer';

// Per app: what each (scope, host, match) is claimed by.
const claimsByApp = new WeakMap<IConstruct, Map<string, string>>();

/**
 * Fails when another ExposedService of the same app already claims one of these hosts and
 * matches in the same scope: the controller would merge or drop one of them, silently.
 */
export function registerClaims(scope: IConstruct, intent: ExposureIntent, claims: RouteClaims | undefined): void {
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
  throwIfProblems(scope, problems);
  for (const key of keys) owners.set(key, intent.path);
}
