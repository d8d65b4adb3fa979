/**
 * Schema check of synthesized manifests against the upstream schemas vendored in imports/crds/
 * (the same versions imports/ was generated from): Kubernetes 1.27 `_definitions.json` for core
 * kinds, each CRD's `openAPIV3Schema` for custom kinds. Unknown fields are rejected, as
 * `kubectl apply` does by default (server-side field validation "Strict").
 *
 * Custom resources must also pass their CRD's CEL rules (`x-kubernetes-validations`), evaluated
 * at the schema node that declares each rule, after defaulting, as the API server does (cel.ts).
 * Transition rules (`oldSelf`) are skipped: they need the stored object. A rule the evaluator
 * cannot run is reported by `celRuleReport()`, which a harness test requires to be empty.
 *
 * Not checked: string formats; the cross-reference checks in cross-references.ts cover what a
 * cluster would resolve between objects.
 */
import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import * as YAML from 'yaml';
import { CelNode, celProblems, CelRuleSet } from './cel';

const CRDS = path.join(__dirname, '..', '..', 'imports', 'crds');
const K8S_REF = 'k8s#/definitions/';

/** Gateway API experimental channel CRDs: the same kinds and versions, with extra fields. */
const EXPERIMENTAL_CRD_FILES = [
  'gateway-api/experimental/gateway.networking.k8s.io_gatewayclasses.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_gateways.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_httproutes.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_grpcroutes.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_tlsroutes.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_tcproutes.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_referencegrants.yaml',
  'gateway-api/experimental/gateway.networking.k8s.io_backendtlspolicies.yaml',
];

/** Which Gateway API channel's CRDs the cluster has. */
export type GatewayApiChannel = 'standard' | 'experimental';

/** The CRD files the check knows, relative to imports/crds. */
const CRD_FILES = [
  'istio/gateways.networking.istio.io.yaml',
  'istio/virtualservices.networking.istio.io.yaml',
  'istio/destinationrules.networking.istio.io.yaml',
  'istio/requestauthentications.security.istio.io.yaml',
  'istio/authorizationpolicies.security.istio.io.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_gatewayclasses.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_gateways.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_httproutes.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_grpcroutes.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_tlsroutes.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_tcproutes.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_referencegrants.yaml',
  'gateway-api/standard/gateway.networking.k8s.io_backendtlspolicies.yaml',
  'kong/custom-resource-definitions.yaml',
  'cert-manager/cert-manager.io_certificates.yaml',
  'cert-manager/cert-manager.io_issuers.yaml',
  'cert-manager/cert-manager.io_clusterissuers.yaml',
  'envoy-gateway/gateway.envoyproxy.io_backendtrafficpolicies.yaml',
  'envoy-gateway/gateway.envoyproxy.io_securitypolicies.yaml',
  'nginx-gateway-fabric/gateway.nginx.org_ratelimitpolicies.yaml',
  'nginx-gateway-fabric/gateway.nginx.org_clientsettingspolicies.yaml',
  'nginx-gateway-fabric/gateway.nginx.org_authenticationfilters.yaml',
  'nginx-gateway-fabric/gateway.nginx.org_upstreamsettingspolicies.yaml',
  'nginx-gateway-fabric/gateway.nginx.org_proxysettingspolicies.yaml',
  'traefik/kubernetes-crd-definition-v1.yml',
  'prometheus-operator/monitoring.coreos.com_servicemonitors.yaml',
  'prometheus-operator/monitoring.coreos.com_prometheusrules.yaml',
];

export interface Manifest {
  readonly apiVersion: string;
  readonly kind: string;
  readonly metadata: {
    readonly name?: string;
    readonly namespace?: string;
    readonly labels?: Record<string, string>;
    readonly annotations?: Record<string, string>;
  };
  readonly [key: string]: any;
}

/**
 * Closes every object schema that lists its properties (additionalProperties: false), unless it
 * preserves unknown fields or already says what extra properties may be.
 */
function closeObjects(schema: any): any {
  if (Array.isArray(schema)) return schema.map(closeObjects);
  if (schema === null || typeof schema !== 'object') return schema;
  const out: any = {};
  for (const [k, v] of Object.entries(schema)) {
    // 'properties' maps names to schemas: recurse into each, but never treat the map as a schema.
    out[k] = k === 'properties' || k === 'definitions'
      ? Object.fromEntries(Object.entries(v as object).map(([name, s]) => [name, closeObjects(s)]))
      : closeObjects(v);
  }
  if (out.properties && out.additionalProperties === undefined && !out['x-kubernetes-preserve-unknown-fields']) {
    out.additionalProperties = false;
  }
  return out;
}

/**
 * Patterns are Go RE2: a leading inline flag group (`^(?i)(abort|warn)?$` in PrometheusRule) is
 * a RegExp flag in JavaScript; every other pattern compiles as written.
 */
const goRegExp = Object.assign((pattern: string, flags: string) => {
  const inline = /^(\^?)\(\?([a-z]+)\)/.exec(pattern);
  if (inline === null) return new RegExp(pattern, flags);
  if (inline[2] !== 'i') throw new Error(`the RE2 flags (?${inline[2]}) of pattern ${pattern} are not translated`);
  return new RegExp(inline[1] + pattern.slice(inline[0].length), `${flags}i`);
}, { code: 'goRegExp' });

class SchemaRegistry {
  // Patterns are Go RE2, which takes escapes JavaScript's unicode mode refuses (KongConsumer's `\-`
  // outside a class); no vendored pattern uses a unicode property class.
  private readonly ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, unicodeRegExp: false, code: { regExp: goRegExp } });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly schemas = new Map<string, object>();
  /** Each CRD version's schema as published, for its CEL rules. */
  private readonly crdSchemas = new Map<string, object>();
  /** The CEL rules of each CRD version, compiled when a manifest of that version first comes. */
  private readonly celNodes = new Map<string, CelNode>();
  public readonly celRules = new CelRuleSet();

  constructor() {
    const k8s = JSON.parse(fs.readFileSync(path.join(CRDS, 'kubernetes', 'v1.27.0', '_definitions.json'), 'utf8'));
    this.ajv.addSchema({ $id: 'k8s', definitions: closeObjects(k8s.definitions) });
    for (const [name, def] of Object.entries<any>(k8s.definitions)) {
      for (const gvk of def['x-kubernetes-group-version-kind'] ?? []) {
        const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
        this.schemas.set(`${apiVersion}/${gvk.kind}`, { $ref: `${K8S_REF}${name}` });
      }
    }
    for (const file of [...CRD_FILES, ...EXPERIMENTAL_CRD_FILES]) {
      const prefix = EXPERIMENTAL_CRD_FILES.includes(file) ? 'experimental:' : '';
      for (const doc of YAML.parseAllDocuments(fs.readFileSync(path.join(CRDS, file), 'utf8'))) {
        const crd = doc.toJSON();
        if (crd?.kind !== 'CustomResourceDefinition') continue;
        for (const version of crd.spec.versions) {
          const schema = closeObjects(version.schema.openAPIV3Schema);
          // The API server always accepts apiVersion and kind at the root (Istio's schemas omit
          // them) and checks metadata as ObjectMeta (CRD schemas leave it open).
          schema.properties.apiVersion = { type: 'string', enum: [`${crd.spec.group}/${version.name}`] };
          schema.properties.kind = { type: 'string', enum: [crd.spec.names.kind] };
          schema.properties.metadata = { $ref: `${K8S_REF}io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta` };
          const key = `${prefix}${crd.spec.group}/${version.name}/${crd.spec.names.kind}`;
          this.schemas.set(key, schema);
          this.crdSchemas.set(key, version.schema.openAPIV3Schema);
        }
      }
    }
  }

  /** The problems of one manifest, empty when it is valid. */
  public validate(manifest: Manifest, channel: GatewayApiChannel): string[] {
    const experimental = channel === 'experimental' && manifest.apiVersion.startsWith('gateway.networking.k8s.io/');
    const key = `${experimental ? 'experimental:' : ''}${manifest.apiVersion}/${manifest.kind}`;
    let validate = this.validators.get(key);
    if (validate === undefined) {
      const schema = this.schemas.get(key);
      if (schema === undefined) return [`no schema for ${key}: the check knows only the vendored versions`];
      validate = this.ajv.compile(schema);
      this.validators.set(key, validate);
    }
    const problems = validate(manifest) ? [] : (validate.errors ?? []).map((e) => {
      const extra = e.keyword === 'additionalProperties' ? ` "${(e.params as any).additionalProperty}"` : '';
      return `${e.instancePath || '/'} ${e.message}${extra}`;
    });
    const cel = this.celNode(key);
    return cel === undefined ? problems : [...problems, ...celProblems(cel, manifest)];
  }

  private celNode(key: string): CelNode | undefined {
    const schema = this.crdSchemas.get(key);
    if (schema === undefined) return undefined;
    let node = this.celNodes.get(key);
    if (node === undefined) {
      node = this.celRules.compileSchema(schema);
      this.celNodes.set(key, node);
    }
    return node;
  }

  /** Compiles the CEL rules of every CRD version the check knows. */
  public compileAllCelRules(): void {
    for (const key of this.crdSchemas.keys()) this.celNode(key);
  }
}

let registry: SchemaRegistry | undefined;

/**
 * Schema problems of each manifest, as `Kind/name: /path message`, and CEL rule failures, as
 * `Kind/name: field.path: message (rule: RULE)`. Gateway API kinds are checked
 * against the channel the app targets (the experimental CRDs accept more fields).
 */
export function schemaProblems(manifests: readonly Manifest[], channel: GatewayApiChannel = 'standard'): string[] {
  registry ??= new SchemaRegistry();
  return manifests.flatMap((m) => registry!.validate(m, channel).map((p) => `${m.kind}/${m.metadata?.name}: ${p}`));
}

/**
 * The CEL rules of every CRD the check knows: distinct rules compiled, transition rules skipped,
 * and the rules the evaluator cannot compile (`rule: why`), which must be none.
 */
export function celRuleReport(): { compiled: number; transitionRules: number; unsupported: string[] } {
  registry ??= new SchemaRegistry();
  registry.compileAllCelRules();
  return registry.celRules.stats();
}

/** How many distinct CEL rules of the vendored CRDs the check evaluates. */
export function celRuleCount(): number {
  return celRuleReport().compiled;
}
