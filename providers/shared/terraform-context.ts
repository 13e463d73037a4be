import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Entity, EntityBase, EntityKind, Provider, RelatedLocation, Suppression } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import type { ResourceRef } from '../../src/model/unknown.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import type { Value } from '../../src/sources/view/value.js';
import { readTags, referenceOf } from './values.js';

/** Attributes that identify a resource once it exists, for links written as literal values. */
const IDENTIFIERS = ['id', 'arn', 'root_resource_id', 'execution_arn'] as const;

/** Shared state of one Terraform adaptation: the resources by address and type, and the output. */
export class TerraformContext {
  readonly entities: Entity[] = [];
  readonly diagnostics: Diagnostic[] = [];
  private readonly byAddress = new Map<string, ResourceView>();
  private readonly byType = new Map<string, ResourceView[]>();
  /** Known identifiers (`id`, `arn`, `root_resource_id`...) of resources, for links written as literal values. */
  private readonly byIdentifier = new Map<string, ResourceRef>();

  /**
   * @param idPrefix - the root module's path when several root modules are scanned together: Terraform
   *   addresses are unique only within one root, so entity ids carry the root to stay unique.
   */
  constructor(
    resources: readonly ResourceView[],
    private readonly idPrefix = '',
    /** The cloud every entity of this adaptation belongs to. */
    private readonly provider: Provider = 'aws',
  ) {
    for (const resource of resources) {
      this.byAddress.set(resource.address, resource);
      const list = this.byType.get(resource.type) ?? [];
      list.push(resource);
      this.byType.set(resource.type, list);
      for (const attribute of IDENTIFIERS) {
        const value = resource.values[attribute];
        if (typeof value === 'string' && value !== '' && !this.byIdentifier.has(value)) this.byIdentifier.set(value, { address: resource.address, attribute });
      }
    }
  }

  /** The resource at an address, if in the input. */
  resourceAt(address: string): ResourceView | undefined {
    return this.byAddress.get(address);
  }

  /** Every resource of a type, in input order. */
  ofType(type: string): readonly ResourceView[] {
    return this.byType.get(type) ?? [];
  }

  /** The resource an attribute refers to (`rest_api_id = aws_api_gateway_rest_api.api.id`), if in the input. */
  target(value: Value | undefined, type?: string): ResourceView | undefined {
    const ref = this.reference(value);
    if (!ref) return undefined;
    const resource = this.byAddress.get(ref.address);
    return resource && (type === undefined || resource.type === type) ? resource : undefined;
  }

  /**
   * The reference itself, for links that need the attribute name (`root_resource_id`). An unknown value
   * carries it; a known identifier (in a plan for existing infrastructure, `rest_api_id = "a1b2c3"`) is
   * matched against the identifiers of the resources in the input.
   */
  reference(value: Value | undefined): ResourceRef | undefined {
    return referenceOf(value) ?? (typeof value === 'string' ? this.byIdentifier.get(value) : undefined);
  }

  /** The entity id for a local id (an address, or an address with a suffix). */
  idOf(localId: string): string {
    return this.idPrefix ? `${this.idPrefix}:${localId}` : localId;
  }

  /** Builds the fields every entity shares for one resource; `options.id` is a full id (see {@link idOf}). */
  base<K extends EntityKind>(
    kind: K,
    resource: ResourceView,
    options: {
      id?: string;
      parentId?: string | null;
      location?: SourceLocation;
      fieldLocations?: Record<string, SourceLocation>;
      /** Other places bearing on a field, keyed like `fieldLocations`; fields without any are left out. */
      fieldRelated?: Record<string, readonly RelatedLocation[] | undefined>;
      suppressions?: readonly Suppression[];
    } = {},
  ): EntityBase<K> {
    // The resource's own suppressions, and those written inside it for this entity (an OpenAPI operation's).
    const suppressions = [...(resource.suppressions ?? []), ...(options.suppressions ?? [])];
    return {
      kind,
      id: options.id ?? this.idOf(resource.address),
      provider: this.provider,
      origin: resource.origin ?? { format: resource.format, file: resource.location.file },
      parentId: options.parentId ?? null,
      address: resource.address,
      modulePath: resource.modulePath,
      ...(resource.construct !== undefined ? { construct: resource.construct } : {}),
      ...(suppressions.length > 0 ? { suppressions } : {}),
      location: options.location ?? resource.location,
      fieldLocations: options.fieldLocations ?? {},
      ...fieldRelatedOf(options.fieldRelated),
      ...tagsOf(resource),
    };
  }

  add(entity: Entity): void {
    this.entities.push(entity);
  }

  report(diagnostic: Diagnostic): void {
    this.diagnostics.push(diagnostic);
  }
}

/** The resource's tags (AWS, Azure) or labels (GCP), for owners; absent when it has none known. */
function tagsOf(resource: ResourceView): { tags?: Record<string, string> } {
  const tags = readTags(resource.values.tags) ?? readTags(resource.values.labels);
  return tags ? { tags } : {};
}

/** `fieldRelated` with only the fields that have related locations, absent when none has. */
function fieldRelatedOf(related: Record<string, readonly RelatedLocation[] | undefined> | undefined): { fieldRelated?: Record<string, readonly RelatedLocation[]> } {
  const kept = Object.entries(related ?? {}).filter((entry): entry is [string, readonly RelatedLocation[]] => entry[1] !== undefined && entry[1].length > 0);
  return kept.length > 0 ? { fieldRelated: Object.fromEntries(kept) } : {};
}
