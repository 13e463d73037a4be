import type { SourceLocation } from '../../src/model/location.js';
import { Unknown } from '../../src/model/unknown.js';
import type { ResourceSource, ResourceView } from '../../src/sources/view/resource-view.js';
import type { ValueObject } from '../../src/sources/view/value.js';

/** What a test says about one resource view; everything but the type has a default. */
export interface ViewInit {
  /** The Terraform type the adapter reads (`aws_api_gateway_method`). */
  readonly type: string;
  /** The resource name; `this` by default. */
  readonly name?: string;
  /** The address; `type.name` by default, as Terraform writes it at the root module. */
  readonly address?: string;
  readonly values?: ValueObject;
  /** `terraform` by default. */
  readonly format?: ResourceView['format'];
  /** The source's own type and name; Terraform's (type and address) by default. */
  readonly source?: ResourceSource;
  /** The file every location points into; `main.tf` by default. */
  readonly file?: string;
  /** The line of the resource block; 1 by default. Every field is located at it. */
  readonly line?: number;
}

/**
 * Builds a {@link ResourceView} directly, as a source would hand it to an adapter: adapter tests state
 * the resources they need and nothing else, with no files, parsing or evaluation in between.
 */
export function viewOf(init: ViewInit): ResourceView {
  const name = init.name ?? 'this';
  const address = init.address ?? `${init.type}.${name}`;
  const file = init.file ?? 'main.tf';
  const line = init.line ?? 1;
  const location: SourceLocation = { file, startLine: line, startColumn: 1, endLine: line, endColumn: 1 };
  return {
    address,
    type: init.type,
    name,
    modulePath: '',
    rootModule: '.',
    format: init.format ?? 'terraform',
    source: init.source ?? { type: init.type, name: address },
    values: init.values ?? {},
    location,
    locate: () => location,
    valueSource: () => undefined,
    valueFile: () => undefined,
    textLines: () => undefined,
  };
}

/**
 * A reference to another resource's attribute (`aws_api_gateway_rest_api.api.id`), as evaluation
 * leaves it when the attribute is known only after apply: an unknown that names what it stands for.
 */
export function refTo(target: ResourceView, attribute = 'id'): Unknown {
  return new Unknown(`${target.address}.${attribute} is known only after apply`, { address: target.address, attribute });
}
