import type { ApiObject } from 'cdk8s';
import type { Construct } from 'constructs';
import { GatewayImplementationResources } from './implementation';
import { credentialOf } from './kong-checks';
import { consumerOf, createsConsumer } from './kong-consumers';
import { KongKinds } from './kong-kinds';
import { kongPluginsByRoute, NamedKongPlugin } from './kong-plugins';
import { ExposureIntent } from '../../../intent/model';
import { kube } from '../../shared/kube';

/** The label by which the Kong Ingress Controller (3.0+) reads a Secret as a credential of that kind. */
export const CREDENTIAL_LABEL = 'konghq.com/credential';
/** KIC loads a KongConsumer only with the ingress class it serves (`kong` by default, for Gateway API too). */
const INGRESS_CLASS = { 'kubernetes.io/ingress.class': 'kong' };

/**
 * The KongPlugins the HTTPRoute's rules reference, once each; a KongConsumer per credential Secret
 * (the user's Secret, read as KIC reads it) in the acl group its routes admit, and that group as an
 * `acl` credential Secret (a name, no key material), unless another exposure of the app created them.
 */
export function renderKongObjects(scope: Construct, kinds: KongKinds, intent: ExposureIntent): GatewayImplementationResources {
  const plugins = new Map<string, NamedKongPlugin>();
  for (const rulePlugins of kongPluginsByRoute(intent).values()) rulePlugins.forEach((p) => plugins.set(p.name, p));
  const kongPlugins = [...plugins.values()].map((p) => new kinds.KongPlugin(scope, `KongPlugin-${p.name}`, {
    metadata: { name: p.name },
    plugin: p.plugin,
    config: p.config,
  }));
  const secrets = [...new Set(intent.routes.flatMap((r) => credentialOf(r.auth)?.secret ?? []))];
  const kongConsumers: ApiObject[] = [];
  const kongAclSecrets: ApiObject[] = [];
  // Another exposure of the app that names the Secret may have created its consumer.
  for (const secret of secrets.filter((s) => createsConsumer(scope, intent, s))) {
    const consumer = consumerOf(intent, secret);
    kongAclSecrets.push(new (kube().KubeSecret)(scope, `KongAcl-${secret}`, {
      metadata: { name: consumer.aclSecret, labels: { [CREDENTIAL_LABEL]: 'acl' } },
      stringData: { group: consumer.username },
    }));
    kongConsumers.push(new kinds.KongConsumer(scope, `KongConsumer-${secret}`, {
      metadata: { name: consumer.name, annotations: INGRESS_CLASS },
      username: consumer.username,
      credentials: [secret, consumer.aclSecret],
    }));
  }
  return {
    kongPlugins: kongPlugins.length === 0 ? undefined : kongPlugins,
    kongConsumers: kongConsumers.length === 0 ? undefined : kongConsumers,
    kongAclSecrets: kongAclSecrets.length === 0 ? undefined : kongAclSecrets,
  };
}
