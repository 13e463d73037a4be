import { printParseErrorCode, type Node as JsonNode } from 'jsonc-parser';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { PositionIndex } from '../view/positions.js';
import { offsetLocation } from '../text-position.js';
import { parseJsonTree } from '../json-positions.js';
import { DEFAULT_LIMITS } from '../../limits.js';
import type { ReaderLimits } from '../nesting.js';

/** An Azure Resource Manager template as data, with the position of every property and array item. */
export interface ArmTemplate {
  /** The file as shown to users. */
  readonly file: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Positions keyed by the path of keys and array indexes (`resources/0/properties/value`). */
  readonly positions: PositionIndex;
}

/** A parsed template, or diagnostics saying why it could not be read. */
export interface ArmTemplateResult {
  readonly template?: ArmTemplate;
  readonly diagnostics: readonly Diagnostic[];
}

/** A JSON document read as ARM reads it (comments and trailing commas allowed), with positions. */
export interface ArmJsonResult {
  readonly document?: { readonly data: Readonly<Record<string, unknown>>; readonly positions: PositionIndex };
  readonly diagnostics: readonly Diagnostic[];
}

/** ARM rejects templates over 4 MB. */
export const ARM_TEMPLATE_SIZE_LIMIT = 4 * 1024 * 1024;

// Resource group, subscription, management group and tenant deployment templates all name their
// schema in `$schema`; the file name is what tells them from parameter files and other JSON.
const TEMPLATE_SCHEMA = /"\$schema"\s*:\s*"[^"]*\/(?:subscription|managementGroup|tenant)?deploymentTemplate\.json/i;

/** Tells an ARM template from other JSON by its first bytes (its `$schema`). */
export function looksLikeArmTemplate(head: string): boolean {
  return TEMPLATE_SCHEMA.test(head);
}

/**
 * Parses an ARM template. ARM reads templates with `//` and `/* *\/` comments, and newer tooling
 * (Bicep's output, the VS Code extension) with trailing commas, so both are accepted; anything else
 * that is not JSON is a `parse-error`, and the template is not scanned; so is a template nested
 * deeper than `limits.depth` (a `limit` diagnostic).
 */
export function parseArmTemplate(relPath: string, text: string, limits: Pick<ReaderLimits, 'depth'> = DEFAULT_LIMITS): ArmTemplateResult {
  const diagnostics: Diagnostic[] = [];
  if (text.length > ARM_TEMPLATE_SIZE_LIMIT) {
    diagnostics.push({
      severity: 'warning',
      code: 'unsupported',
      message: `the template is ${(text.length / 1024 / 1024).toFixed(1)} MB, over Azure Resource Manager's 4 MB limit: Azure would reject it (it is scanned anyway)`,
      location: lineLocation(relPath, 1),
    });
  }
  const result = parseArmJson(relPath, text, 'template', limits);
  diagnostics.push(...result.diagnostics);
  if (!result.document) return { diagnostics };
  return { template: { file: relPath, data: result.document.data, positions: result.document.positions }, diagnostics };
}

/**
 * Reads a JSON object as ARM does: comments and trailing commas allowed, a byte order mark ignored.
 * A key written twice is read from its last occurrence (as JSON.parse and Json.NET do), with a warning.
 *
 * A document nested deeper than `limits.depth` is not read (a `limit` diagnostic): the JSON parser
 * and the walks of the data recurse per level.
 *
 * @param what - what the document is, for messages (`template`, `parameter file`).
 */
export function parseArmJson(relPath: string, text: string, what: string, limits: Pick<ReaderLimits, 'depth'> = DEFAULT_LIMITS): ArmJsonResult {
  // A byte order mark (Visual Studio writes one) becomes a space, so offsets still match the file.
  const source = text.charCodeAt(0) === 0xfeff ? ` ${text.slice(1)}` : text;
  const parsed = parseJsonTree(source, { file: relPath, what: `the ${what}`, depth: limits.depth, lenient: true });
  if ('tooDeep' in parsed) return { diagnostics: [parsed.tooDeep] };
  const { starts, root, errors } = parsed;
  if (errors.length > 0 || !root || root.type !== 'object') {
    const first = errors[0];
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-error',
          message: `the ${what} is not valid JSON (${first ? problem(printParseErrorCode(first.error)) : 'it is not an object'}); it was not scanned`,
          location: first ? offsetLocation(relPath, starts, first.offset, first.offset + first.length) : lineLocation(relPath, 1),
        },
      ],
    };
  }
  const positions = new PositionIndex(relPath, starts);
  const diagnostics: Diagnostic[] = [];
  const build = (node: JsonNode, path: string[]): unknown => {
    if (node.type === 'object') {
      const out: Record<string, unknown> = {};
      // The last occurrence of a key is the one read; its position is the one recorded.
      const last = new Map<string, JsonNode>();
      for (const property of node.children ?? []) {
        const key = property.children?.[0];
        if (!key) continue;
        const name = String(key.value);
        if (last.has(name)) {
          diagnostics.push({
            severity: 'warning',
            code: 'unsupported',
            message: `the property ${name} is written twice in this object; the last one is read`,
            location: offsetLocation(relPath, starts, property.offset, property.offset + property.length),
          });
        }
        last.set(name, property);
      }
      for (const [name, property] of last) {
        const value = property.children?.[1];
        if (!value) continue;
        const child = [...path, name];
        positions.set(child, property.offset, property.offset + property.length);
        // defineProperty: a key named `__proto__` is data here, never the object's prototype.
        Object.defineProperty(out, name, { value: build(value, child), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    if (node.type === 'array') {
      return (node.children ?? []).map((item, index) => {
        const child = [...path, String(index)];
        positions.set(child, item.offset, item.offset + item.length);
        return build(item, child);
      });
    }
    return node.value as unknown;
  };
  // The nesting was checked above, so the recursion is bounded.
  const data = build(root, []) as Record<string, unknown>;
  return { document: { data, positions }, diagnostics };
}

/** jsonc-parser's error codes in words (`CommaExpected` → comma expected). */
function problem(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
