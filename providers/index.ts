import type { Diagnostic } from '../src/model/diagnostic.js';
import type { Entity, Provider } from '../src/model/entities.js';
import type { ComputedAttributeRule } from '../src/sources/terraform/instance.js';
import type { ResourceView } from '../src/sources/view/resource-view.js';
import type { CfnResource } from '../src/sources/cloudformation/stack.js';
import { adaptAwsCloudFormation } from './aws/cloudformation/index.js';
import { AWS_COMPUTED_ATTRIBUTES, adaptAwsTerraform, isAwsGatewayResourceType } from './aws/terraform/index.js';
import { isNonGatewayDocumentUser, readCloudFormationDocumentUses, readTerraformDocumentUses } from './aws/non-gateway-documents.js';
import { adaptAzureArm } from './azure/arm/index.js';
import { adaptApiOps } from './azure/apiops/index.js';
import { adaptAzureTerraform, isAzureApimResourceType } from './azure/terraform/index.js';
import { adaptGcpTerraform, isGcpGatewayResourceType } from './gcp/terraform/index.js';
import type { ArmResource } from '../src/sources/arm/resources.js';
import type { ApiOpsTree } from '../src/sources/apiops/tree.js';
import type { NonGatewayDocument } from './shared/non-gateway-document.js';

export type { NonGatewayDocument } from './shared/non-gateway-document.js';
import type { AzureSettings } from './azure/settings.js';

/**
 * What the scan's configuration tells adapters beyond the resources they read: per cloud, what the
 * scanned code cannot show (`azure` from the config file's `azure:` section).
 */
export interface AdapterSettings {
  readonly azure?: AzureSettings;
}

/** What an adapter returns: entities of the common model and anything it could not model. */
export interface AdapterResult {
  readonly entities: readonly Entity[];
  readonly diagnostics: readonly Diagnostic[];
  /**
   * OpenAPI documents that resources of the unit use for something other than a gateway (a Bedrock
   * agent's action-group schema): the OpenAPI format does not check them on their own, and says so.
   */
  readonly nonGatewayDocuments?: readonly NonGatewayDocument[];
}


/** An adapter from Terraform resources of one cloud to the common model. */
export interface TerraformAdapter {
  readonly provider: Provider;
  /** Whether the adapter reads a resource type; others are never evaluated. */
  handles(type: string): boolean;
  /** Attributes Terraform computes at apply time that follow from configuration. */
  readonly computedAttributes: ReadonlyMap<string, ComputedAttributeRule>;
  /**
   * Adapts the resources of one root module. `idPrefix` is prepended to entity ids so that roots
   * scanned together (environments with the same addresses) cannot collide.
   */
  adapt(resources: readonly ResourceView[], idPrefix: string, settings: AdapterSettings): AdapterResult;
}

/** The one registry of Terraform adapters, one per cloud. */
export const TERRAFORM_ADAPTERS: readonly TerraformAdapter[] = [
  {
    provider: 'aws',
    handles: (type) => isAwsGatewayResourceType(type) || isNonGatewayDocumentUser(type),
    computedAttributes: AWS_COMPUTED_ATTRIBUTES,
    adapt: (resources, idPrefix) => {
      const uses = readTerraformDocumentUses(resources.filter((resource) => isNonGatewayDocumentUser(resource.type)));
      const adapted = adaptAwsTerraform(resources.filter((resource) => isAwsGatewayResourceType(resource.type)), idPrefix);
      return { entities: adapted.entities, diagnostics: [...adapted.diagnostics, ...uses.diagnostics], nonGatewayDocuments: uses.nonGatewayDocuments };
    },
  },
  {
    provider: 'azure',
    handles: isAzureApimResourceType,
    computedAttributes: new Map(),
    adapt: (resources, idPrefix, settings) => adaptAzureTerraform(resources, idPrefix, settings.azure),
  },
  {
    provider: 'gcp',
    handles: isGcpGatewayResourceType,
    computedAttributes: new Map(),
    adapt: adaptGcpTerraform,
  },
];

/** An adapter from CloudFormation stacks of one cloud (SAM and CDK output included) to the common model. */
export interface CloudFormationAdapter {
  readonly provider: Provider;
  /** Adapts the resources of one template (and its nested stacks); `idPrefix` keeps templates apart. */
  adapt(resources: readonly CfnResource[], idPrefix: string): AdapterResult;
}

/** The one registry of CloudFormation adapters. */
export const CLOUDFORMATION_ADAPTERS: readonly CloudFormationAdapter[] = [
  {
    provider: 'aws',
    adapt: (resources, idPrefix) => {
      const adapted = adaptAwsCloudFormation(resources, idPrefix);
      const uses = readCloudFormationDocumentUses(resources);
      return { entities: adapted.entities, diagnostics: [...adapted.diagnostics, ...uses.diagnostics], nonGatewayDocuments: uses.nonGatewayDocuments };
    },
  },
];

/** An adapter from ARM templates (nested deployments included) to the common model. */
export interface ArmAdapter {
  readonly provider: Provider;
  /** Adapts the resources of one template; `idPrefix` keeps templates apart. */
  adapt(resources: readonly ArmResource[], idPrefix: string, settings: AdapterSettings): AdapterResult;
}

/** The one registry of ARM adapters. */
export const ARM_ADAPTERS: readonly ArmAdapter[] = [{ provider: 'azure', adapt: (resources, idPrefix, settings) => adaptAzureArm(resources, idPrefix, settings.azure) }];

export { adaptOpenApiDocument, type OpenApiDocumentInput } from './openapi/index.js';
export { apiOpsApiOf, APIOPS_DECIDES, APIOPS_HINT, type ApiOpsApi } from './azure/apiops/specification.js';

/** An adapter from an APIOps artifacts folder (API Management kept as files) to the common model. */
export interface ApiOpsAdapter {
  readonly provider: Provider;
  /** Adapts one artifacts folder; entity ids carry its path. */
  adapt(tree: ApiOpsTree, settings: AdapterSettings): AdapterResult;
}

/** The one registry of APIOps adapters. */
export const APIOPS_ADAPTERS: readonly ApiOpsAdapter[] = [{ provider: 'azure', adapt: (tree, settings) => adaptApiOps(tree, settings.azure) }];
