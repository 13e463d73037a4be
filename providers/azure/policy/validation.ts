import { Unknown, type Maybe } from '../../../src/model/unknown.js';
import { attribute, childElements, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { PolicyDocument } from './document.js';
import type { EffectiveItem } from './effective.js';
import { substitute, takenBranch, type Located, type NamedValues, type RequestFacts } from './semantics.js';

/** What an effective inbound policy validates of a request: its body, and its parameters or headers. */
export interface PolicyValidation {
  readonly body: Located<Maybe<boolean>> | undefined;
  readonly parameters: Located<Maybe<boolean>> | undefined;
}

/**
 * The validation elements and which part of the request each checks. `validate-content` checks the
 * body (content type, size, schema); `validate-parameters` the path, query and header parameters the
 * operation declares; `validate-headers` the response headers only (it runs in the outbound section),
 * so it does not count for the request.
 * @see https://learn.microsoft.com/azure/api-management/validate-content-policy
 * @see https://learn.microsoft.com/azure/api-management/validate-parameters-policy
 */
const VALIDATES: Readonly<Record<string, keyof PolicyValidation>> = {
  'validate-content': 'body',
  'validate-parameters': 'parameters',
};

/**
 * The attributes whose `prevent` value makes a validation element refuse a request; `detect` only
 * logs (the request still reaches the backend) and `ignore` does nothing, so an element whose every
 * action is one of those validates nothing.
 */
const ACTION_ATTRIBUTES = ['unspecified-content-type-action', 'size-exceeded-action', 'specified-parameter-action', 'unspecified-parameter-action', 'action'] as const;

/**
 * What the effective inbound policy validates: for the body and the parameters, `true` where an
 * element that can refuse requests (an action `prevent`) runs, `false` where none does, unknown where
 * the only such element runs under a `<choose>` the request method does not decide, an action is a
 * policy expression or a named value that cannot be resolved, or part of the policy cannot be read.
 * An element that only detects or ignores is `false` at that element (the line to change); undefined
 * means no element at all.
 */
export function policyValidation(items: readonly EffectiveItem[], request: RequestFacts, namedValues: NamedValues): PolicyValidation {
  const found: { body?: Located<Maybe<boolean>>; parameters?: Located<Maybe<boolean>> } = {};
  const uncertain: { body?: Located<Unknown>; parameters?: Located<Unknown> } = {};
  // An element that only detects or ignores: not validation, but the line to change.
  const idle: { body?: Located<false>; parameters?: Located<false> } = {};
  let unreadable: Located<Unknown> | undefined;
  const consider = (element: XmlElement, document: PolicyDocument, depth: number, conditional: boolean): void => {
    const location = document.at(element.start);
    const part = VALIDATES[element.name];
    if (part) {
      const enforces = refuses(element, namedValues);
      if (enforces === true && !conditional) found[part] ??= { value: true, location };
      else if (enforces instanceof Unknown) uncertain[part] ??= { value: enforces, location };
      else if (enforces === false) idle[part] ??= { value: false, location };
      else if (enforces === true) uncertain[part] ??= { value: new Unknown(`<${element.name}> in the policy of ${document.label} runs only under some <choose> conditions`), location };
      return;
    }
    if (element.name !== 'choose' || depth >= 8) return;
    // A branch chosen by the request method alone is decided for this operation; otherwise an
    // element in a branch runs only sometimes.
    const taken = takenBranch(element, request);
    if (taken === null) return;
    const branches = taken !== undefined ? [taken] : [...childElements(element, 'when'), ...childElements(element, 'otherwise')];
    for (const branch of branches) for (const child of childElements(branch)) consider(child, document, depth + 1, conditional || taken === undefined);
  };
  for (const item of items) {
    if (item.kind === 'unknown') unreadable ??= { value: item.reason, location: item.location };
    else consider(item.element, item.document, 0, false);
  }
  const decide = (part: keyof PolicyValidation): Located<Maybe<boolean>> | undefined => found[part] ?? uncertain[part] ?? unreadable ?? idle[part];
  return { body: decide('body'), parameters: decide('parameters') };
}

/** Whether a validation element refuses some requests (an action is `prevent`); unknown when an action is computed. */
function refuses(element: XmlElement, namedValues: NamedValues): Maybe<boolean> {
  let uncertain: Unknown | undefined;
  const elements = [element, ...childElements(element).flatMap((child) => [child, ...childElements(child)])];
  for (const candidate of elements) {
    for (const name of ACTION_ATTRIBUTES) {
      const raw = attribute(candidate, name);
      if (raw === undefined) continue;
      const value = substitute(raw, namedValues);
      if (value instanceof Unknown) uncertain ??= value;
      else if (value.trim().startsWith('@')) uncertain ??= new Unknown(`${name} of <${candidate.name}> is a policy expression, computed per request`);
      else if (value.trim().toLowerCase() === 'prevent') return true;
    }
  }
  return uncertain ?? false;
}
