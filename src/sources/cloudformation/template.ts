import { printParseErrorCode, type Node as JsonNode } from 'jsonc-parser';
import { isAlias, isMap, isPair, isScalar, isSeq, type Node as YamlNode, type ScalarTag, type CollectionTag } from 'yaml';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { PositionIndex } from '../view/positions.js';
import { lineStarts, offsetLocation, positionAt } from '../text-position.js';
import { DEFAULT_LIMITS, limitDiagnostic } from '../../limits.js';
import { nestingDiagnostic, type ReaderLimits } from '../nesting.js';
import { parseJsonTree } from '../json-positions.js';
import { aliasExpansionOverflow, aliasResolver, parseYamlLikeLibyaml, type LibyamlReading } from '../yaml.js';

/** A CloudFormation template as data (intrinsic functions in their long `Fn::X` form) with positions. */
export interface Template {
  /** The file as shown to users. */
  readonly file: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** Positions keyed by the path of keys and list indexes (`Resources/Api/Properties/Name`). */
  readonly positions: PositionIndex;
  readonly format: 'json' | 'yaml';
}

/** A parsed template, or diagnostics saying why it could not be read. */
export interface TemplateResult {
  readonly template?: Template;
  readonly diagnostics: readonly Diagnostic[];
}

// CloudFormation's YAML short forms. Each is kept as a tagged node (the identity), so that positions
// inside `!Sub [..., { X: !GetAtt A.B }]` survive, and converted to the long form afterwards.
const SHORT_TAGS = [
  'Ref', 'Condition', 'GetAtt', 'Base64', 'Cidr', 'FindInMap', 'GetAZs', 'ImportValue', 'Join', 'Select', 'Split', 'Sub',
  'Transform', 'And', 'Equals', 'If', 'Not', 'Or', 'Contains', 'Length', 'ToJsonString',
];
const CUSTOM_TAGS: Array<ScalarTag | CollectionTag> = SHORT_TAGS.flatMap((name) => [
  { tag: `!${name}`, resolve: (value: string) => value } as ScalarTag,
  { tag: `!${name}`, collection: 'seq', resolve: (value: unknown) => value } as unknown as CollectionTag,
  { tag: `!${name}`, collection: 'map', resolve: (value: unknown) => value } as unknown as CollectionTag,
]);

/** CloudFormation rejects templates over 1 MB (uploaded through S3; 51,200 bytes inline). */
export const TEMPLATE_SIZE_LIMIT = 1024 * 1024;

/**
 * Parses a template in JSON or YAML. YAML short tags (`!Ref`, `!GetAtt A.B`, `!Sub`...) become their
 * long forms; anchors and aliases are resolved once the nodes they add are counted within
 * `limits['yaml-alias-nodes']` (an alias bomb is refused, not built). YAML is read as CloudFormation
 * reads it: flow collections and quoted scalars indented less than their parent are accepted, and of
 * keys given twice the last is kept, with a `duplicate-key` warning (in JSON too). JSON comments are
 * errors, as CloudFormation has them. A template nested deeper than `limits.depth` is not read.
 */
export function parseTemplate(relPath: string, text: string, limits: ReaderLimits = DEFAULT_LIMITS): TemplateResult {
  const diagnostics: Diagnostic[] = [];
  if (text.length > TEMPLATE_SIZE_LIMIT) {
    diagnostics.push({
      severity: 'warning',
      code: 'unsupported',
      message: `the template is ${(text.length / 1024 / 1024).toFixed(1)} MB, over CloudFormation's 1 MB limit: CloudFormation would reject it (it is scanned anyway)`,
      location: lineLocation(relPath, 1),
    });
  }
  const result = text.trimStart().startsWith('{') ? parseJson(relPath, text, limits) : parseYaml(relPath, text, limits);
  return { ...(result.template ? { template: result.template } : {}), diagnostics: [...diagnostics, ...result.diagnostics] };
}

function parseJson(relPath: string, text: string, limits: ReaderLimits): TemplateResult {
  // The walk below recurses per level too: parseJsonTree has checked the nesting.
  const parsed = parseJsonTree(text, { file: relPath, what: 'the template', depth: limits.depth, lenient: false });
  if ('tooDeep' in parsed) return { diagnostics: [parsed.tooDeep] };
  const { starts, root, errors } = parsed;
  if (errors.length > 0 || !root || root.type !== 'object') {
    const first = errors[0];
    return {
      diagnostics: [
        {
          severity: 'error',
          code: 'parse-error',
          message: `the template is not valid JSON (${first ? jsonProblem(printParseErrorCode(first.error)) : 'it is not an object'}); it was not scanned`,
          location: first ? offsetLocation(relPath, starts, first.offset, first.offset + first.length) : lineLocation(relPath, 1),
        },
      ],
    };
  }
  const positions = new PositionIndex(relPath, starts);
  const duplicates = new DuplicateKeys(relPath, starts);
  const walk = (node: JsonNode, path: string[]): void => {
    if (node.type === 'object') {
      const properties = node.children ?? [];
      // JSON.parse keeps the last of keys given twice, as CloudFormation does: so do the positions.
      const keys = keyOccurrences(properties, (property) => (property.children?.[0] ? String(property.children[0].value) : undefined), (property) => property.offset);
      for (const [index, property] of properties.entries()) {
        const [key, value] = property.children ?? [];
        if (!key || !value) continue;
        const occurrences = keys.get(String(key.value))!;
        if (occurrences.last !== index) continue;
        if (occurrences.offsets.length > 1) duplicates.add(path, String(key.value), occurrences.offsets);
        const child = [...path, String(key.value)];
        positions.set(child, property.offset, property.offset + property.length);
        walk(value, child);
      }
    } else if (node.type === 'array') {
      (node.children ?? []).forEach((item, index) => {
        const child = [...path, String(index)];
        positions.set(child, item.offset, item.offset + item.length);
        walk(item, child);
      });
    }
  };
  walk(root, []);
  return { template: { file: relPath, data: JSON.parse(text) as Record<string, unknown>, positions, format: 'json' }, diagnostics: duplicates.diagnostics() };
}

/** jsonc-parser's error codes in words (`InvalidCommentToken` → a comment). */
function jsonProblem(code: string): string {
  if (code === 'InvalidCommentToken') return 'a comment: comments are not allowed in JSON templates; remove it or write the template in YAML';
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

function parseYaml(relPath: string, text: string, limits: ReaderLimits): TemplateResult {
  let reading: LibyamlReading;
  try {
    // Duplicate keys are read, not refused: CloudFormation keeps the last one (see `convert`).
    const parsed = parseYamlLikeLibyaml(text, { customTags: CUSTOM_TAGS, uniqueKeys: false, strict: false }, limits.depth);
    if ('tooDeep' in parsed) return { diagnostics: [nestingDiagnostic(relPath, lineStarts(text), parsed.tooDeep, limits.depth, 'the template')] };
    reading = parsed;
  } catch (error) {
    return { diagnostics: [{ severity: 'error', code: 'parse-error', message: `the template is not valid YAML (${String(error)}); it was not scanned`, location: lineLocation(relPath, 1) }] };
  }
  const { document, lineCounter } = reading;
  const at = reading.toOriginal;
  const errors = document.errors;
  if (errors.length > 0) {
    return {
      diagnostics: errors.slice(0, 5).map((error) => ({
        severity: 'error',
        code: 'parse-error',
        message: `the template is not valid YAML: ${error.message.split('\n')[0]}; it was not scanned (fix the YAML at this line)`,
        location: lineLocation(relPath, lineCounter.linePos(error.pos[0]).line),
      })),
    };
  }
  // Measured before anything is expanded: a 720 KB alias bomb once took 36 s and 2.2 GB.
  const resolveAlias = aliasResolver(document);
  const bomb = aliasExpansionOverflow(document, resolveAlias, limits['yaml-alias-nodes']);
  if (bomb) {
    const nodes = bomb.nodes === undefined ? 'too many' : bomb.nodes.toLocaleString('en-US');
    return {
      diagnostics: [
        limitDiagnostic({
          name: 'yaml-alias-nodes',
          limit: limits['yaml-alias-nodes'],
          what: `the template's YAML aliases (*anchor) expand to ${nodes} nodes (an alias bomb?); it was not scanned`,
          ...(bomb.nodes !== undefined ? { found: bomb.nodes } : {}),
          location: lineLocation(relPath, 1),
        }),
      ],
    };
  }
  const starts = lineStarts(text);
  const positions = new PositionIndex(relPath, starts);
  const mergeKeys: number[] = [];
  // `pin`: positions of an alias's copy are the alias's own range (not the anchor's lines); `null`
  // records nothing (a merge source, whose keys are placed at the `<<` line afterwards).
  const record = (child: string[], start: number, end: number, pin: Pin): void => {
    if (pin === undefined) positions.set(child, at(start), at(end));
    else if (pin !== null) positions.set(child, at(pin[0]), at(pin[1]));
  };
  const duplicates = new DuplicateKeys(relPath, starts);
  const convert = (node: unknown, path: string[], depth: number, pin?: Pin): unknown => {
    // Aliases can nest the data deeper than the text (a chain of anchors, or an anchor inside itself).
    if (depth > limits.depth) throw new TemplateTooDeep();
    if (isAlias(node)) return convert(resolveAlias(node), path, depth + 1, pin === undefined && node.range ? [node.range[0], node.range[1]] : pin);
    let value: unknown;
    if (isMap(node)) {
      const out: Record<string, unknown> = {};
      const merged: Array<{ value: unknown; at: [number, number] | undefined }> = [];
      const keyOf = (pair: (typeof node.items)[number]): string => (isScalar(pair.key) ? String(pair.key.value) : String(pair.key));
      const isMergeKey = (pair: (typeof node.items)[number]): boolean => isScalar(pair.key) && pair.key.type === 'PLAIN' && pair.key.value === '<<';
      // CloudFormation keeps the last of keys given twice: the others are left out, positions included.
      // Merge keys are not keys: each one merges (as PyYAML does).
      const keys = keyOccurrences(
        node.items,
        (pair) => (isPair(pair) && !isMergeKey(pair) ? keyOf(pair) : undefined),
        (pair) => at((pair.key as YamlNode | null)?.range?.[0] ?? 0),
      );
      for (const [index, pair] of node.items.entries()) {
        if (!isPair(pair)) continue;
        const key = keyOf(pair);
        const occurrences = keys.get(key);
        if (occurrences && !isMergeKey(pair)) {
          if (occurrences.last !== index) continue;
          // Reported once, where the mapping is written (not again for each alias of it).
          if (occurrences.offsets.length > 1 && pin === undefined) duplicates.add(path, key, occurrences.offsets);
        }
        if (isMergeKey(pair)) {
          // A YAML 1.1 merge key: `aws cloudformation package`/`deploy` and SAM resolve it, the
          // CloudFormation service does not. Keys written next to it win over merged ones.
          const range = (pair.key as YamlNode).range;
          merged.push({ value: convert(pair.value, path, depth + 1, null), at: range ? [range[0], range[1]] : undefined });
          if (range) mergeKeys.push(range[0]);
          continue;
        }
        const child = [...path, key];
        const keyRange = (pair.key as YamlNode | null)?.range;
        const valueRange = (pair.value as YamlNode | null)?.range;
        if (keyRange) record(child, keyRange[0], valueRange ? valueRange[1] : keyRange[1], pin);
        Object.defineProperty(out, key, { value: convert(pair.value, child, depth + 1, pin), enumerable: true, writable: true, configurable: true });
      }
      for (const { value: source, at } of merged) {
        for (const map of Array.isArray(source) ? source : [source]) {
          if (typeof map !== 'object' || map === null || Array.isArray(map)) continue;
          for (const [key, item] of Object.entries(map as Record<string, unknown>)) {
            if (Object.hasOwn(out, key)) continue;
            Object.defineProperty(out, key, { value: item, enumerable: true, writable: true, configurable: true });
            if (at) record([...path, key], at[0], at[1], pin);
          }
        }
      }
      value = out;
    } else if (isSeq(node)) {
      value = node.items.map((item, index) => {
        const child = [...path, String(index)];
        const range = (item as YamlNode | null)?.range;
        if (range) record(child, range[0], range[1], pin);
        return convert(item, child, depth + 1, pin);
      });
    } else if (isScalar(node)) {
      value = node.value instanceof Date ? node.source : node.value;
    } else {
      value = null;
    }
    const tag = (node as { tag?: string } | null)?.tag;
    return tag?.startsWith('!') ? longForm(tag.slice(1), value) : value;
  };
  try {
    const data = convert(document.contents, [], 0);
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      return { diagnostics: [{ severity: 'error', code: 'parse-error', message: 'the template is not a YAML mapping; it was not scanned', location: lineLocation(relPath, 1) }] };
    }
    const warnings: Diagnostic[] =
      mergeKeys.length > 0
        ? [
            {
              severity: 'warning',
              code: 'unsupported',
              message: `the template uses YAML merge keys (<<), which the AWS CLI and SAM resolve when packaging but CloudFormation rejects in a template uploaded as is; gatewarden resolves them as the CLI does`,
              location: offsetLocation(relPath, starts, at(mergeKeys.reduce((a, b) => Math.min(a, b))), at(mergeKeys.reduce((a, b) => Math.min(a, b))) + 2),
            },
          ]
        : [];
    warnings.push(...duplicates.diagnostics());
    return { template: { file: relPath, data: data as Record<string, unknown>, positions, format: 'yaml' }, diagnostics: warnings };
  } catch (error) {
    if (error instanceof TemplateTooDeep) {
      return { diagnostics: [limitDiagnostic({ name: 'depth', limit: limits.depth, what: 'the template nests deeper once its YAML aliases are expanded; it was not scanned', location: lineLocation(relPath, 1) })] };
    }
    return { diagnostics: [{ severity: 'error', code: 'parse-error', message: `the template could not be read (${String(error)}); it was not scanned`, location: lineLocation(relPath, 1) }] };
  }
}

type Pin = readonly [number, number] | null | undefined;

/** For each key of a mapping, the index of its last occurrence and the offsets of all of them, in one pass. */
function keyOccurrences<T>(items: readonly T[], keyOf: (item: T) => string | undefined, offsetOf: (item: T) => number): Map<string, { last: number; offsets: number[] }> {
  const keys = new Map<string, { last: number; offsets: number[] }>();
  items.forEach((item, index) => {
    const key = keyOf(item);
    if (key === undefined) return;
    const seen = keys.get(key);
    if (seen) {
      seen.last = index;
      seen.offsets.push(offsetOf(item));
    } else {
      keys.set(key, { last: index, offsets: [offsetOf(item)] });
    }
  });
  return keys;
}

/**
 * Keys given more than once in one mapping of a template, as warnings. CloudFormation accepts such a
 * template and keeps the last value (`validate-template` passes it; a stack deploys the last
 * `Properties`), which a reader going top-down does not expect; cfn-lint reports it (E0000).
 */
class DuplicateKeys {
  private readonly found = new Map<string, { path: readonly string[]; key: string; offsets: readonly number[] }>();

  constructor(
    private readonly file: string,
    private readonly starts: readonly number[],
  ) {}

  /** Records a key of the mapping at `path` given at each of `offsets` (in order). */
  add(path: readonly string[], key: string, offsets: readonly number[]): void {
    this.found.set(`${offsets[0]}`, { path, key, offsets });
  }

  diagnostics(): Diagnostic[] {
    const found = [...this.found.values()];
    const reported = found.slice(0, MAX_DUPLICATE_WARNINGS).map(({ path, key, offsets }) => {
      const lines = offsets.map((offset) => positionAt(this.starts, offset).line);
      const where = path.length > 0 ? `in ${shorten(path.join('/'))}` : 'at the top level';
      const times = lines.length === 2 ? 'twice' : `${lines.length.toLocaleString('en-US')} times`;
      // A key given thousands of times (generated or hostile input) names the first lines and the last.
      const shown = lines.length <= 5 ? lines.slice(0, -1).join(', ') : `${lines.slice(0, 3).join(', ')}, ...`;
      const list = `${shown} and ${lines[lines.length - 1]}`;
      return {
        severity: 'warning',
        code: 'duplicate-key',
        message: `the key ${JSON.stringify(shorten(key))} is given ${times} ${where}, at lines ${list}: CloudFormation keeps the last one (line ${lines[lines.length - 1]}) and ignores the others, and so does this scan; remove the ones not meant`,
        // At the first one: the value a reader going down the file takes for the one in force.
        location: offsetLocation(this.file, this.starts, offsets[0]!, offsets[0]! + key.length),
      } satisfies Diagnostic;
    });
    const more = found.slice(MAX_DUPLICATE_WARNINGS);
    if (more.length === 0) return reported;
    const first = more[0]!.offsets[0]!;
    return [
      ...reported,
      {
        severity: 'warning',
        code: 'duplicate-key',
        message: `${more.length.toLocaleString('en-US')} more keys are given more than once (the first at line ${positionAt(this.starts, first).line}); CloudFormation keeps the last of each, and so does this scan`,
        location: offsetLocation(this.file, this.starts, first, first),
      },
    ];
  }
}

/** Keys given twice that are each reported in a template; the others are counted in one more warning. */
const MAX_DUPLICATE_WARNINGS = 20;

/** A key or path from the input, cut for a message. */
function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}

class TemplateTooDeep extends Error {}

/** `!GetAtt A.B` is `{ "Fn::GetAtt": ["A", "B"] }`; `!Ref X` is `{ Ref: X }`; `!Sub s` is `{ "Fn::Sub": s }`. */
function longForm(tag: string, value: unknown): unknown {
  if (tag === 'Ref' || tag === 'Condition') return { [tag]: value };
  if (tag === 'GetAtt' && typeof value === 'string') {
    const dot = value.indexOf('.');
    return { 'Fn::GetAtt': dot < 0 ? [value] : [value.slice(0, dot), value.slice(dot + 1)] };
  }
  return { [`Fn::${tag}`]: value };
}

/** Tells a CloudFormation template from other JSON/YAML by its first bytes. */
export function looksLikeTemplate(head: string): boolean {
  if (/["']?AWSTemplateFormatVersion["']?\s*:/.test(head)) return true;
  // SAM templates often start with Transform and a long Globals section.
  if (/(^|\n|\{)\s*["']?Transform["']?\s*:\s*\[?\s*["']?AWS::Serverless-2016-10-31/.test(head)) return true;
  // `,"Resources":` too: a minified JSON template may have Description or Parameters first.
  return /(^|\n|\{|,)\s*["']?Resources["']?\s*:/.test(head) && /["']?Type["']?\s*:\s*["']?(AWS|Alexa|Custom)::/.test(head);
}
