import type { IConstruct } from 'constructs';
import { credentialOf } from './kong-checks';
import { Problem } from '../../../core/errors';
import { dnsName } from '../../../core/naming';
import { ExposureIntent, policyField } from '../../../intent/model';
import { perApp } from '../../shared/per-app';

/*
 * A credential Secret is one KongConsumer's: Kong gives a credential (a key, a username, a JWT
 * issuer) to one consumer, and KIC refuses a Secret two KongConsumers list. Exposures of an app
 * that name one Secret share its consumer: named after the Secret alone, created by the first of
 * them, admitted by the acl of each.
 */

/** The KongConsumer of a credential Secret, its username (the acl group its routes admit), and its acl credential Secret. */
export interface KongConsumerNames {
  readonly name: string;
  readonly username: string;
  readonly aclSecret: string;
}

/**
 * The KongConsumer of the credential Secret `secret` of the exposure's namespace: named after the
 * Secret; its username (cluster-wide in Kong) carries the namespace.
 */
export function consumerOf(intent: ExposureIntent, secret: string): KongConsumerNames {
  return {
    name: secret,
    username: intent.namespace === undefined ? secret : `${intent.namespace}/${secret}`,
    aclSecret: dnsName(`${secret}-acl`, 253),
  };
}

/** Who registered a credential Secret first, and what it is read as (`basic-auth`, or `jwt` with its issuer). */
interface Registered {
  readonly owner: string;
  readonly kind: string;
}

const credentialsOf = perApp<Registered>();

/**
 * Registers the exposure's credential Secrets on the app's registry; returns every Secret another
 * exposure of the app reads as another kind of credential (or the key of another JWT issuer).
 */
export function registerKongCredentials(scope: IConstruct, intent: ExposureIntent): Problem[] {
  const registry = credentialsOf(scope);
  const problems: Problem[] = [];
  const added = new Map<string, Registered>();
  for (const route of intent.routes) {
    const credential = credentialOf(route.auth);
    if (credential === undefined) continue;
    const key = `${intent.namespace ?? ''}\n${credential.secret}`;
    const kind = route.auth?.kind === 'jwt' ? `jwt key of issuer ${route.auth.issuer}` : `${credential.type} credential`;
    const first = registry.get(key);
    if (first !== undefined && first.owner !== intent.path && first.kind !== kind) {
      problems.push({
        field: policyField(route, 'auth'),
        message: `Secret "${credential.secret}" is the ${first.kind} of ExposedService ${first.owner}, and a Secret is one KongConsumer's credential `
          + '(label konghq.com/credential): use another Secret',
      });
    }
    if (first === undefined) added.set(key, { owner: intent.path, kind });
  }
  if (problems.length === 0) added.forEach((value, key) => registry.set(key, value));
  return problems;
}

/** True when the exposure creates the KongConsumer of the Secret: it registered it first, or nothing was registered (rendered alone). */
export function createsConsumer(scope: IConstruct, intent: ExposureIntent, secret: string): boolean {
  const owner = credentialsOf(scope).get(`${intent.namespace ?? ''}\n${secret}`)?.owner;
  return owner === undefined || owner === intent.path;
}
