import type { ApiKeyValueSource, RelatedLocation } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import { writtenElsewhere } from './written-at.js';

/** Where a key's value comes from, where that is written, and other places that bear on it. */
export interface KeyValueSource {
  readonly source: Maybe<ApiKeyValueSource>;
  readonly location: ReturnType<ResourceView['locate']>;
  /** For a literal written elsewhere than the attribute (a module's caller, a tfvars file): the attribute and the module arguments it passes through. */
  readonly related?: readonly RelatedLocation[];
}

/**
 * Classifies where a key's value comes from without ever keeping the value: absent means the cloud
 * generates it; a resolved string is a secret written in the code (in the resource, a variable default,
 * a tfvars file or a module argument); a reference to a random_* resource is generated; a reference to
 * another resource or data source (Secrets Manager, SSM, Key Vault) is a reference; a variable without a value is input.
 */
export function apiKeyValueSource(resource: ResourceView, attribute: string): KeyValueSource {
  const value = resource.values[attribute];
  const attributeLocation = resource.locate([attribute]);
  // A plan knows the value of a key that exists (from the state) even when no code sets it.
  if (value === undefined || value === null || resource.configures?.(attribute) === false) return { source: 'generated', location: resource.location };
  if (typeof value === 'string') {
    const written = resource.valueSource(attribute);
    if (written?.kind === 'cli' || written?.kind === 'input') return { source: 'input', location: attributeLocation };
    // At the literal, where the fix goes; the places it passes through (the attribute that reads it) are related.
    const elsewhere = writtenElsewhere(resource, [attribute]);
    return { source: 'literal', location: elsewhere?.location ?? attributeLocation, ...(elsewhere?.related ? { related: elsewhere.related } : {}) };
  }
  if (value instanceof Unknown) {
    // A value given at deploy time (a CloudFormation parameter without default) is input, as a
    // Terraform variable without a value is.
    const given = resource.valueSource(attribute);
    if (given?.kind === 'input' || given?.kind === 'cli') return { source: 'input', location: attributeLocation };
    const address = value.ref?.address;
    if (address === undefined) return { source: new Unknown(`the key value could not be resolved: ${value.reason}`), location: attributeLocation };
    const local = address.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)+/, '');
    if (/^var\./.test(local)) return { source: 'input', location: attributeLocation };
    if (/^random_/.test(local)) return { source: 'generated', location: attributeLocation };
    return { source: 'reference', location: attributeLocation };
  }
  return { source: new Unknown('the key value is not a string'), location: attributeLocation };
}

