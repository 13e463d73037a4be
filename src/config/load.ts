import { statSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, isAlias, isMap, isScalar, isSeq, type Alias, type Document, type Node as YamlNode, type Pair } from 'yaml';
import { describeNesting, type NestingOverflow } from '../sources/nesting.js';
import { aliasResolver, parseYamlDocument } from '../sources/yaml.js';
import { PACK_NAMES, type PackName } from '../model/packs.js';
import { FAIL_ON_VALUES, isParameterValue, SEVERITIES, type PolicyParameter, type Severity } from '../model/findings.js';
import { GatewardenError } from '../errors.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { AZURE_LOG_DESTINATIONS, AZURE_LOGGED_CONTENT } from '../model/entities.js';
import type { SourceLocation } from '../model/location.js';
import { APIM_NETWORK_TYPES, APIM_TLS_VERSIONS, CONFIG_FILE_NAMES, type ApimServiceConfig, type ApimServiceFacts, type ConfigFact, type AzureConfig, type ConfigParameterValue, type ConfigPolicies, type ConfigPolicyReference, type ConfigPolicyReferenceKey, type ConfigSuppression, type GatewardenConfig, type OwnerPath, type OwnersConfig } from './config.js';
import { globProblem, MAX_PATTERN_LENGTH } from './glob.js';
import { closestMatch, didYouMean } from '../suggest.js';
import { DEFAULT_LIMITS, LIMITS, LIMIT_NAMES, formatLimit, limitDiagnostic, parseLimitValue, type LimitName } from '../limits.js';
import { FileAccess, isUnder, realOrResolved } from '../sources/file-access.js';
import { parseAge } from '../age.js';

/** The `fail-on` values, in the order the CLI lists them. */

const TOP_LEVEL_KEYS = ['fail-on', 'policies', 'exclude', 'var-files', 'vars', 'parameter-files', 'parameters', 'baseline', 'suppressions', 'limits', 'history', 'sla', 'azure', 'owners'] as const;
const OWNERS_KEYS = ['paths', 'tag', 'codeowners'] as const;
const POLICIES_KEYS = ['enable', 'disable', 'severity', 'dirs', 'parameters', 'packs'] as const;
const SUPPRESSION_KEYS = ['policy', 'address', 'path', 'reason', 'until'] as const;
const AZURE_KEYS = ['apim'] as const;
const APIM_KEYS = ['services'] as const;
const APIM_SERVICE_KEYS = ['policy', 'diagnostics', 'logged-content', 'public-network-access', 'virtual-network-type', 'minimum-client-tls', 'minimum-backend-tls', 'weak-ciphers'] as const;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Options of {@link loadConfig} and {@link parseConfig}. */
export interface LoadConfigOptions {
  /** `YYYY-MM-DD` that suppressions' `until` is compared with, for the expiry warning; today (UTC) by default. */
  readonly today?: string;
  /** How deeply the file may nest (the `depth` limit; `--limit depth=N` is known before the file is read). */
  readonly depthLimit?: number;
}

/** A loaded config and what is worth telling the user about it without stopping the scan. */
export interface LoadedConfig {
  readonly config: GatewardenConfig;
  /** Warnings (code `suppression`): suppressions without a reason, expired suppressions. */
  readonly warnings: readonly Diagnostic[];
}

/**
 * Finds the config file for a scan: in each start directory (the scan root first; a file stands for
 * its directory) and then in each parent, `.gatewarden.yaml`, then `.gatewarden.yml`. The search
 * goes up to the filesystem root but ends early after checking a directory that contains `.git`
 * (the repository root is the last directory searched, so a config of an enclosing checkout or of
 * the home directory is never picked up by accident), or after checking `stopAt`. The first start
 * directory that finds one wins; undefined when none does.
 */
export function findConfigFile(startDirs: readonly string[], stopAt?: string): string | undefined {
  const stop = stopAt === undefined ? undefined : path.resolve(stopAt);
  for (const start of startDirs) {
    let dir = path.resolve(start);
    if (isFile(dir)) dir = path.dirname(dir);
    for (;;) {
      for (const name of CONFIG_FILE_NAMES) {
        const candidate = path.join(dir, name);
        if (!isFile(candidate)) continue;
        // The config file found is part of the scanned repository; a link in it to a file elsewhere
        // (another checkout's, the home directory's, /proc/self/environ) is not read as its config.
        const real = realOrResolved(candidate);
        const boundary = repositoryRoot(dir);
        if (!isUnder(real, boundary)) {
          throw new GatewardenError('config', `${candidate} is a symbolic link to ${real}, outside the repository (${boundary}); gatewarden does not read it. Name a config file outside the repository with --config if that is what you mean`);
        }
        return candidate;
      }
      if (dir === stop || exists(path.join(dir, '.git'))) break;
      const parent = path.dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return undefined;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}


/**
 * The repository a directory belongs to (the nearest ancestor holding `.git`), or the directory itself
 * outside a repository. Paths a config file names must stay inside it: the config file is part of the
 * scanned input, so it must not widen what gatewarden reads (only the command line can, with --allow-read).
 */
export function repositoryRoot(dir: string): string {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (exists(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return path.resolve(dir);
  }
}

function exists(file: string): boolean {
  try {
    statSync(file);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates a config file. `displayPath` renders absolute paths the way reports show them
 * (relative to the scan root); locations and messages use it. Throws {@link GatewardenError} naming
 * `file:line:col` and the fix for every problem found (invalid YAML, duplicate or unknown keys, wrong
 * types, unknown severities, malformed dates or globs); an empty file is an empty config.
 */
export function loadConfig(file: string, displayPath: (absolutePath: string) => string, options: LoadConfigOptions = {}): LoadedConfig {
  const absolute = path.resolve(file);
  // Through the file access layer: a FIFO named .gatewarden.yaml must not hang the run, a UTF-16 file
  // is decoded like any other input, and a huge one is refused.
  const read = new FileAccess({ roots: [absolute], display: displayPath }).read(absolute);
  if (!read.ok) throw new GatewardenError('config', `cannot read the config file: ${read.message}`);
  return parseConfig(read.text, absolute, displayPath, options);
}

/** {@link loadConfig} on text already read: `file` is where it came from (relative paths resolve against its directory). */
export function parseConfig(text: string, file: string, displayPath: (absolutePath: string) => string, options: LoadConfigOptions = {}): LoadedConfig {
  const absolute = path.resolve(file);
  const reader = new ConfigReader(text, absolute, displayPath(absolute), options.today ?? new Date().toISOString().slice(0, 10), options.depthLimit ?? DEFAULT_LIMITS.depth);
  const config = reader.read();
  if (reader.problems.length > 0 || config === undefined) throw problemsError(displayPath(absolute), reader.problems);
  return { config, warnings: reader.warnings };
}

/** A problem with its place, before it is folded into the thrown error. */
interface Problem {
  readonly message: string;
  readonly location: SourceLocation;
}

function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.startLine}:${location.startColumn}`;
}

/** One error for all problems, so that a user fixes them in one go; it points at the first. */
function problemsError(shown: string, problems: readonly Problem[]): GatewardenError {
  // In file order, however the checks ran: that is how a user works through them.
  const sorted = [...problems].sort((a, b) => a.location.startLine - b.location.startLine || a.location.startColumn - b.location.startColumn);
  const first = sorted[0]!;
  if (problems.length === 1) return new GatewardenError('config', `${formatLocation(first.location)}: ${first.message}`, first.location);
  const lines = sorted.map((problem) => `${formatLocation(problem.location)}: ${problem.message}`);
  return new GatewardenError('config', `${shown} has ${problems.length} problems:`, first.location, lines);
}

/** A node's value for messages: what the user wrote, briefly. */
function describe(node: unknown): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const value = node.value;
    if (value === null || value === undefined) return 'no value';
    if (typeof value === 'string') return `"${value}"`;
    return `the ${typeof value} ${String(value)}`;
  }
  return 'no value';
}

/** Walks the YAML nodes (not `toJS()`), so every problem has the line and column it is at. */
class ConfigReader {
  readonly problems: Problem[] = [];
  readonly warnings: Diagnostic[] = [];
  private readonly lineCounter = new LineCounter();
  private readonly doc: Document | undefined;
  /** Where the file nests deeper than the limit, when it does (it is then not composed). */
  private readonly tooDeep: NestingOverflow | undefined;
  private readonly resolveAlias: (alias: Alias) => YamlNode | undefined;
  private readonly dir: string;
  private readonly references: ConfigPolicyReference[] = [];
  /** The repository the file belongs to: the paths it names must stay inside. */
  private readonly boundary: string;

  constructor(
    private readonly text: string,
    private readonly file: string,
    private readonly shown: string,
    private readonly today: string,
    private readonly depthLimit: number,
  ) {
    const parsed = parseYamlDocument(text, { lineCounter: this.lineCounter, uniqueKeys: true }, depthLimit);
    this.doc = 'document' in parsed ? parsed.document : undefined;
    this.tooDeep = 'tooDeep' in parsed ? parsed.tooDeep : undefined;
    this.resolveAlias = this.doc ? aliasResolver(this.doc) : () => undefined;
    this.dir = path.dirname(file);
    this.boundary = repositoryRoot(this.dir);
  }

  read(): GatewardenConfig | undefined {
    if (!this.doc) {
      const overflow = this.tooDeep!;
      const what = `the file nests ${describeNesting(overflow, this.depthLimit)} deep`;
      const hit = { name: 'depth', limit: this.depthLimit, what, ...(overflow.atLeast ? {} : { found: overflow.depth }) } as const;
      this.problems.push({ message: limitDiagnostic(hit).message, location: this.locate(overflow.offset, overflow.offset + 1) });
      return undefined;
    }
    for (const error of this.doc.errors) this.problems.push({ message: this.yamlErrorMessage(error.code, error.message, error.pos[0]), location: this.locate(error.pos[0], error.pos[1]) });
    if (this.problems.length > 0) return undefined;

    const empty: GatewardenConfig = { file: this.file, dir: this.dir, policies: {}, exclude: [], varFiles: [], vars: new Map(), parameterFiles: [], parameters: new Map(), suppressions: [], policyReferences: [] };
    const root = this.resolve(this.doc.contents);
    // A file of comments only (or a lone "~") is an empty config: every key is optional.
    if (root === undefined || (isScalar(root) && root.value === null)) return empty;
    const keys = this.mapping(root, 'the config file', TOP_LEVEL_KEYS, 'write "key: value" lines, e.g. "fail-on: high"');
    if (!keys) return undefined;

    const value = (key: (typeof TOP_LEVEL_KEYS)[number]): YamlNode | undefined => (keys.has(key) ? this.valueOf(keys.get(key)!) : undefined);
    const failOn = keys.has('fail-on') ? this.enumValue(value('fail-on'), '"fail-on"', FAIL_ON_VALUES) : undefined;
    const policies = keys.has('policies') ? this.policies(value('policies')) : {};
    const exclude = keys.has('exclude') ? this.globList(value('exclude'), '"exclude"') : [];
    const varFiles = keys.has('var-files') ? this.pathList(value('var-files'), '"var-files"', '--var-file') : [];
    const vars = keys.has('vars') ? this.textMap(value('vars'), '"vars"', 'a Terraform variable', 'write a list or map as HCL text in quotes, e.g. regions: \'["eu-west-1"]\'') : new Map<string, string>();
    const parameterFiles = keys.has('parameter-files') ? this.pathList(value('parameter-files'), '"parameter-files"', '--parameter-file') : [];
    const parameters = keys.has('parameters') ? this.textMap(value('parameters'), '"parameters"', 'a parameter', 'write a CommaDelimitedList as one string, e.g. Subnets: "subnet-1,subnet-2"') : new Map<string, string>();
    const baselineText = keys.has('baseline') ? this.string(value('baseline'), '"baseline"', 'the path of a baseline file, e.g. baseline: .gatewarden-baseline.json') : undefined;
    if (baselineText !== undefined) this.checkInside(baselineText, value('baseline'), '"baseline"', '--baseline');
    const suppressions = keys.has('suppressions') ? this.suppressions(value('suppressions')) : [];
    const limits = keys.has('limits') ? this.limits(value('limits')) : undefined;
    const historyText = keys.has('history') ? this.string(value('history'), '"history"', 'the path of the history database or a postgres:// URL, e.g. history: gatewarden-history.db') : undefined;
    // A PostgreSQL URL names a server, and the config file comes from the repository scanned: a pull
    // request that changed it would make this job log in there with its PGPASSWORD or ~/.pgpass
    // credentials (a server may ask for the password in clear text). So the server is named only on
    // the command line, which the job's author writes. The same test as isPostgresUrl (the config
    // layer does not import the history's).
    const historyUrl = historyText !== undefined && /^postgres(ql)?:\/\//i.test(historyText);
    if (historyUrl) {
      this.fail(
        value('history'),
        '"history" names a PostgreSQL server: give it on the command line (--history postgres://...) instead; a server named in a file of the repository scanned could be changed by a pull request to receive this job\'s database credentials (docs/nightly.md#postgresql)',
      );
    } else if (historyText !== undefined) this.checkInside(historyText, value('history'), '"history"', '--history');
    const sla = keys.has('sla') ? this.sla(value('sla')) : undefined;
    const azure = keys.has('azure') ? this.azure(value('azure')) : undefined;
    const owners = keys.has('owners') ? this.owners(value('owners')) : undefined;
    if (this.problems.length > 0) return undefined;
    return {
      ...empty,
      ...(failOn !== undefined ? { failOn } : {}),
      policies,
      exclude,
      varFiles,
      vars,
      parameterFiles,
      parameters,
      ...(baselineText !== undefined ? { baseline: path.resolve(this.dir, baselineText) } : {}),
      suppressions,
      ...(limits !== undefined ? { limits } : {}),
      ...(historyText !== undefined ? { history: historyUrl ? historyText : path.resolve(this.dir, historyText) } : {}),
      ...(sla !== undefined ? { sla } : {}),
      ...(azure !== undefined ? { azure } : {}),
      ...(owners !== undefined ? { owners } : {}),
      policyReferences: this.references,
    };
  }

  /**
   * `owners: { paths: { "infra/payments/**": team-payments }, tag: owner, codeowners: false }`:
   * `paths` keeps the file's order (the first match wins); `tag` is one key or a list of keys.
   */
  private owners(node: YamlNode | undefined): OwnersConfig | undefined {
    const example = 'write it as, e.g., "owners: { paths: { \"infra/payments/**\": team-payments }, tag: owner }"';
    const keys = this.mapping(node, '"owners"', OWNERS_KEYS, example);
    if (!keys) return undefined;
    const paths: OwnerPath[] = [];
    if (keys.has('paths')) {
      const map = this.valueOf(keys.get('paths')!);
      if (!isMap(map)) {
        this.fail(map ?? keys.get('paths')!.key, `"owners.paths" must map glob patterns to owners, e.g. "infra/payments/**": team-payments; found ${describe(map)}`);
      } else {
        for (const pair of map.items) {
          const glob = this.keyText(pair, '"owners.paths"');
          if (glob === undefined) continue;
          const problem = globProblem(glob);
          if (problem !== undefined) {
            this.fail(pair.key, `${problem}; see docs/config.md#globs`);
            continue;
          }
          const owner = this.string(this.valueOf(pair), `the owner of "${glob}"`, 'a team or person, e.g. team-payments');
          if (owner !== undefined) paths.push({ glob, owner: owner.trim() });
        }
      }
    }
    let tags: string[] = [];
    if (keys.has('tag')) {
      const tagNode = this.valueOf(keys.get('tag')!);
      if (isSeq(tagNode)) tags = this.stringList(tagNode, '"owners.tag"', 'tag keys, e.g. [owner, team]', 1).map((item) => item.value.trim());
      else {
        const single = this.string(tagNode, '"owners.tag"', 'a tag or label key, e.g. owner, or a list of keys');
        if (single !== undefined) tags = [single.trim()];
      }
    }
    let codeowners = true;
    if (keys.has('codeowners')) {
      const flag = this.valueOf(keys.get('codeowners')!);
      if (isScalar(flag) && typeof flag.value === 'boolean') codeowners = flag.value;
      else this.fail(flag ?? keys.get('codeowners')!.key, `"owners.codeowners" must be true or false; found ${describe(flag)}`);
    }
    return { paths, tags, codeowners };
  }

  /** `sla:` maps severities to how long their findings may stay open: `{ critical: 7d, high: 30d }`. */
  private sla(node: YamlNode | undefined): Map<Severity, number> {
    const out = new Map<Severity, number>();
    const keys = this.mapping(node, '"sla"', SEVERITIES, 'write it as, e.g., "sla: { critical: 7d, high: 30d }"');
    if (!keys) return out;
    for (const [severity, pair] of keys) {
      const value = this.valueOf(pair);
      const age = isScalar(value) && typeof value.value === 'string' ? parseAge(value.value) : undefined;
      if (age === undefined) {
        this.fail(value ?? pair.key, `the SLA of ${severity} findings must be a number of hours, days or weeks, e.g. 7d, 48h or 2w; found ${describe(value)}`);
        continue;
      }
      out.set(severity, age);
    }
    return out;
  }

  /** `limits:` maps limit names to values: numbers, sizes (`512MB`) or durations (`30s`), by the limit's unit. */
  private limits(node: YamlNode | undefined): Map<LimitName, number> {
    const out = new Map<LimitName, number>();
    const keys = this.mapping(node, '"limits"', LIMIT_NAMES, 'write it as, e.g., "limits: { file-size: 512MB, instances: 20000 }"');
    if (!keys) return out;
    for (const [name, pair] of keys) {
      const value = this.valueOf(pair);
      // A count is written as a number; sizes and durations may carry their unit (512MB, 30s).
      const written = isScalar(value) && (typeof value.value === 'number' || (typeof value.value === 'string' && LIMITS[name].unit !== 'count')) ? value.value : undefined;
      const quoted = isScalar(value) && typeof value.value === 'string' && /^\s*\d+\s*$/.test(value.value) ? `, written without quotes (${name}: ${value.value.trim()})` : '';
      const parsed = written !== undefined ? parseLimitValue(name, written as string | number) : { problem: `the limit "${name}" (${LIMITS[name].bounds}) must be ${LIMITS[name].unit === 'count' ? 'a whole number' : LIMITS[name].unit === 'bytes' ? 'a size, e.g. 512MB' : 'a duration, e.g. 30s'}${quoted}; found ${describe(value)}` };
      if (typeof parsed !== 'number') {
        this.fail(value ?? pair.key, parsed.problem);
        continue;
      }
      out.set(name, parsed);
      if (parsed > LIMITS[name].default) {
        this.warnings.push({
          severity: 'warning',
          code: 'config',
          message: `limits: ${name} is above its default (${formatLimit(name, LIMITS[name].default)}) and is not raised: a config file is part of the scanned input, so it may only lower a limit. Raise it on the command line: --limit ${name}=${String(value?.toJSON())}`,
          location: this.location(value),
        });
      }
    }
    return out;
  }

  /**
   * `azure: { apim: { services: { <name>: { policy: <file> | none } } } }`: the global policy of an
   * API Management service the scan does not show. The file is checked like every path of the file
   * (inside the repository), and read through the scan's file boundary.
   */
  private azure(node: YamlNode | undefined): AzureConfig | undefined {
    const example = 'write it as, e.g., "azure: { apim: { services: { platform-apim: { policy: policies/global.xml } } } }"';
    const azure = this.mapping(node, '"azure"', AZURE_KEYS, example);
    if (!azure) return undefined;
    const apim = azure.has('apim') ? this.mapping(this.valueOf(azure.get('apim')!), '"azure.apim"', APIM_KEYS, example) : undefined;
    const apimServices = new Map<string, ApimServiceConfig>();
    if (!apim?.has('services')) return { apimServices };
    const services = this.valueOf(apim.get('services')!);
    if (!isMap(services)) {
      this.fail(services ?? apim.get('services')!.key, `"azure.apim.services" must map API Management service names to settings, e.g. "platform-apim: { policy: policies/global.xml }"; found ${describe(services)}`);
      return { apimServices };
    }
    for (const pair of services.items) {
      const name = this.keyText(pair, '"azure.apim.services"');
      if (name === undefined) continue;
      const what = `"azure.apim.services.${name}"`;
      const policyWhat = `"azure.apim.services.${name}.policy"`;
      const written = this.valueOf(pair);
      const settings = this.mapping(written, what, APIM_SERVICE_KEYS, 'give its global policy, e.g. "policy: policies/global.xml", or "policy: none" when it has none');
      if (!settings) continue;
      // An entry whose only keys are misspelt has had its error at each of them.
      if (settings.size === 0 && isMap(written) && written.items.length === 0) {
        this.fail(pair.key, `${what} says nothing of the service; give the file of its global policy ("policy: policies/global.xml", or "none" when it has none) or facts about it (see docs/config.md#azure)`);
        continue;
      }
      const facts = this.apimFacts(settings, what);
      if (!settings.has('policy')) {
        apimServices.set(name, { location: this.location(pair.key as YamlNode), facts });
        continue;
      }
      const policyNode = this.valueOf(settings.get('policy')!);
      const file = this.string(policyNode, policyWhat, 'the path of the service\'s global policy (XML), relative to this file, or none');
      if (file === undefined) continue;
      const location = this.location(policyNode);
      if (file.trim() === 'none') {
        apimServices.set(name, { policy: 'none', location, facts });
        continue;
      }
      this.checkInside(file, policyNode, policyWhat, 'copy the service\'s policy into the repository and name the copy');
      apimServices.set(name, { policy: { file: path.resolve(this.dir, file) }, location, facts });
    }
    return { apimServices };
  }

  /**
   * The facts `azure.apim.services.<name>` states about a deployed service (see ApimServiceFacts),
   * each checked against the values the service can have, with an error at its line otherwise.
   */
  private apimFacts(settings: Map<(typeof APIM_SERVICE_KEYS)[number], Pair>, what: string): ApimServiceFacts {
    const fact = <T>(key: (typeof APIM_SERVICE_KEYS)[number], read: (node: YamlNode | undefined, at: string) => T | undefined): ConfigFact<T> | undefined => {
      const pair = settings.get(key);
      if (!pair) return undefined;
      const node = this.valueOf(pair);
      const value = read(node, `${what.slice(0, -1)}.${key}"`);
      return value === undefined ? undefined : { value, location: this.location(node ?? (pair.key as YamlNode)) };
    };
    const oneOf =
      <T extends string>(allowed: readonly T[]) =>
      (node: YamlNode | undefined, at: string): T | undefined => {
        const text = isScalar(node) && node.value !== null ? this.scalarText(node) : undefined;
        if (text !== undefined && (allowed as readonly string[]).includes(text)) return text as T;
        this.fail(node, `${at} must be one of ${allowed.join(', ')}; found ${describe(node)}`);
        return undefined;
      };
    const bool = (node: YamlNode | undefined, at: string): boolean | undefined => {
      if (isScalar(node) && typeof node.value === 'boolean') return node.value;
      this.fail(node, `${at} must be true or false; found ${describe(node)}`);
      return undefined;
    };
    // A list of the values the service has, or `none`: it has none of them.
    const listOrNone =
      <T extends string>(allowed: readonly T[]) =>
      (node: YamlNode | undefined, at: string): T[] | undefined => {
        if (isScalar(node) && node.value === 'none') return [];
        const hint = `a list of ${allowed.join(', ')}, or none`;
        if (!isSeq(node) || node.items.length === 0) {
          this.fail(node, `${at} must be ${hint}; found ${describe(node)}`);
          return undefined;
        }
        const items = this.stringList(node, at, allowed.join(', '), 1);
        const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item.value));
        for (const item of wrong) this.fail(item.node, `${at} lists ${JSON.stringify(item.value)}${didYouMean(item.value, allowed)}; it must be ${hint}`);
        return wrong.length > 0 || items.length !== node.items.length ? undefined : [...new Set(items.map((item) => item.value as T))];
      };
    const facts = {
      diagnostics: fact('diagnostics', listOrNone(AZURE_LOG_DESTINATIONS)),
      loggedContent: fact('logged-content', listOrNone(AZURE_LOGGED_CONTENT)),
      publicNetworkAccess: fact('public-network-access', bool),
      virtualNetworkType: fact('virtual-network-type', oneOf(APIM_NETWORK_TYPES)),
      minimumClientTls: fact('minimum-client-tls', oneOf(APIM_TLS_VERSIONS)),
      minimumBackendTls: fact('minimum-backend-tls', oneOf(APIM_TLS_VERSIONS)),
      weakCiphersEnabled: fact('weak-ciphers', bool),
    };
    return Object.fromEntries(Object.entries(facts).filter(([, value]) => value !== undefined)) as ApimServiceFacts;
  }

  private policies(node: YamlNode | undefined): ConfigPolicies {
    const keys = this.mapping(node, '"policies"', POLICIES_KEYS, 'write it as, e.g., "policies: { disable: [throttling-configured] }"');
    if (!keys) return {};
    const ids = (key: 'enable' | 'disable', minItems: number): string[] | undefined => {
      if (!keys.has(key)) return undefined;
      const list = this.stringList(this.valueOf(keys.get(key)!), `"policies.${key}"`, 'policy ids, e.g. [route-requires-auth]', minItems);
      for (const item of list) this.reference(item.value, `policies.${key}`, item.node);
      return list.map((item) => item.value);
    };
    const packs = keys.has('packs') ? this.packs(this.valueOf(keys.get('packs')!)) : undefined;
    // An empty allow-list would silently run nothing: almost certainly not what was meant.
    const enable = ids('enable', 1);
    const disable = ids('disable', 0);
    let severity: Map<string, Severity> | undefined;
    if (keys.has('severity')) {
      severity = new Map();
      const node = this.valueOf(keys.get('severity')!);
      if (!isMap(node)) {
        this.fail(node ?? keys.get('severity')!.key, `"policies.severity" must map policy ids to severities (e.g. "cors-not-open: critical"); found ${describe(node)}`);
      } else {
        for (const pair of node.items) {
          const id = this.keyText(pair, '"policies.severity"');
          if (id === undefined) continue;
          const level = this.enumValue(this.valueOf(pair), `the severity of "${id}"`, SEVERITIES, pair.key);
          this.reference(id, 'policies.severity', pair.key);
          if (level !== undefined) severity.set(id, level);
        }
      }
    }
    const dirs = keys.has('dirs') ? this.pathList(this.valueOf(keys.get('dirs')!), '"policies.dirs"', '--policies') : undefined;
    const parameters = keys.has('parameters') ? this.parameters(keys.get('parameters')!) : undefined;
    return {
      ...(packs !== undefined ? { packs, packsLocation: this.location(keys.get('packs')!.key as YamlNode) } : {}),
      ...(enable !== undefined ? { enable } : {}),
      ...(disable !== undefined ? { disable } : {}),
      ...(severity !== undefined ? { severity } : {}),
      ...(dirs !== undefined ? { dirs } : {}),
      ...(parameters !== undefined ? { parameters } : {}),
    };
  }

  /** `policies.packs`: pack names (src/model/packs.ts), each checked where it is written. */
  private packs(node: YamlNode | undefined): PackName[] {
    const packs: PackName[] = [];
    for (const item of this.stringList(node, '"policies.packs"', `pack names (${PACK_NAMES.join(', ')}), e.g. [headline]`, 1)) {
      const pack = this.enumValue(item.node, `the pack "${item.value}"`, PACK_NAMES, item.node);
      if (pack !== undefined && !packs.includes(pack)) packs.push(pack);
    }
    return packs;
  }

  /** `policies.parameters`: policy id -> parameter name -> a number, text or boolean. */
  private parameters(pair: Pair): Map<string, Map<string, ConfigParameterValue>> {
    const out = new Map<string, Map<string, ConfigParameterValue>>();
    const node = this.valueOf(pair);
    const example = 'e.g. "parameters: { api-keys-rotated: { maxAgeDays: 180 } }"';
    if (!isMap(node)) {
      this.fail(node ?? pair.key, `"policies.parameters" must map policy ids to their parameters (${example}); found ${describe(node)}`);
      return out;
    }
    for (const policyPair of node.items) {
      const id = this.keyText(policyPair, '"policies.parameters"');
      if (id === undefined) continue;
      this.reference(id, 'policies.parameters', policyPair.key);
      const values = this.valueOf(policyPair);
      if (!isMap(values)) {
        this.fail(values ?? policyPair.key, `the parameters of "${id}" must be a mapping of names to values (${example}); found ${describe(values)}`);
        continue;
      }
      const named = new Map<string, ConfigParameterValue>();
      for (const valuePair of values.items) {
        const name = this.keyText(valuePair, `the parameters of "${id}"`);
        if (name === undefined) continue;
        const value = this.valueOf(valuePair);
        const scalar = isScalar(value) ? value.value : undefined;
        if (typeof scalar !== 'number' && typeof scalar !== 'string' && typeof scalar !== 'boolean') {
          this.fail(value ?? valuePair.key, `the parameter "${name}" of "${id}" must be a number, a text or true/false; found ${describe(value)}`);
          continue;
        }
        named.set(name, { value: scalar, location: this.location(value) });
      }
      out.set(id, named);
    }
    return out;
  }

  private suppressions(node: YamlNode | undefined): ConfigSuppression[] {
    if (!isSeq(node)) {
      this.fail(node, `"suppressions" must be a list of entries starting with "- policy:"; found ${describe(node)}`);
      return [];
    }
    const out: ConfigSuppression[] = [];
    for (const raw of node.items) {
      const item = this.resolve(raw);
      const keys = this.mapping(item, 'a suppression', SUPPRESSION_KEYS, 'each entry is "- policy: <id>" with "address:" and "reason:" below it');
      if (!keys || !item) continue;
      const location = this.location(item);
      const field = (key: (typeof SUPPRESSION_KEYS)[number], hint: string): string | undefined => (keys.has(key) ? this.string(this.valueOf(keys.get(key)!), `"${key}"`, hint) : undefined);
      for (const required of ['policy', 'address'] as const) {
        if (!keys.has(required)) {
          this.fail(item, `this suppression has no "${required}"; ${required === 'policy' ? 'add the id of the policy it accepts, e.g. "policy: route-requires-auth"' : 'add the resource address it applies to, e.g. "address: aws_api_gateway_method.health" (a "*" matches any characters: "module.legacy.*")'}`);
        }
      }
      const policyId = field('policy', 'a policy id, e.g. route-requires-auth');
      const address = field('address', 'a resource address, e.g. aws_api_gateway_method.health');
      const glob = field('path', 'a glob of the files it applies to, e.g. "legacy/**"');
      if (address !== undefined && address.length > MAX_PATTERN_LENGTH) {
        this.fail(this.valueOf(keys.get('address')!), `the address "${address.slice(0, 40)}…" has ${address.length.toLocaleString('en-US')} characters; an address pattern may be at most ${MAX_PATTERN_LENGTH.toLocaleString('en-US')} (matching costs its length times the address's)`);
      }
      if (glob !== undefined) {
        const problem = globProblem(glob);
        if (problem !== undefined) this.fail(this.valueOf(keys.get('path')!), `${problem}; see docs/config.md#globs`);
      }
      let reason: string | undefined;
      if (keys.has('reason')) {
        const node = this.valueOf(keys.get('reason')!);
        // A blank reason is no reason (a warning below), not a type error.
        if (isScalar(node) && typeof node.value === 'string') reason = node.value;
        else this.fail(node ?? keys.get('reason')!.key, `"reason" must be a sentence saying why the risk is accepted; found ${describe(node)}`);
      }
      const until = keys.has('until') ? this.date(this.valueOf(keys.get('until')!), keys.get('until')!.key) : undefined;
      if (policyId !== undefined) this.reference(policyId, 'suppressions', this.valueOf(keys.get('policy')!));
      if (policyId === undefined || address === undefined) continue;
      const what = `the config suppression of ${policyId} on ${address}`;
      if (reason === undefined || reason.trim() === '') {
        this.warnings.push({ severity: 'warning', code: 'suppression', message: `${what} gives no reason; add "reason:" saying why the risk is accepted`, location, address });
      }
      if (until !== undefined && until < this.today) {
        this.warnings.push({ severity: 'warning', code: 'suppression', message: `${what} expired on ${until}; its findings are reported again (renew "until" or remove the suppression)`, location: this.location(this.valueOf(keys.get('until')!)!), address });
      }
      out.push({
        policyId,
        address,
        ...(glob !== undefined ? { path: glob } : {}),
        ...(reason !== undefined && reason.trim() !== '' ? { reason } : {}),
        ...(until !== undefined ? { until } : {}),
        location,
      });
    }
    return out;
  }

  // --- value readers: each reports its own problem and returns undefined (or an empty value) ---

  /** Checks that `node` is a mapping whose keys are all known, and returns its pairs by key. */
  private mapping<K extends string>(node: YamlNode | undefined, what: string, allowed: readonly K[], hint: string): Map<K, Pair> | undefined {
    if (!isMap(node)) {
      this.fail(node, `${what} must be a mapping; found ${describe(node)}. ${hint[0]!.toUpperCase()}${hint.slice(1)}`);
      return undefined;
    }
    const out = new Map<K, Pair>();
    for (const pair of node.items) {
      const key = this.keyText(pair, what);
      if (key === undefined) continue;
      if (!(allowed as readonly string[]).includes(key)) {
        if (key === 'allow-read' && what === 'the config file') {
          this.fail(pair.key, '"allow-read" can only be given on the command line (--allow-read DIR): the config file is part of the scanned input, so it cannot widen what gatewarden reads');
          continue;
        }
        this.fail(pair.key, `unknown key "${key}" in ${what}${didYouMean(key, allowed)} (the keys are: ${allowed.join(', ')}; see docs/config.md)`);
        continue;
      }
      out.set(key as K, pair);
    }
    return out;
  }

  /** A mapping key as text: the source of a plain scalar, so `1.10:` stays "1.10". */
  private keyText(pair: Pair, what: string): string | undefined {
    const key = this.resolve(pair.key);
    if (!isScalar(key) || key.value === null || key.value === undefined || this.scalarText(key) === '') {
      this.fail(key ?? this.resolve(pair.value), `${what} has a key that is not a name (a list, a mapping or nothing); write each key as plain text before its ":"`);
      return undefined;
    }
    return this.scalarText(key);
  }

  private valueOf(pair: Pair): YamlNode | undefined {
    return this.resolve(pair.value);
  }

  /** Follows aliases (`*anchor`), so that YAML anchors work everywhere. */
  private resolve(node: unknown): YamlNode | undefined {
    if (isAlias(node)) return this.resolve(this.resolveAlias(node));
    if (node === null || node === undefined) return undefined;
    return node as YamlNode;
  }

  private string(node: YamlNode | undefined, what: string, hint: string): string | undefined {
    if (!isScalar(node) || typeof node.value !== 'string' || node.value.trim() === '') {
      this.fail(node, `${what} must be ${hint}; found ${describe(node)}`);
      return undefined;
    }
    return node.value;
  }

  private stringList(node: YamlNode | undefined, what: string, hint: string, minItems: number): Array<{ value: string; node: YamlNode }> {
    if (!isSeq(node)) {
      this.fail(node, `${what} must be a list of ${hint}; found ${describe(node)}`);
      return [];
    }
    if (node.items.length < minItems) {
      this.fail(node, `${what} is empty, so nothing would run; list at least one id, or remove the key to run every policy`);
      return [];
    }
    const out: Array<{ value: string; node: YamlNode }> = [];
    for (const raw of node.items) {
      const item = this.resolve(raw);
      if (!isScalar(item) || typeof item.value !== 'string' || item.value.trim() === '') {
        this.fail(item ?? node, `${what} must list ${hint}; found ${describe(item)}`);
        continue;
      }
      out.push({ value: item.value, node: item });
    }
    return out;
  }

  private pathList(node: YamlNode | undefined, what: string, flag: string): string[] {
    const items = this.stringList(node, what, 'paths relative to the config file', 0);
    for (const item of items) this.checkInside(item.value, item.node, what, flag);
    return items.map((item) => path.resolve(this.dir, item.value));
  }

  /**
   * A path the file names must lead inside its repository, symbolic links followed. `instead` is the
   * command-line flag that can name it (`--var-file`), or a sentence saying what to do.
   */
  private checkInside(written: string, node: unknown, what: string, instead: string): void {
    const absolute = path.resolve(this.dir, written);
    const real = realOrResolved(absolute);
    if (isUnder(real, this.boundary)) return;
    const leads = real === absolute ? '' : ` (it leads to ${real})`;
    const fix = instead.startsWith('--') ? `Give the path on the command line instead (${instead})` : `${instead[0]!.toUpperCase()}${instead.slice(1)}`;
    this.fail(node, `${what} names ${written}, which is outside the repository${leads}; a config file is part of the scanned input and may name only files inside its repository (${this.boundary}). ${fix}`);
  }

  private globList(node: YamlNode | undefined, what: string): string[] {
    const list = this.stringList(node, what, 'glob patterns, e.g. ["examples/**"]', 0);
    for (const item of list) {
      const problem = globProblem(item.value);
      if (problem !== undefined) this.fail(item.node, `${problem}; see docs/config.md#globs`);
    }
    return list.map((item) => item.value);
  }

  /** A mapping of names to scalar values, each kept as the text written (`1.10` stays "1.10"). */
  private textMap(node: YamlNode | undefined, what: string, valueName: string, hint: string): Map<string, string> {
    const out = new Map<string, string>();
    if (!isMap(node)) {
      this.fail(node, `${what} must map names to values (e.g. "stage: prod"); found ${describe(node)}`);
      return out;
    }
    for (const pair of node.items) {
      const name = this.keyText(pair, what);
      if (name === undefined) continue;
      const value = this.valueOf(pair);
      if (!isScalar(value) || value.value === null || value.value === undefined) {
        this.fail(value ?? (pair.key), `the value of ${valueName} "${name}" must be a string, number or boolean; found ${describe(value)}. ${hint[0]!.toUpperCase()}${hint.slice(1)}`);
        continue;
      }
      out.set(name, this.scalarText(value));
    }
    return out;
  }

  /** A scalar's text: its value for strings, what was written for numbers and booleans. */
  private scalarText(node: YamlNode & { value: unknown; type?: string }): string {
    if (typeof node.value === 'string') return node.value;
    const range = node.range;
    if (range && node.type === 'PLAIN') return this.text.slice(range[0], range[1]);
    return String(node.value);
  }

  private enumValue<T extends string>(node: YamlNode | undefined, what: string, values: readonly T[], fallback?: unknown): T | undefined {
    if (isScalar(node) && typeof node.value === 'string' && (values as readonly string[]).includes(node.value)) return node.value as T;
    const written = isScalar(node) && node.value !== null ? String(node.value) : undefined;
    const suggestion = written !== undefined ? didYouMean(written, values) : '';
    this.fail(node ?? fallback, `${what} must be one of ${values.join(', ')}; found ${describe(node)}${suggestion}`);
    return undefined;
  }

  private date(node: YamlNode | undefined, fallback: unknown): string | undefined {
    const value = isScalar(node) ? node.value : undefined;
    const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
    if (typeof value !== 'string' || !match) {
      this.fail(node ?? fallback, `"until" must be a date written YYYY-MM-DD, e.g. "until: 2027-03-31"; found ${describe(node)}`);
      return undefined;
    }
    const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const parsed = new Date(Date.UTC(year, month - 1, day));
    if (parsed.getUTCFullYear() !== year || parsed.getUTCMonth() !== month - 1 || parsed.getUTCDate() !== day) {
      this.fail(node, `"until: ${value}" is not a day of the calendar; write a real date as YYYY-MM-DD`);
      return undefined;
    }
    return value;
  }

  private reference(id: string, key: ConfigPolicyReferenceKey, node: unknown): void {
    this.references.push({ id, key, location: this.location(this.resolve(node)) });
  }

  // --- positions ---

  private fail(node: unknown, message: string): void {
    this.problems.push({ message, location: this.location(this.resolve(node)) });
  }

  /** The node's range; the whole file's first line when there is no node (a key with no value is given its key instead). */
  private location(node: YamlNode | undefined): SourceLocation {
    const range = node?.range;
    return range ? this.locate(range[0], range[1]) : this.locate(0, 0);
  }

  private locate(start: number, end: number): SourceLocation {
    const from = this.lineCounter.linePos(start);
    // Ranges of block nodes end after their newline; the location ends on the last character.
    let last = end;
    while (last > start && /\s/.test(this.text[last - 1] ?? '')) last--;
    const to = this.lineCounter.linePos(last);
    return { file: this.shown, startLine: from.line, startColumn: from.col, endLine: to.line, endColumn: to.col };
  }

  /** yaml's messages, made to say what to do; the position is added by the caller. */
  private yamlErrorMessage(code: string, message: string, offset: number): string {
    const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
    if (code === 'DUPLICATE_KEY') {
      const key = /^\s*(?:-\s+)?(["']?)([^:"'\n]+)\1\s*:/.exec(this.text.slice(offset))?.[2]?.trim();
      return `the key ${key !== undefined ? `"${key}" ` : ''}is given twice in the same mapping; keep one (YAML would otherwise silently use the last)`;
    }
    if (code === 'MULTIPLE_DOCS') return 'the config file holds several YAML documents ("---"); keep one';
    return `invalid YAML: ${first}; check the indentation and quoting at this position`;
  }
}

/**
 * What {@link checkPolicyParameters} needs of a loaded policy (the engine's `Policy` has it; the
 * config layer does not import the engine, docs/architecture.md).
 */
export interface PolicyParameters {
  readonly id: string;
  readonly parameters?: Readonly<Record<string, Pick<PolicyParameter, 'type' | 'description'>>>;
}

/**
 * Checks `policies.parameters` against the loaded policies: each name must be a parameter the policy
 * declares (the closest suggested), each value of its type. Unknown policy ids are left to
 * {@link checkPolicyIds}. Undefined when every value fits.
 */
export function checkPolicyParameters(config: Pick<GatewardenConfig, 'policies'>, policies: ReadonlyArray<PolicyParameters>): GatewardenError | undefined {
  const problems: Problem[] = [];
  const byId = new Map(policies.map((policy) => [policy.id, policy]));
  for (const [id, values] of config.policies.parameters ?? []) {
    const policy = byId.get(id);
    if (!policy) continue;
    const declared = policy.parameters ?? {};
    for (const [name, { value, location }] of values) {
      const parameter = declared[name];
      if (!parameter) {
        const names = Object.keys(declared);
        const suggestion = closestMatch(name, new Set(names));
        const fix = names.length === 0 ? 'it has no parameters' : suggestion !== undefined ? `did you mean "${suggestion}"?` : `its parameters are ${names.join(', ')}`;
        problems.push({ message: `policies.parameters names the parameter "${name}" of "${id}", which that policy does not declare; ${fix}`, location });
      } else if (!isParameterValue(parameter.type, value)) {
        problems.push({ message: `policies.parameters: "${name}" of "${id}" must be a ${parameter.type} (${parameter.description}); found ${JSON.stringify(value)}`, location });
      }
    }
  }
  if (problems.length === 0) return undefined;
  return problemsError(problems[0]!.location.file, problems);
}

/**
 * Flags policy ids the config names that no loaded policy has (in `policies.enable`, `disable`,
 * `severity` and suppressions), each at its line with the closest known id suggested. Run once the
 * policies, including those of `policies.dirs`, are loaded. Undefined when every id is known.
 */
/** An error of the config file at `location`, found after it was read (against the loaded policies). */
export function configProblem(location: SourceLocation, message: string): GatewardenError {
  return problemsError(location.file, [{ message, location }]);
}

export function checkPolicyIds(config: Pick<GatewardenConfig, 'policyReferences'>, knownIds: ReadonlySet<string>): GatewardenError | undefined {
  const problems: Problem[] = [];
  for (const reference of config.policyReferences) {
    if (knownIds.has(reference.id)) continue;
    const suggestion = closestMatch(reference.id, knownIds);
    const fix = suggestion !== undefined ? `did you mean "${suggestion}"?` : 'the ids are listed in docs/policies.md; a policy of your own needs its directory in "policies.dirs" or --policies';
    problems.push({ message: `${reference.key} names the policy "${reference.id}", which no loaded policy has; ${fix}`, location: reference.location });
  }
  if (problems.length === 0) return undefined;
  return problemsError(problems[0]!.location.file, problems);
}
