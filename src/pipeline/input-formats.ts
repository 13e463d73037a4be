import { APIOPS_FORMAT } from './formats/apiops.js';
import { ARM_FORMAT } from './formats/arm.js';
import { BICEP_FORMAT } from './formats/bicep.js';
import { CLOUDFORMATION_FORMAT } from './formats/cloudformation.js';
import { OPENAPI_FORMAT } from './formats/openapi.js';
import { TERRAFORM_FORMAT } from './formats/terraform.js';
import type { AnyInputFormat } from './input-format.js';
import type { FileDetector } from '../sources/discover.js';

/**
 * The one registry of input formats. The order is the reading order, and the order in which their
 * detectors are tried: Terraform first (a plan needs its source read, and documents Terraform reads
 * are not scanned again on their own), Bicep and APIOps before OpenAPI (the documents Bicep imports
 * are not checked as stand-alone gateways, an APIOps API's specification is read with the API), OpenAPI last. Adding a format: its file in formats/ and one
 * line here (docs/architecture.md).
 */
export const INPUT_FORMATS: readonly AnyInputFormat[] = [TERRAFORM_FORMAT, CLOUDFORMATION_FORMAT, ARM_FORMAT, BICEP_FORMAT, APIOPS_FORMAT, OPENAPI_FORMAT];

/** Every format's detectors, in registry order: what discovery recognises. */
export const INPUT_DETECTORS: readonly FileDetector[] = INPUT_FORMATS.flatMap((format) => format.detectors);
