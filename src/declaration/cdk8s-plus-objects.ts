import { IConstruct } from 'constructs';

/*
 * The cdk8s-plus objects the declaration accepts, by the members the library reads: a Deployment,
 * Service or Secret of any cdk8s-plus major (cdk8s-plus-27 through -33) satisfies them, so an app
 * keeps its own cdk8s-plus and the library loads none. Typing them by cdk8s-plus-27's classes
 * would refuse the others at compile time (their private members are distinct declarations).
 */

/** A port of a container, as cdk8s-plus describes it. */
export interface IContainerPortLike {
  /** The port number the container listens on. */
  readonly number: number;
}

/** A container of a Deployment, as cdk8s-plus describes it: the library reads its ports. */
export interface IContainerLike {
  /** The ports the container exposes. */
  readonly ports: readonly IContainerPortLike[];
}

/** The metadata of a cdk8s-plus object: the library reads its namespace. */
export interface IObjectMetadataLike {
  /** The namespace the object is in, when it sets one (else the chart's). */
  readonly namespace?: string;
}

/**
 * A Deployment of this app: a `Deployment` of any cdk8s-plus from cdk8s-plus-27 to -33.
 * The library selects its pods by `matchLabels` and reads its container ports.
 */
export interface IDeploymentLike extends IConstruct {
  /** The Deployment's name (`metadata.name`). */
  readonly name: string;
  /** The Deployment's metadata. */
  readonly metadata: IObjectMetadataLike;
  /** The labels that select the Deployment's pods. */
  readonly matchLabels: Record<string, string>;
  /** The Deployment's containers. */
  readonly containers: readonly IContainerLike[];
}

/** A port of a Service, as cdk8s-plus describes it. */
export interface IServicePortLike {
  /** The port the Service serves. */
  readonly port: number;
  /** The pods' port behind it. */
  readonly targetPort?: number;
}

/**
 * A Service of this app: a `Service` of any cdk8s-plus from cdk8s-plus-27 to -33. The library
 * reads its name, namespace and ports, and its pod selector from the Kubernetes object it holds
 * (`ApiObject.of(service)`: a construct without one is refused).
 */
export interface IServiceLike extends IConstruct {
  /** The Service's name (`metadata.name`). */
  readonly name: string;
  /** The Service's metadata. */
  readonly metadata: IObjectMetadataLike;
  /** The Service's ports. */
  readonly ports: readonly IServicePortLike[];
}

/**
 * A Secret of this app: a `Secret` (or `TlsSecret`, `BasicAuthSecret` ...) of any cdk8s-plus from
 * cdk8s-plus-27 to -33. The library writes only its name; it never reads the Secret's data.
 */
export interface ISecretLike {
  /** The Secret's name (`metadata.name`). */
  readonly name: string;
}

/**
 * A ConfigMap of this app: a `ConfigMap` of any cdk8s-plus from cdk8s-plus-27 to -33. The library
 * writes only its name; it never reads the ConfigMap's data.
 */
export interface IConfigMapLike {
  /** The ConfigMap's name (`metadata.name`). */
  readonly name: string;
}
