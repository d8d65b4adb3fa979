import * as fs from 'fs';
import * as path from 'path';
import { Duration, Size } from 'cdk8s';
import {
  AccessPolicy, Backend, ExposedService, ExposedServiceProps, ExposureError, ExposureStrategy, HeaderMatch, PathMatch, SessionAffinity,
} from '../src';
import { testChart } from './support/synth';

/**
 * The error examples of README's Errors section are real: each group of lines (one per kind of
 * problem) is exactly the message of the declaration below that the README's text describes.
 */
const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

function errorsSectionGroups(): string[] {
  const section = README.slice(README.indexOf('\n## Errors\n'), README.indexOf('\n## Security\n'));
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1];
  if (block === undefined) throw new Error('README Errors section has no example block');
  return block.trim().split(/\n\s*\n/);
}

function messageOf(props: Partial<ExposedServiceProps>): string {
  try {
    new ExposedService(testChart('shop'), 'public', props as ExposedServiceProps);
  } catch (e) {
    if (e instanceof ExposureError) return e.message;
    throw e;
  }
  throw new Error('expected the declaration to fail');
}

const api = () => Backend.fromName('api', 8080);

test('README error examples: one per kind of problem, each the real message', () => {
  expect(errorsSectionGroups()).toEqual([
    // Round 1: runtime types (a misspelled field, a string where a PathMatch goes).
    messageOf({ strategy: ExposureStrategy.istio(), backend: api(), rout: [], routes: [{ match: { path: '/api' } }] } as any),
    // Round 2: values (on a strategy that expresses everything declared).
    messageOf({
      strategy: ExposureStrategy.istio(),
      hosts: ['Shop.example.com'],
      backend: api(),
      routes: [
        { match: { path: PathMatch.prefix('/api') } },
        { match: { path: PathMatch.prefix('/api') } },
        { match: { path: PathMatch.regex('/(?<id>[a-z]+)/\\k<id>') } },
      ],
    }),
    // Round 2 too: what the strategy cannot express.
    messageOf({
      strategy: ExposureStrategy.ingress({ className: 'nginx' }),
      backend: api(),
      routes: [{
        match: { path: PathMatch.prefix('/api'), headers: [HeaderMatch.exact('x-canary', 'always')] },
        timeout: Duration.seconds(5),
        idleTimeout: Duration.hours(1),
      }],
      access: AccessPolicy.denyFrom(['203.0.113.0/24']),
      maxRequestBody: Size.mebibytes(8),
      affinity: SessionAffinity.cookie({ name: 'route' }),
    }),
  ]);
});
