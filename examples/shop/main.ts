import { App } from 'cdk8s';
import { buildShop, STRATEGIES, StrategyName } from './app';

// EXPOSURE picks the strategy: nodePort, loadBalancer, ingress (default), ingress-nginx, istio, gateway-api
// api-gateway or api-gateway-kong.
const name = (process.env.EXPOSURE ?? 'ingress') as StrategyName;
if (!(name in STRATEGIES)) {
  throw new Error(`EXPOSURE=${name} is not one of ${Object.keys(STRATEGIES).join(', ')}`);
}
const app = new App();
buildShop(app, name);
app.synth();
