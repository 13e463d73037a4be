import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import { attribute, childElements, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import { sectionOf, type PolicyDocument, type PolicySection } from './document.js';
import { pushAll } from '../../../src/arrays.js';

/** One step of an effective policy: an element from some scope's document, or a part that cannot be read. */
export type EffectiveItem =
  | { readonly kind: 'element'; readonly element: XmlElement; readonly document: PolicyDocument }
  | { readonly kind: 'unknown'; readonly reason: Unknown; readonly document: PolicyDocument; readonly location: SourceLocation };

/** A scope whose section leaves out `<base/>`, so the enclosing scopes' section does not run. */
export interface DroppedInheritance {
  readonly document: PolicyDocument;
  /** The section element (`<inbound>`) that has no `<base/>`. */
  readonly location: SourceLocation;
  /** The enclosing documents whose section is dropped. */
  readonly dropped: readonly PolicyDocument[];
}

/** The policy that really runs for one section of one operation, in order, with where each part comes from. */
export interface EffectivePolicy {
  readonly items: readonly EffectiveItem[];
  readonly dropped: readonly DroppedInheritance[];
}

/**
 * Computes the effective section for a chain of scopes (global, product, API, operation; outermost
 * first, undefined where a scope has no policy): each document's section runs with the enclosing
 * scopes' effective section placed where its `<base/>` stands, and without it where `<base/>` is
 * missing. A scope without a policy, or a document without the section, inherits the whole
 * enclosing section (as `<base/>` alone). `<include-fragment>` is replaced by the fragment when it is
 * in the input; otherwise, like a document that cannot be read, it is an unknown part.
 * @see https://learn.microsoft.com/azure/api-management/api-management-howto-policies#scopes
 */
export function effectiveSection(chain: readonly (PolicyDocument | undefined)[], section: PolicySection, fragments: ReadonlyMap<string, PolicyDocument>): EffectivePolicy {
  const dropped: DroppedInheritance[] = [];
  // Each scope's section is computed once, whatever refers to it.
  const computed = new Map<number, EffectiveItem[]>();
  const effective = (index: number): EffectiveItem[] => {
    const known = computed.get(index);
    if (known) return known;
    const result = compute(index);
    computed.set(index, result);
    return result;
  };
  const compute = (index: number): EffectiveItem[] => {
    if (index < 0) return [];
    const document = chain[index];
    if (!document) return effective(index - 1);
    if (document.unknown) return [{ kind: 'unknown', reason: document.unknown, document, location: document.location }];
    const element = sectionOf(document, section);
    if (!element) return effective(index - 1);
    const items: EffectiveItem[] = [];
    let hasBase = false;
    for (const child of childElements(element)) {
      if (child.name === 'base') {
        // The enclosing policy is placed at the first <base/> only: further ones would run the same
        // elements again, which changes nothing gatewarden decides (authentication, CORS, limits),
        // and 6,000 of them in 84 KB of XML multiplied the enclosing policy 6,000 times per scope.
        if (!hasBase) pushAll(items, effective(index - 1));
        hasBase = true;
      } else if (child.name === 'include-fragment') {
        pushAll(items, fragment(child, document, fragments));
      } else {
        items.push({ kind: 'element', element: child, document });
      }
    }
    const outer = chain.slice(0, index).filter((candidate): candidate is PolicyDocument => candidate !== undefined);
    if (!hasBase && outer.length > 0) dropped.push({ document, location: document.at(element.start), dropped: outer });
    return items;
  };
  const items = effective(chain.length - 1);
  return { items, dropped };
}

/** The elements of an included fragment, or an unknown part when the fragment is not in the input. */
function fragment(include: XmlElement, document: PolicyDocument, fragments: ReadonlyMap<string, PolicyDocument>): EffectiveItem[] {
  const id = attribute(include, 'fragment-id');
  const found = id === undefined ? undefined : fragments.get(id);
  const location = document.at(include.start);
  if (!found) {
    return [{ kind: 'unknown', reason: new Unknown(`policy fragment ${id ?? '(no fragment-id)'} is not in the scanned configuration`), document, location }];
  }
  if (found.unknown || !found.root) return [{ kind: 'unknown', reason: found.unknown ?? new Unknown(`policy fragment ${id} cannot be read`), document, location }];
  return childElements(found.root).map((element) => ({ kind: 'element', element, document: found }));
}
