// The public surface: named exports only. Internal types and helpers are not reachable from here.
// The generated L1 classes the escape hatches (`ExposedResources`) hand out, as type-only
// namespaces: a user can name their types (`istioNetworking.VirtualService`, `k8s.KubeService`),
// and loading the library still loads no L1 module (a strategy loads the ones it renders).
// Imported then exported, rather than `export type * as`, so the typings read on TypeScript < 5.
import type * as certManager from '../imports/cert-manager-cert-manager.io';
import type * as gatewayApiExperimental from '../imports/gateway-api-experimental-gateway.networking.k8s.io';
import type * as gatewayApi from '../imports/gateway-api-gateway.networking.k8s.io';
import type * as istioNetworking from '../imports/istio-networking.istio.io';
import type * as istioSecurity from '../imports/istio-security.istio.io';
import type * as k8s from '../imports/k8s';
import type * as prometheusOperator from '../imports/prometheus-operator-monitoring.coreos.com';

export { ExposedService, ExposedServiceProps } from './exposed-service';
export { ExposedResources } from './exposed-resources';
export { ExposureStrategy, ApiGatewayStrategyOptions } from './exposure-strategy';
export { CAPABILITY_MATRIX, renderCapabilityTable, FEATURES, Feature, Support, Capabilities, StrategyCapabilities } from './capability-matrix';
export { ExposureError } from './core/errors';
export { ExposureDeclaration } from './declaration/exposure';
export {
  Backend, BackendSubset, BackendProtocol, BackendProtocolOptions, ServiceBackendOptions, DeploymentBackendOptions, NameBackendOptions,
} from './declaration/backend';
export { PathMatch, PathMatchKind } from './declaration/path-match';
export { HeaderMatch, ValueMatchKind } from './declaration/header-match';
export { QueryParamMatch } from './declaration/query-param-match';
export {
  RouteProps, RouteMatch, HttpMethod, WeightedBackend, RetryPolicy, RetryOn, RewriteOptions, RedirectOptions, HeaderEdits, MirrorPolicy,
  FaultAbort, FaultDelay, FaultPolicy, CorsPolicy, TrafficPolicy,
} from './declaration/route';
export { Tls, CertManagerTlsOptions, SecretTlsOptions } from './declaration/tls';
export { ClientCertificates, ClientCertificateOptions, ConfigMapRef } from './declaration/client-certificates';
export { BackendTls, VerifiedBackendTlsOptions, UnverifiedBackendTlsOptions } from './declaration/backend-tls';
export { RateLimit, RateLimitKey, RateLimitOptions } from './declaration/rate-limit';
export { Auth, ApiKeyAuthOptions, BasicAuthOptions, ExternalAuthOptions, JwtAuthOptions } from './declaration/auth';
export { AccessPolicy, AllowFromOptions } from './declaration/access-policy';
export { CircuitBreaker, CircuitBreakerOptions } from './declaration/circuit-breaker';
export { SessionAffinity, CookieAffinityOptions } from './declaration/session-affinity';
export { Deprecation, DeprecationOptions } from './declaration/deprecation';
export { TlsPassthrough, TlsPassthroughOptions } from './declaration/tls-passthrough';
export { TcpPort } from './declaration/tcp-port';
export { AggregatePart, AggregatePartOptions } from './declaration/aggregate-part';
export { GrpcProto } from './declaration/grpc-proto';
export { SecretRef } from './declaration/secret-ref';
export {
  IDeploymentLike, IServiceLike, ISecretLike, IConfigMapLike, IContainerLike, IContainerPortLike, IServicePortLike, IObjectMetadataLike,
} from './declaration/cdk8s-plus-objects';
export { ExternalReference } from './strategies/contract';
export { NodePortStrategyOptions, LoadBalancerStrategyOptions, ServiceResources } from './strategies/service/service';
export { IngressController, IngressStrategyOptions } from './strategies/ingress/ingress-controller';
export { IngressResources } from './strategies/ingress/ingress';
export {
  IstioGateway, IstioGatewayCreateOptions, IstioGatewayExistingOptions, IstioTlsMode,
} from './strategies/istio/istio-gateway';
export { IstioStrategyOptions, IstioTrafficPolicy, IstioConnectionPool, IstioResources } from './strategies/istio/istio';
export { GatewayApiStrategyOptions, GatewayApiParentRef, GatewayApiResources } from './strategies/gateway-api/gateway-api';
export { GatewayApiGateway, GatewayApiGatewayCreateOptions } from './strategies/gateway-api/gateway-api-gateway';
export { GatewayImplementation, IstioImplementationOptions, NginxGatewayFabricOptions } from './strategies/gateway-api/gateway-implementation';
export { GatewayImplementationResources } from './strategies/gateway-api/implementations/implementation';
export { ApiGatewayEngine } from './strategies/api-gateway/api-gateway-engine';
export { ApiGatewayResources } from './strategies/api-gateway/api-gateway';
export {
  GatewayWorkloadOptions, GatewayAutoscaling, GatewayResourceRequirements, GatewayCpuRequirements, GatewaySizeRequirements, CpuAmount,
} from './strategies/api-gateway/workload';
export { NginxEngineOptions } from './strategies/api-gateway/nginx/nginx-engine';
export { GatewayMonitoring, GatewayAlerts } from './strategies/api-gateway/monitoring';
export { KongEngineOptions } from './strategies/api-gateway/kong/kong-engine';

export type { k8s, istioNetworking, istioSecurity, gatewayApi, gatewayApiExperimental, certManager, prometheusOperator };
export { route, RouteOptions } from './routing/route';
export { requestsFor, GeneratedRequest, REQUESTS_FOR_LIMIT } from './routing/requests-for';
export {
  DataPlane, RouteRequest, RouteResult, Forwarded, Redirected, Responded, InjectedFault, HeaderEdits as RouteHeaderEdits,
} from './routing/model';
export { RoutingSource } from './routing/manifests';
