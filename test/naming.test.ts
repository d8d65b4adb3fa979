import { Chart, Testing } from 'cdk8s';
import { Construct } from 'constructs';
import { dnsName, resourceName } from '../src/core/naming';

describe('names', () => {
  test('derived from the construct path below the app', () => {
    const chart = new Chart(Testing.app(), 'shop');
    expect(resourceName(new Construct(chart, 'public'))).toBe('shop-public');
    expect(resourceName(new Construct(new Construct(chart, 'Team'), 'Public_API'), 'tls')).toBe('shop-team-public-api-tls');
  });

  test('shortened with a stable hash when too long', () => {
    const long = `shop-${'very-long-construct-id-'.repeat(4)}`;
    const name = dnsName(long);
    expect(name).toHaveLength(63);
    expect(name).toMatch(/^shop-very-long-construct-id-very-long-construct-id-ver-[0-9a-f]{8}$/);
    expect(dnsName(long)).toBe(name);
    expect(dnsName(`${long}x`)).not.toBe(name);
  });

  test('always a DNS-1035 label', () => {
    expect(dnsName('1st')).toBe('x-1st');
    expect(dnsName('--A..b--')).toBe('a-b');
  });
});
