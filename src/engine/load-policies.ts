import { existsSync, lstatSync, readdirSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMap, isScalar, isSeq, type Document, type Node as YamlNode } from 'yaml';
import { DEFAULT_LIMITS, limitDiagnostic, withLimits, type Limits } from '../limits.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { EntityKind } from '../model/entities.js';
import { lineLocation } from '../model/location.js';
import { ENTITY_KINDS, ENTITY_SCHEMAS, type CelFieldType, type CelSchema } from '../model/schema.js';
import { compileExpression, compileTemplate, isGroupedKind, type CelProgram, type ParameterSchema } from './cel.js';
import { GROUP_BY, isParameterValue, PARAMETER_TYPES, parameterSchemaOf, type GroupBy, type MessagePart, type ParameterType, type Policy, type PolicyDefinition, type PolicyGroup, type PolicyParameter, type PolicyVariant } from './policy.js';
import { readTextWithin, readYamlWithin, type YamlLimits, type YamlProblem } from './policy-yaml.js';
import { ALIAS_TOOLS, combinedRemediation, POLICY_CATEGORIES, type AliasTool, type PolicyAliases, REMEDIATION_KEYS, SEVERITIES, type PolicyCategory, type RemediationByProvider, type RemediationKey, type Severity } from '../model/findings.js';
import { closestMatch } from '../suggest.js';

/** A directory of policies and whether it ships with gatewarden. */
export interface PolicySource {
  readonly dir: string;
  readonly builtIn: boolean;
}

/** Loaded policies and the problems found in broken ones (each an error naming file and line). */
export interface PolicyLoadResult {
  readonly policies: readonly Policy[];
  readonly diagnostics: readonly Diagnostic[];
}

/** The directory of the policies that ship with gatewarden (`policies/` at the package root). */
export function builtInPolicyDir(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(path.join(dir, 'package.json')) && existsSync(path.join(dir, 'policies'))) return path.join(dir, 'policies');
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('gatewarden installation is incomplete: the policies/ directory was not found');
    dir = parent;
  }
}

/**
 * Whether a path is a directory itself, not a link to one: a policy directory is walked without
 * following links (a link to "." would make the walk endless, a link out of it would read elsewhere),
 * and a dangling link is no directory rather than an error that stops the run.
 */
function isRealDirectory(file: string): boolean {
  try {
    return lstatSync(file).isDirectory();
  } catch {
    return false;
  }
}

/** Finds every `policy.yaml` under a directory (fixtures in `test/` folders are skipped). */
export function findPolicyFiles(dir: string): string[] {
  const found: string[] = [];
  const walk = (current: string, depth: number): void => {
    if (depth > 8) return;
    let names: string[];
    try {
      names = readdirSync(current).sort();
    } catch {
      return;
    }
    for (const name of names) {
      const full = path.join(current, name);
      if (name === 'policy.yaml' || name === 'policy.yml') {
        found.push(full);
      } else if (name !== 'test' && !name.startsWith('.') && name !== 'node_modules' && isRealDirectory(full)) {
        walk(full, depth + 1);
      }
    }
  };
  walk(dir, 0);
  return found;
}

/** How {@link loadPolicies} reads policy files. */
export interface LoadPolicyOptions {
  /**
   * The limits the user's policy files are read within (`file-size`, `depth`, `yaml-alias-nodes`);
   * the defaults of src/limits.ts for those not given. Built-in policies, which ship with
   * gatewarden, are always read within the defaults: `--limit file-size=1KiB` for the scanned input
   * must not unload them.
   */
  readonly limits?: Partial<Limits>;
}

/**
 * Loads, validates and type-checks the policies of several directories. A broken policy does not
 * stop the others: it becomes an error diagnostic with the file and line at fault, and so does a
 * file over one of the limits (too large, too deep, aliases expanding too far).
 */
export function loadPolicies(sources: readonly PolicySource[], displayPath: (file: string) => string = (file) => file, options: LoadPolicyOptions = {}): PolicyLoadResult {
  const limits = withLimits(DEFAULT_LIMITS, options.limits);
  const policies: Policy[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, string>();
  const loadedFiles = new Set<string>();
  for (const source of sources) {
    if (!existsSync(source.dir)) {
      diagnostics.push({ severity: 'error', code: 'policy-error', message: `policy directory ${displayPath(source.dir)} does not exist` });
      continue;
    }
    const files = findPolicyFiles(source.dir);
    if (files.length === 0 && !source.builtIn) {
      diagnostics.push({ severity: 'error', code: 'policy-error', message: `no policy.yaml files were found under ${displayPath(source.dir)}` });
    }
    for (const file of files) {
      const shown = displayPath(file);
      let result: { policy?: Policy; diagnostics: Diagnostic[] };
      try {
        // The same file reached twice (--policies pointing into the built-in directory) is one policy.
        const real = realpathSync(file);
        if (loadedFiles.has(real)) continue;
        loadedFiles.add(real);
        const within = source.builtIn ? DEFAULT_LIMITS : limits;
        const read = readTextWithin(file, within['file-size'], 'the policy file', source.dir);
        result = 'text' in read ? parsePolicy(read.text, shown, path.basename(path.dirname(file)), source.builtIn, within) : { diagnostics: [policyProblem(read.problem, shown)] };
      } catch (error) {
        // parsePolicy returns its problems; this is for the unforeseen, which must cost one policy, not the run.
        result = { diagnostics: [{ severity: 'error', code: 'policy-error', message: `the policy could not be loaded: ${error instanceof Error ? error.message : String(error)}`, location: lineLocation(shown, 1) }] };
      }
      diagnostics.push(...result.diagnostics);
      if (!result.policy) continue;
      const previous = seen.get(result.policy.id);
      if (previous) {
        diagnostics.push({ severity: 'error', code: 'policy-error', message: `policy id "${result.policy.id}" is already used by ${previous}; ids must be unique`, location: lineLocation(shown, 1) });
        continue;
      }
      seen.set(result.policy.id, shown);
      policies.push(result.policy);
    }
  }
  return { policies, diagnostics };
}

/**
 * The diagnostic for a policy file that could not be read: a `policy-error` naming the file and
 * line, worded by {@link limitDiagnostic} when a limit was met (which limit, how to raise it).
 */
export function policyProblem(problem: YamlProblem, file: string): Diagnostic {
  const location = lineLocation(file, problem.line);
  if ('hit' in problem) return { ...limitDiagnostic({ ...problem.hit, location }), code: 'policy-error' };
  return { severity: 'error', code: 'policy-error', message: `invalid policy: ${problem.message}`, location };
}

const ALLOWED_KEYS = new Set(['id', 'title', 'severity', 'category', 'description', 'remediation', 'references', 'frameworks', 'match', 'assert', 'message', 'location', 'variants', 'group', 'parameters', 'aliases']);
const REQUIRED_KEYS = ['id', 'title', 'severity', 'category', 'description', 'remediation', 'match', 'assert', 'message'];
const ID_PATTERN = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * Parses one policy file: YAML shape (within the `file-size`, `depth` and `yaml-alias-nodes` limits,
 * the defaults when not given), metadata values, and every CEL expression type-checked against the
 * model. `folderName` is the id the file's location requires.
 */
export function parsePolicy(text: string, file: string, folderName: string | undefined, builtIn: boolean, limits: YamlLimits = DEFAULT_LIMITS): { policy?: Policy; diagnostics: Diagnostic[] } {
  const read = readYamlWithin(text, limits, 'the policy file');
  if ('problems' in read) return { diagnostics: read.problems.map((problem) => policyProblem(problem, file)) };
  const { doc, lineCounter } = read;
  const diagnostics: Diagnostic[] = [];
  const fail = (message: string, node?: unknown): void => {
    const range = (node as YamlNode | undefined)?.range;
    const at = range ? lineCounter.linePos(range[0]).line : 1;
    diagnostics.push({ severity: 'error', code: 'policy-error', message: `invalid policy: ${message}`, location: lineLocation(file, at) });
  };
  if (!isMap(doc.contents)) {
    fail('the file must be a YAML mapping');
    return { diagnostics };
  }
  const node = (key: string, root: Document | YamlNode = doc): unknown => (isMap(root) || root === doc ? (root as Document).get(key, true) : undefined);
  for (const item of doc.contents.items) {
    const key = isScalar(item.key) ? String(item.key.value) : '';
    if (!ALLOWED_KEYS.has(key)) fail(`unknown key "${key}" (allowed: ${[...ALLOWED_KEYS].join(', ')})`, item.key);
  }
  const data = read.data as Record<string, unknown>;
  for (const key of REQUIRED_KEYS) if (data[key] === undefined) fail(`"${key}" is required`);
  if (diagnostics.length > 0) return { diagnostics };

  const text_ = (key: string): string => {
    const value = data[key];
    if (typeof value !== 'string' || value.trim() === '') fail(`"${key}" must be a non-empty string`, node(key));
    return typeof value === 'string' ? value.trim() : '';
  };
  const remediation = readRemediation(data.remediation, node('remediation'), fail);
  const id = text_('id');
  if (id && !ID_PATTERN.test(id)) fail(`id "${id}" must be kebab-case (a-z, 0-9, -)`, node('id'));
  if (id && folderName !== undefined && id !== folderName) fail(`id "${id}" must equal the policy's folder name "${folderName}"`, node('id'));
  const severity = data.severity as Severity;
  if (!SEVERITIES.includes(severity)) fail(`severity must be one of ${SEVERITIES.join(', ')}`, node('severity'));
  const category = data.category as PolicyCategory;
  if (!POLICY_CATEGORIES.includes(category)) fail(`category must be one of ${POLICY_CATEGORIES.join(', ')}`, node('category'));
  const references = data.references ?? [];
  if (!Array.isArray(references) || !references.every((ref) => typeof ref === 'string' && /^https:\/\//.test(ref))) {
    fail('references must be a list of https:// URLs', node('references'));
  }
  const frameworks = data.frameworks ?? {};
  if (typeof frameworks !== 'object' || frameworks === null || Array.isArray(frameworks) || !Object.values(frameworks).every((v) => Array.isArray(v) && v.every((s) => typeof s === 'string'))) {
    fail('frameworks must map a framework name to a list of control ids', node('frameworks'));
  }
  const aliases = readAliases(data.aliases, node('aliases'), fail);

  const matchNode = node('match');
  const match = data.match as { kind?: unknown; where?: unknown } | undefined;
  let kind: EntityKind = 'route';
  if (!match || typeof match !== 'object' || Array.isArray(match)) {
    fail('match must be a mapping with "kind" and an optional "where"', matchNode);
  } else {
    for (const key of Object.keys(match)) if (key !== 'kind' && key !== 'where') fail(`unknown key "match.${key}"`, matchNode);
    if (!ENTITY_KINDS.includes(match.kind as EntityKind)) fail(`match.kind must be one of ${ENTITY_KINDS.join(', ')}`, matchNode);
    else kind = match.kind as EntityKind;
    if (match.where !== undefined && typeof match.where !== 'string') fail('match.where must be a CEL expression', matchNode);
  }
  const location = data.location;
  if (location !== undefined && (typeof location !== 'string' || !namesSchemaField(ENTITY_SCHEMAS[kind].schema, location))) {
    fail(`location must name a field of ${kind} (${Object.keys(ENTITY_SCHEMAS[kind].schema).join(', ')}), or a field of its provider details by path (aws.NAME, azure.NAME, gcp.NAME)`, node('location'));
  }
  const parameters = readParameters(data.parameters, node('parameters'), fail);
  if (diagnostics.length > 0) return { diagnostics };
  const parameterSchema = parameters ? parameterSchemaOf(parameters) : undefined;

  const compileBool = (expression: string, where: unknown, what: string): CelProgram | undefined => {
    const result = compileExpression(kind, expression, 'entity', parameterSchema);
    if ('error' in result) {
      fail(`${what} does not compile: ${result.error}`, where);
      return undefined;
    }
    if (result.type !== 'bool' && result.type !== 'dyn') {
      fail(`${what} must be a boolean expression, but it is a ${result.type}`, where);
      return undefined;
    }
    return result.program;
  };
  const compileMessage = (template: string, where: unknown, what: string): MessagePart[] | undefined => {
    const result = compileTemplate(kind, template, 'entity', parameterSchema);
    if ('parts' in result) return result.parts;
    for (const { placeholder, error } of result.errors) fail(`${what} placeholder {{${placeholder}}} does not compile: ${error}`, where);
    return undefined;
  };

  const whereExpression = match?.where as string | undefined;
  const where = whereExpression !== undefined ? compileBool(whereExpression, matchNode, 'match.where') : undefined;
  const assert = compileBool(text_('assert'), node('assert'), 'assert');
  const message = compileMessage(text_('message'), node('message'), 'message');

  const variantsData = data.variants ?? [];
  const variantsNode = node('variants');
  const variants: PolicyVariant[] = [];
  const compiledVariants: Array<{ when: CelProgram; severity: Severity; message?: MessagePart[] }> = [];
  if (!Array.isArray(variantsData)) {
    fail('variants must be a list of { when, severity, message }', variantsNode);
  } else {
    variantsData.forEach((variant: unknown, index) => {
      const itemNode = isSeq(variantsNode) ? variantsNode.items[index] : variantsNode;
      const v = variant as Partial<PolicyVariant> | null;
      if (!v || typeof v !== 'object' || typeof v.when !== 'string' || !SEVERITIES.includes(v.severity as Severity) || (v.message !== undefined && typeof v.message !== 'string')) {
        fail(`variants[${index}] needs "when" (CEL), "severity" (${SEVERITIES.join('|')}) and an optional "message"`, itemNode);
        return;
      }
      for (const key of Object.keys(v)) if (!['when', 'severity', 'message'].includes(key)) fail(`unknown key "variants[${index}].${key}"`, itemNode);
      const when = compileBool(v.when, itemNode, `variants[${index}].when`);
      const variantMessage = v.message !== undefined ? compileMessage(v.message, itemNode, `variants[${index}].message`) : undefined;
      if (!when) return;
      variants.push({ when: v.when, severity: v.severity as Severity, ...(v.message !== undefined ? { message: v.message } : {}) });
      compiledVariants.push({ when, severity: v.severity as Severity, ...(variantMessage ? { message: variantMessage } : {}) });
    });
  }
  const group = readGroup(data.group, node('group'), kind, typeof location === 'string' ? location : undefined, fail, parameterSchema);
  if (diagnostics.length > 0 || !assert || !message || (data.group !== undefined && !group)) return { diagnostics };

  const definition: PolicyDefinition = {
    id,
    title: text_('title'),
    severity,
    category,
    description: text_('description'),
    remediation: remediation.text,
    ...(remediation.byProvider ? { remediationByProvider: remediation.byProvider } : {}),
    references: references as string[],
    frameworks: frameworks as Record<string, string[]>,
    ...(aliases ? { aliases } : {}),
    match: { kind, ...(whereExpression !== undefined ? { where: whereExpression } : {}) },
    assert: text_('assert'),
    message: text_('message'),
    ...(typeof location === 'string' ? { location } : {}),
    variants,
    ...(group ? { group: group.definition } : {}),
    ...(parameters ? { parameters } : {}),
  };
  return {
    policy: {
      ...definition,
      file,
      builtIn,
      ...(parameters ? { params: Object.fromEntries(Object.entries(parameters).map(([name, parameter]) => [name, parameter.default])) } : {}),
      compiled: { ...(where ? { where } : {}), assert, message, variants: compiledVariants, ...(group ? { group: { message: group.message } } : {}) },
    },
    diagnostics,
  };
}

/**
 * A policy's `group: { by: setting, message }` (see {@link PolicyGroup}). Grouping by setting reads
 * the owner of the field the policy points at, so it needs `location`; and it lists the members it
 * stands for, so the policy must match routes (a stage's) or gateways (an API Management service's APIs).
 */
function readGroup(
  value: unknown,
  where: unknown,
  kind: EntityKind,
  location: string | undefined,
  fail: (message: string, node?: unknown) => void,
  parameters?: ParameterSchema,
): { definition: PolicyGroup; message: MessagePart[] } | undefined {
  if (value === undefined) return undefined;
  const shape = `group must be a mapping { by: ${GROUP_BY.join(' | ')}, message: "... {{group.${kind === 'gateway' ? 'apis' : 'routes'}}} ..." }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(shape, where);
    return undefined;
  }
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) if (key !== 'by' && key !== 'message') fail(`unknown key "group.${key}" (allowed: by, message)`, where);
  if (!(GROUP_BY as readonly unknown[]).includes(record.by)) fail(`group.by must be one of ${GROUP_BY.join(', ')}`, where);
  if (typeof record.message !== 'string' || record.message.trim() === '') fail(shape, where);
  if (!isGroupedKind(kind)) fail('group lists the routes or APIs a finding stands for: it needs match.kind route or gateway', where);
  if (location === undefined) fail('group by setting groups by the owner of the field the policy points at: it needs location (rateLimit, say)', where);
  if (typeof record.message !== 'string' || !(GROUP_BY as readonly unknown[]).includes(record.by) || !isGroupedKind(kind) || location === undefined) return undefined;
  const compiled = compileTemplate(kind, record.message.trim(), 'group', parameters);
  if ('errors' in compiled) {
    for (const { placeholder, error } of compiled.errors) fail(`group.message placeholder {{${placeholder}}} does not compile: ${error}`, where);
    return undefined;
  }
  return { definition: { by: record.by as GroupBy, message: record.message.trim() }, message: compiled.parts };
}

/** The key node of `key` in the mapping `where`, so that each problem is at its own key's line; `where` itself otherwise. */
function keyNode(where: unknown, key: string): unknown {
  return isMap(where) ? (where.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key)?.key ?? where) : where;
}

/**
 * A policy's `aliases`: the ids other scanners give the same check, by scanner
 * (`aliases: { checkov: [CKV_AWS_76], trivy: [AVD-AWS-0001] }`). The scanners are a closed list.
 */
function readAliases(value: unknown, where: unknown, fail: (message: string, node?: unknown) => void): PolicyAliases | undefined {
  if (value === undefined) return undefined;
  const shape = `aliases must map a scanner (${ALIAS_TOOLS.join(', ')}) to a list of its check ids`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(shape, where);
    return undefined;
  }
  const aliases: Partial<Record<AliasTool, string[]>> = {};
  for (const [tool, ids] of Object.entries(value)) {
    if (!(ALIAS_TOOLS as readonly string[]).includes(tool)) {
      const close = closestMatch(tool, new Set(ALIAS_TOOLS));
      fail(`aliases: unknown scanner "${tool}"${close ? `; did you mean "${close}"?` : ''} (${shape})`, keyNode(where, tool));
      continue;
    }
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string' && /^\S+$/.test(id))) {
      fail(`aliases.${tool} must be a list of check ids without spaces`, keyNode(where, tool));
      continue;
    }
    aliases[tool as AliasTool] = ids as string[];
  }
  return Object.keys(aliases).length > 0 ? aliases : undefined;
}

const PARAMETER_NAME = /^[a-z][A-Za-z0-9]*$/;

/**
 * A policy's `parameters`: a mapping from camelCase names (what expressions read as `params.NAME`)
 * to `{ type: number | string | boolean, default, description }`. Each problem at its own key's line.
 */
function readParameters(value: unknown, where: unknown, fail: (message: string, node?: unknown) => void): Record<string, PolicyParameter> | undefined {
  if (value === undefined) return undefined;
  const shape = `parameters must map names to { type: ${PARAMETER_TYPES.join(' | ')}, default, description }`;
  if (typeof value !== 'object' || value === null || Array.isArray(value) || Object.keys(value).length === 0) {
    fail(shape, where);
    return undefined;
  }
  const parameters: Record<string, PolicyParameter> = {};
  for (const [name, raw] of Object.entries(value)) {
    if (!PARAMETER_NAME.test(name)) {
      fail(`parameter name "${name}" must be camelCase (a letter, then letters and digits): expressions read it as params.${name}`, keyNode(where, name));
      continue;
    }
    const entry = raw as Record<string, unknown> | null;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      fail(`parameters.${name}: ${shape}`, keyNode(where, name));
      continue;
    }
    for (const key of Object.keys(entry)) if (!['type', 'default', 'description'].includes(key)) fail(`unknown key "parameters.${name}.${key}" (allowed: type, default, description)`, keyNode(where, name));
    const type = entry.type as ParameterType;
    if (!PARAMETER_TYPES.includes(type)) {
      fail(`parameters.${name}.type must be one of ${PARAMETER_TYPES.join(', ')}`, keyNode(where, name));
      continue;
    }
    if (!isParameterValue(type, entry.default)) {
      fail(`parameters.${name}.default must be a ${type}`, keyNode(where, name));
      continue;
    }
    if (typeof entry.description !== 'string' || entry.description.trim() === '') {
      fail(`parameters.${name}.description must say what the value means`, keyNode(where, name));
      continue;
    }
    parameters[name] = { type, default: entry.default, description: entry.description.trim() };
  }
  return Object.keys(parameters).length === Object.keys(value).length ? parameters : undefined;
}

/**
 * A policy's `remediation`: one text for every provider, or a mapping from provider (`aws`, `azure`,
 * `gcp`, `openapi`) and `default` to texts. A finding shows its provider's text, else `default`,
 * else all of them labelled; rule-level views show all of them labelled.
 */
function readRemediation(value: unknown, where: unknown, fail: (message: string, node?: unknown) => void): { text: string; byProvider?: RemediationByProvider } {
  if (typeof value === 'string') {
    if (value.trim() === '') fail('"remediation" must be a non-empty string, or a mapping of providers to texts', where);
    return { text: value.trim() };
  }
  const shape = `"remediation" must be a text, or a mapping from ${REMEDIATION_KEYS.join(', ')} to texts (e.g. "remediation: { aws: ..., azure: ..., default: ... }")`;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    fail(shape, where);
    return { text: '' };
  }
  const byProvider: Partial<Record<RemediationKey, string>> = {};
  for (const [key, text] of Object.entries(value)) {
    if (!(REMEDIATION_KEYS as readonly string[]).includes(key)) fail(`unknown key "remediation.${key}" (allowed: ${REMEDIATION_KEYS.join(', ')})`, keyNode(where, key));
    else if (typeof text !== 'string' || text.trim() === '') fail(`"remediation.${key}" must be a non-empty text`, keyNode(where, key));
    else byProvider[key as RemediationKey] = text.trim();
  }
  if (Object.keys(byProvider).length === 0) {
    if (Object.keys(value).length === 0) fail(shape, where);
    return { text: '' };
  }
  return { text: combinedRemediation(byProvider), byProvider };
}

/**
 * Whether a policy's `location` names a field of the entity: a top-level field (`auth`), or a field
 * of a nested object by its path (`aws.disableExecuteApiEndpoint`, `azure.minimumClientTls`), whose
 * location adapters record under that full path (`fieldLocations['azure.minimumClientTls']`).
 */
function namesSchemaField(schema: CelSchema, path: string): boolean {
  let current: CelSchema | undefined = schema;
  const segments = path.split('.');
  for (const [index, segment] of segments.entries()) {
    if (!current || !Object.hasOwn(current, segment)) return false;
    const type: CelFieldType = current[segment]!;
    current = index < segments.length - 1 && typeof type === 'object' ? type : undefined;
    if (index < segments.length - 1 && !current) return false;
  }
  return true;
}
