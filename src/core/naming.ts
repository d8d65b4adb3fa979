import { createHash } from 'crypto';
import { Chart } from 'cdk8s';
import { IConstruct } from 'constructs';

/**
 * A deterministic object name from the construct path below the app: the chart id, then each
 * construct id (`shop/public` -> `shop-public`), plus an optional suffix.
 *
 * The name is a DNS-1035 label (lowercase alphanumerics and "-", starting with a letter, so it
 * is valid for Services too) of at most `maxLength` characters. When the path has to be
 * shortened, an 8-character hash of the full path is appended, so names stay unique and stable.
 */
export function resourceName(scope: IConstruct, suffix?: string, maxLength = 63): string {
  const chart = Chart.of(scope);
  const scopes = scope.node.scopes;
  const ids = scopes.slice(scopes.indexOf(chart)).map((c) => c.node.id).filter((id) => id !== '' && id !== 'Default');
  if (suffix !== undefined) ids.push(suffix);
  return dnsName(ids.join('-'), maxLength);
}

/** Turns any string into a DNS-1035 label of at most `maxLength` characters (see `resourceName`). */
export function dnsName(raw: string, maxLength = 63): string {
  let name = raw.toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/-+/g, '-').replace(/^-+|-+$/g, '');
  if (!/^[a-z]/.test(name)) name = `x-${name}`.replace(/-+$/, '');
  if (name.length <= maxLength) return name;
  const hash = createHash('sha256').update(raw).digest('hex').slice(0, 8);
  return `${name.slice(0, maxLength - hash.length - 1).replace(/-+$/, '')}-${hash}`;
}
