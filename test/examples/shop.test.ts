import { Testing } from 'cdk8s';
import { buildShop, STRATEGIES, StrategyName } from '../../examples/shop/app';
import { find, ofKind, synthChecked } from '../support/synth';

describe('examples/shop', () => {
  test.each(Object.keys(STRATEGIES) as StrategyName[])('synthesizes valid manifests with %s', (name) => {
    const manifests = synthChecked(buildShop(Testing.app(), name));
    expect(manifests).toMatchSnapshot();
  });

  test('ingress: the API and health check go to the Deployment, the rest to the storefront', () => {
    const manifests = synthChecked(buildShop(Testing.app(), 'ingress'));
    const service = find(manifests, 'Service');
    expect(find(manifests, 'Ingress').spec.rules[0].http.paths.map((p: any) => [p.path, p.pathType, p.backend.service.name])).toEqual([
      ['/healthz', 'Exact', service.metadata.name],
      ['/api', 'Prefix', service.metadata.name],
      ['/', 'Prefix', 'storefront'],
    ]);
  });

  test('nodePort: one NodePort Service and no Ingress', () => {
    const manifests = synthChecked(buildShop(Testing.app(), 'nodePort'));
    expect(ofKind(manifests, 'Ingress')).toEqual([]);
    expect(ofKind(manifests, 'Service').map((s) => s.spec.type)).toEqual(['NodePort']);
  });
});
