/**
 * The Ingress's class (which controller reads it) and its annotations other than ingress-nginx's:
 * cert-manager's issuer is kept; every other annotation is reported, never guessed.
 */
import { NGINX_PREFIX } from './ingress-nginx-annotations';
import { objectName } from './manifest-reader';
import { Loss, SourceDocument } from './model';
import { dnsSubdomainProblem } from '../core/validators';

const INGRESS_NGINX_CONTROLLER = 'k8s.io/ingress-nginx';
const CLASS_ANNOTATION = 'kubernetes.io/ingress.class';

/**
 * The class (`spec.ingressClassName`, else the legacy annotation) and whether ingress-nginx reads
 * the Ingress: it has ingress-nginx annotations, its class is `nginx`, or an IngressClass of the
 * input names the ingress-nginx controller.
 */
export function readIngressClass(
  m: Readonly<Record<string, any>>, annotations: Readonly<Record<string, string>>, all: readonly SourceDocument[],
): { className?: string; nginx: boolean; losses: Loss[] } {
  const losses: Loss[] = [];
  const source = objectName(m);
  const specClass = typeof m.spec?.ingressClassName === 'string' ? m.spec.ingressClassName : undefined;
  const annotationClass = annotations[CLASS_ANNOTATION];
  if (specClass !== undefined && annotationClass !== undefined && specClass !== annotationClass) {
    losses.push({ source, field: CLASS_ANNOTATION, reason: `${JSON.stringify(annotationClass)} differs from spec.ingressClassName (${specClass}), which is kept`, kind: 'invalid' });
  }
  let className = specClass ?? annotationClass;
  const classProblem = className === undefined ? undefined : dnsSubdomainProblem(className, 'class');
  if (classProblem !== undefined) {
    losses.push({ source, field: specClass !== undefined ? 'spec.ingressClassName' : CLASS_ANNOTATION, reason: `${classProblem}: not read`, kind: 'invalid' });
    className = undefined;
  }
  const ingressClass = all.find((d) => d.manifest.kind === 'IngressClass' && d.manifest.metadata?.name === className);
  const controller = ingressClass?.manifest.spec?.controller;
  const nginx = Object.keys(annotations).some((k) => k.startsWith(NGINX_PREFIX))
    || (controller === undefined ? className === 'nginx' : controller === INGRESS_NGINX_CONTROLLER);
  if (className === undefined) {
    losses.push({
      source,
      field: 'spec.ingressClassName',
      reason: `unset (the cluster's default IngressClass): sourceStrategy() names the class ${nginx ? '"nginx"' : '"default"'}; set yours`,
      kind: 'unsupported',
    });
  }
  return { className, nginx, losses };
}

/** Losses for the annotations that are neither ingress-nginx's nor read here. */
export function readOtherAnnotations(annotations: Readonly<Record<string, string>>, source: string, nginx: boolean): { losses: Loss[] } {
  const losses: Loss[] = [];
  for (const key of Object.keys(annotations)) {
    if (key.startsWith(NGINX_PREFIX)) {
      if (!nginx) losses.push({ source, field: key, reason: 'an ingress-nginx annotation on an Ingress of another controller: not read', kind: 'unknown-annotation' });
      continue;
    }
    if (key === CLASS_ANNOTATION || key === 'cert-manager.io/cluster-issuer' || key === 'cert-manager.io/issuer') continue;
    // kubectl's copy of the applied object: a record, not configuration.
    if (key === 'kubectl.kubernetes.io/last-applied-configuration') continue;
    if (key.startsWith('cert-manager.io/') || key.startsWith('acme.cert-manager.io/')) {
      losses.push({ source, field: key, reason: 'the declaration names the certificate\'s issuer and Secret only', kind: 'unsupported' });
    } else {
      losses.push({ source, field: key, reason: 'unknown annotation (another controller\'s or tool\'s): not read', kind: 'unknown-annotation' });
    }
  }
  return { losses };
}
