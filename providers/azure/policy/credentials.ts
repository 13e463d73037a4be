import type { SourceLocation } from '../../../src/model/location.js';
import { attribute, textContent, type XmlElement } from '../../../src/sources/apim-policy/xml.js';
import type { PolicyDocument } from './document.js';
import { CREDENTIAL_HEADER, substitute, type NamedValues } from './semantics.js';

/** Where a named value is used as a credential, and how (`set-header x-api-key`). */
export interface CredentialUse {
  readonly location: SourceLocation;
  readonly how: string;
}

/** Query parameters that carry a credential (`code` for Azure Functions, `sig` for SAS, `api_key`...). */
const CREDENTIAL_QUERY = /^(code|key|sig|signature|api[-_]?key|apikey|subscription[-_]?key|access[-_]?token|token|secret|password)$/i;

const NAMED_VALUE = /\{\{\s*([^}]+?)\s*\}\}/g;

function namesIn(text: string): string[] {
  return [...text.matchAll(NAMED_VALUE)].map((match) => match[1]!);
}

/**
 * The named values (`{{name}}`) that policies use as credentials: the value of a `set-header`,
 * `check-header` or `set-query-parameter` of a credential header or parameter, the password of
 * `authentication-basic`, the password or body of `authentication-certificate`, and the keys of
 * `validate-jwt` (`issuer-signing-keys`, `decryption-keys`). Each name maps to its first use.
 * Elements are walked with a stack: policy documents are input, and may nest deeply.
 */
export function credentialUses(documents: Iterable<PolicyDocument>, namedValues: NamedValues = new Map()): Map<string, CredentialUse> {
  const uses = new Map<string, CredentialUse>();
  const record = (text: string | undefined, document: PolicyDocument, element: XmlElement, how: string): void => {
    if (text === undefined) return;
    for (const name of namesIn(text)) if (!uses.has(name)) uses.set(name, { location: document.at(element.start), how });
  };
  for (const document of documents) {
    if (!document.root) continue;
    const stack: Array<{ element: XmlElement; parent?: XmlElement }> = [{ element: document.root }];
    while (stack.length > 0) {
      const { element, parent } = stack.pop()!;
      switch (element.name) {
        case 'set-header':
        case 'check-header': {
          // The header's name may itself be a named value (`name="{{provider-key-header}}"`).
          const written = attribute(element, 'name') ?? '';
          const resolved = substitute(written, namedValues);
          const header = typeof resolved === 'string' ? resolved : written;
          if (CREDENTIAL_HEADER.test(header.trim())) for (const value of element.children) if (value.kind === 'element' && value.name === 'value') record(textContent(value), document, value, `${element.name} ${header.trim()}`);
          break;
        }
        case 'set-query-parameter': {
          const name = attribute(element, 'name') ?? '';
          if (CREDENTIAL_QUERY.test(name.trim())) for (const value of element.children) if (value.kind === 'element' && value.name === 'value') record(textContent(value), document, value, `set-query-parameter ${name.trim()}`);
          break;
        }
        case 'authentication-basic':
          record(attribute(element, 'password'), document, element, 'authentication-basic password');
          break;
        case 'authentication-certificate':
          record(attribute(element, 'password'), document, element, 'authentication-certificate password');
          record(attribute(element, 'body'), document, element, 'authentication-certificate body');
          break;
        case 'key':
          if (parent && (parent.name === 'issuer-signing-keys' || parent.name === 'decryption-keys')) record(textContent(element), document, element, `validate-jwt ${parent.name}`);
          break;
        default:
          break;
      }
      for (let index = element.children.length - 1; index >= 0; index--) {
        const child = element.children[index]!;
        if (child.kind === 'element') stack.push({ element: child, parent: element });
      }
    }
  }
  return uses;
}
