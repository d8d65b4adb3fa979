import type { IngressDialect, IngressPathPlan } from './dialect';
import { INGRESS_GENERIC } from './generic';
import { refusedAnnotations } from './ingress-nginx-annotation-values';
import { A, policyAnnotations, policyProblems } from './ingress-nginx-policies';
import { Problem } from '../../core/errors';
import { Capabilities, StrategyCapabilities } from '../../intent/capabilities';
import { ExposureIntent, passthroughStreams, RouteIntent } from '../../intent/model';
import { escapeRegex } from '../shared/regex';

/** ingress-nginx: the spec plus what its annotations carry. */
const INGRESS_NGINX: Capabilities = {
  ...INGRESS_GENERIC,
  'path-regex': 'annotation',
  'grpc': 'annotation',
  'weighted-backends': 'annotation',
  'timeout': 'annotation',
  'idle-timeout': 'annotation',
  'retries': 'annotation',
  'rewrite-path': 'annotation',
  'rewrite-host': 'annotation',
  'redirect': 'annotation',
  'mirror': 'annotation',
  'cors': 'annotation',
  'rate-limit': 'annotation',
  'auth-basic': 'annotation',
  'auth-external': 'annotation',
  'ip-allow-list': 'annotation',
  'ip-deny-list': 'annotation',
  'https-redirect-code': 'annotation',
  'max-request-body': 'annotation',
  'client-certificates': 'annotation',
  'client-certificates-optional': 'annotation',
  'client-ca-secret': 'annotation',
  'client-certificate-depth': 'annotation',
  // No circuit breaking: upstream-max-fails and upstream-fail-timeout were removed with the Lua
  // balancer (kubernetes/ingress-nginx#3207), and no annotation limits connections to a backend.
  'connection-limits': 'none',
  'outlier-detection': 'none',
  // A cookie the controller sets (affinity: cookie); a header or the client address through upstream-hash-by.
  'affinity-cookie': 'annotation',
  'affinity-header': 'annotation',
  'affinity-client-ip': 'annotation',
  'backend-tls': 'annotation',
  'backend-tls-unverified': 'annotation',
  // ssl-passthrough; raw TCP is the controller's tcp-services ConfigMap, cluster-wide, not the exposure's.
  'tls-passthrough': 'annotation',
};

export const INGRESS_NGINX_ROW: StrategyCapabilities = {
  strategy: 'ingress (ingressNginx)',
  capabilities: INGRESS_NGINX,
  variantOf: 'ingress',
  notes: 'ingress-nginx annotations (`IngressController.ingressNginx()`); the HTTPS redirect answers the controller `http-redirect-code` (308 by default), so only 308 is taken; client certificates through `auth-tls-*` (the CA from a Secret; the identity in `ssl-client-verify`, `ssl-client-subject-dn`, `ssl-client-issuer-dn` and the URL-encoded PEM in `ssl-client-cert`); ingress-nginx was retired in March 2026: `gatewayApi` is the way off it. '
    + 'TLS passthrough as an Ingress per host with `ssl-passthrough` on :443 (the controller needs `--enable-ssl-passthrough`); TCP ports are the controller\'s cluster-wide `tcp-services` ConfigMap, not rendered.',
};

/**
 * ingress-nginx: the intent's policies as `nginx.ingress.kubernetes.io/*` annotations.
 *
 * Annotations apply to a whole Ingress, so routes with different policies end up in different
 * Ingress objects for the same host, which ingress-nginx merges. Header edits are not mapped:
 * they need configuration snippets, which ingress-nginx disables by default for security.
 */
export const INGRESS_NGINX_DIALECT: IngressDialect = {
  row: INGRESS_NGINX_ROW,

  check(route: RouteIntent, intent: ExposureIntent): Problem[] {
    return [...policyProblems(route, intent), ...cookiePathOfRegexRoute(route)];
  },

  exposureProblems(intent: ExposureIntent): Problem[] {
    // ssl-redirect answers the controller's http-redirect-code (ConfigMap; 308 by default) for
    // every Ingress alike: no annotation chooses it per Ingress.
    const code = intent.tls?.redirectCode;
    const redirect = code === undefined || code === 308 ? [] : [{
      field: 'httpsRedirectCode',
      message: `ingress-nginx redirects to HTTPS with its controller's http-redirect-code (308 by default) for every Ingress; an Ingress cannot choose ${code}: `
        + 'use 308, or gatewayApi or apiGateway',
    }];
    // auth-tls-secret is read as namespace/name only (a bare name denies every location).
    const client = intent.tls?.clientCertificates;
    const caWithoutNamespace = client === undefined || intent.namespace !== undefined ? [] : [{
      field: 'tls.clientCertificates.caSecret',
      message: 'ingress-nginx reads auth-tls-secret as namespace/name; give the chart a namespace',
    }];
    return [...redirect, ...caWithoutNamespace, ...passthroughProblems(intent)];
  },

  passthroughAnnotations: { [`${A}ssl-passthrough`]: 'true' },

  route(route: RouteIntent, intent: ExposureIntent): IngressPathPlan {
    const { path, pathType, annotations } = pathOf(route);
    return { path, pathType, annotations: accepted({ ...annotations, ...policyAnnotations(route, intent) }) };
  },

  exposureAnnotations(intent: ExposureIntent): Record<string, string> {
    // ingress-nginx redirects to HTTPS when an Ingress has TLS; said explicitly, so it shows in review.
    return accepted({ ...(intent.tls ? { [`${A}ssl-redirect`]: 'true' } : {}), ...clientCertificateAnnotations(intent) });
  },

  canaryAnnotations(canaryWeight: number, totalWeight: number): Record<string, string> {
    return accepted({
      [`${A}canary`]: 'true',
      [`${A}canary-weight`]: String(canaryWeight),
      [`${A}canary-weight-total`]: String(totalWeight),
    });
  },
};

/**
 * Client certificates: the host's server verifies them (`ssl_verify_client on|optional` against the
 * Secret's ca.crt); every location then sends the backend ssl-client-verify, ssl-client-subject-dn
 * and ssl-client-issuer-dn, and with pass-certificate-to-upstream ssl-client-cert (the URL-encoded
 * PEM), each set by the controller over whatever a client sent under those names.
 */
function clientCertificateAnnotations(intent: ExposureIntent): Record<string, string> {
  const client = intent.tls?.clientCertificates;
  if (client === undefined || intent.namespace === undefined) return {};
  return {
    [`${A}auth-tls-secret`]: `${intent.namespace}/${client.ca.name}`,
    [`${A}auth-tls-verify-client`]: client.mode === 'require' ? 'on' : 'optional',
    ...(client.verifyDepth === undefined ? {} : { [`${A}auth-tls-verify-depth`]: String(client.verifyDepth) }),
    [`${A}auth-tls-pass-certificate-to-upstream`]: 'true',
  };
}

/**
 * The sticky cookie's path is the location's by default; on a regex location (use-regex) that is
 * the regex, which no browser matches, so ingress-nginx requires session-cookie-path there.
 */
function cookiePathOfRegexRoute(route: RouteIntent): Problem[] {
  const a = route.affinity;
  if (a?.kind !== 'cookie' || a.path !== undefined || pathOf(route).annotations[`${A}use-regex`] === undefined) return [];
  return [{
    field: route.sources.affinity!,
    message: `ingress-nginx writes ${route.field} as a regex location (a regex path or a prefix rewrite), and the cookie's default path would be that regex; `
      + 'set the cookie\'s path, e.g. SessionAffinity.cookie({ name, path: \'/\' })',
  }];
}

/**
 * ingress-nginx passes TLS through on its HTTPS port (443) only, looking the SNI hostname up
 * exactly, and then for the whole host (its HTTP routes on 443 too).
 */
function passthroughProblems(intent: ExposureIntent): Problem[] {
  return passthroughStreams(intent).flatMap((s) => [
    ...(s.port === 443 ? [] : [{ field: `${s.field}.port`, message: `ingress-nginx passes TLS through on its HTTPS port only; use 443, or istio or gatewayApi for ${s.port}` }]),
    ...(!s.host.startsWith('*.') ? [] : [{ field: `${s.field}.host`, message: 'ingress-nginx passes TLS through by the exact SNI hostname; list the hostnames, or use istio or gatewayApi for a wildcard' }]),
    ...(!intent.hosts.includes(s.host) ? [] : [{ field: `${s.field}.host`, message: `ingress-nginx would pass the whole host "${s.host}" through, its HTTP routes too; use another hostname` }]),
  ]);
}

/** Annotations whose values ingress-nginx (v1.12+) takes as written: the checks refused the others. */
function accepted(annotations: Record<string, string>): Record<string, string> {
  const refused = refusedAnnotations(annotations);
  if (refused.length > 0) throw new Error(`ingress-nginx: the check let through annotation values the controller refuses: ${refused.join(', ')}`);
  return annotations;
}

/**
 * The Ingress path of a route, and its rewrite annotations. ingress-nginx rewrites with
 * `rewrite-target` and regex capture groups, so a prefix route with a path rewrite becomes a
 * regex path; regex paths are anchored at both ends because the intent's regexes match the whole
 * path (ingress-nginx anchors only the start, and matches case-insensitively).
 */
function pathOf(route: RouteIntent): IngressPathPlan {
  const { kind, value } = route.match.path;
  const rewrite = route.rewrite?.path;
  // Grouped, so an alternation (a|b) is anchored as a whole.
  if (kind === 'regex') return regexPath(`(?:${value})$`, rewrite);
  if (kind === 'exact') return { path: value, pathType: 'Exact', annotations: rewriteTarget(rewrite) };
  if (rewrite === undefined) return { path: value, pathType: 'Prefix', annotations: {} };
  // Element-wise prefix replacement: /api(/|$)(.*) with target /v2$1$2 turns /api/x into /v2/x
  // and /api into /v2; a target ending in "/" takes only the rest ($2).
  if (value === '/') return regexPath('/(.*)', rewrite.endsWith('/') ? `${rewrite}$1` : `${rewrite}/$1`);
  return regexPath(`${escapeRegex(value)}(/|$)(.*)`, rewrite.endsWith('/') ? `${rewrite}$2` : `${rewrite}$1$2`);
}

/** A regex path (`use-regex`), rewritten to `target` when there is one. */
function regexPath(path: string, target: string | undefined): IngressPathPlan {
  return { path, pathType: 'ImplementationSpecific', annotations: { ...rewriteTarget(target), [`${A}use-regex`]: 'true' } };
}

function rewriteTarget(target: string | undefined): Record<string, string> {
  return target === undefined ? {} : { [`${A}rewrite-target`]: target };
}
