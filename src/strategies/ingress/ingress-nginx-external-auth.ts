import { acceptedAnnotationValue, ANNOTATION_PREFIX, refusalEffect } from './ingress-nginx-annotation-values';
import type { Problem } from '../../core/errors';
import { ExposureIntent, RouteIntent } from '../../intent/model';

/*
 * External authentication on ingress-nginx: `auth-url` (the auth service, by its in-cluster name,
 * at the declared prefix followed by the URI as the client sent it), `auth-response-headers`, and
 * `auth-signin` for the sign-in redirect. No snippet (`auth-snippet` is refused by the
 * controller's default risk level), no `auth-request-redirect`.
 */

const A = ANNOTATION_PREFIX;

/** ingress-nginx reads an answer header through `$upstream_http_<name>`, and its parser takes letters, digits, "-" and "_" only. */
const HEADER_NAME = /^[A-Za-z0-9-]+$/;

/** What the annotations cannot carry of a route's external authentication. */
export function externalAuthProblems(route: RouteIntent, intent: ExposureIntent): Problem[] {
  const auth = route.auth;
  if (auth?.kind !== 'external') return [];
  const field = route.sources.auth!;
  const problems: Problem[] = [];
  if (authNamespace(route, intent) === undefined) {
    problems.push({
      field: `${field}.service`,
      message: 'ingress-nginx resolves the auth-url host from its own namespace; give the chart a namespace or the auth service one (Backend.fromName(name, port, { namespace }))',
    });
  }
  // auth-url is plain http: the controller has no annotation to verify an auth service's certificate.
  if (auth.service.tls !== undefined) {
    problems.push({
      field: `${field}.service`,
      message: 'ingress-nginx calls the auth service over plain HTTP (auth-url) and cannot verify its certificate; remove tls, or use gatewayApi (experimental)',
    });
  }
  const prefix = auth.pathPrefix ?? '';
  // The prefix is written before $request_uri: a "$" of it would be read as a variable.
  if (prefix.includes('$') || !acceptedAnnotationValue('auth-url', `http://authz.shop.svc:80${prefix}$request_uri`)) {
    problems.push({
      field: `${field}.path`,
      message: `ingress-nginx (v1.12+ validates annotations) refuses auth-url with the path ${JSON.stringify(prefix)} and ${refusalEffect('auth-url')}; `
        + 'use letters, digits and "-._~/:,&=", or use istio, gatewayApi or apiGateway',
    });
  }
  const url = auth.signinUrl;
  if (url !== undefined && (url.includes('$') || !acceptedAnnotationValue('auth-signin', url))) {
    problems.push({
      field: `${field}.signinUrl`,
      message: `ingress-nginx (v1.12+ validates annotations) refuses auth-signin ${JSON.stringify(url)} and ${refusalEffect('auth-signin')}; `
        + 'use letters, digits and "-._~/:,?&=" (no "$", which nginx expands, or "%"), or use apiGateway',
    });
  }
  auth.responseHeaders.filter((h) => !HEADER_NAME.test(h)).forEach((h) => problems.push({
    field: `${field}.responseHeaders`,
    message: `ingress-nginx copies header "${h}" of the auth answer only if its name is letters, digits and "-"; rename it, or use istio, gatewayApi or apiGateway`,
  }));
  return problems;
}

/** The annotations of a route's external authentication; the route passed `externalAuthProblems`. */
export function externalAuthAnnotations(route: RouteIntent, intent: ExposureIntent): Record<string, string> {
  const auth = route.auth;
  if (auth?.kind !== 'external') return {};
  const namespace = authNamespace(route, intent);
  if (namespace === undefined) throw new Error('ingress-nginx: the check let through an auth service without a namespace');
  return {
    // ingress-nginx sends the auth request from the controller's namespace: the Service's qualified name.
    [`${A}auth-url`]: `http://${auth.service.name}.${namespace}.svc:${auth.service.port}${auth.pathPrefix ?? ''}$request_uri`,
    ...(auth.responseHeaders.length > 0 ? { [`${A}auth-response-headers`]: auth.responseHeaders.join(',') } : {}),
    ...(auth.signinUrl !== undefined ? { [`${A}auth-signin`]: auth.signinUrl } : {}),
  };
}

function authNamespace(route: RouteIntent, intent: ExposureIntent): string | undefined {
  return route.auth?.kind === 'external' ? route.auth.service.namespace ?? intent.namespace : undefined;
}
