import { HTTP_METHODS, type ResourcePolicyAccess, type RouteMethod } from '../../src/model/entities.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import { hasToken, knownParts } from '../../src/sources/view/partial-text.js';

// Who may invoke one REST API route under its resource policy, decided the way API Gateway decides it
// for a method without IAM authorization: an explicit Deny wins, an explicit Allow lets the request
// through, and a request that matches no Allow is denied ("implicit deny").
// https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-authorization-flow.html
// (table "API Gateway resource policy only": Allow -> allow, Deny -> explicit deny, neither -> implicit deny).
// The caller of interest is an anonymous one on the internet: the verdict says whether such a caller
// can reach the route ('public'), only one in a VPC endpoint, VPC or IP range the policy names
// ('restricted-network'), only a signed-in AWS principal the policy names ('restricted-principal'), or
// nobody ('denied'). What cannot be evaluated (a condition on other keys, a Resource built from values
// not known before deployment, a stage the scan does not show) leaves the verdict unknown, unless the
// verdict is the same whichever way it goes.

/** What the route is: its method, its path and the stages it is deployed to. */
export interface PolicyRequest {
  readonly method: Maybe<RouteMethod>;
  readonly path: Maybe<string>;
  /** Stage names; an Unknown when the scan does not show where the API is deployed. */
  readonly stages: Maybe<readonly string[]>;
}

/** The verdict, and which statement decided it (an index into `Statement`), for pointing at it. */
export interface PolicyVerdict {
  readonly access: Maybe<ResourcePolicyAccess>;
  readonly statement?: number;
}

type Tri = boolean | Unknown;
/** Who a statement's conditions hold for: everyone, callers outside any network it names, callers inside one, nobody. */
type Reach = 'all' | 'outsiders' | 'network' | 'none';
type Who = 'anyone' | 'specific';

interface Statement {
  readonly index: number;
  readonly effect: 'Allow' | 'Deny';
  readonly who: Maybe<Who>;
  readonly invoke: Tri;
  readonly resources: Maybe<{ readonly negated: boolean; readonly patterns: ReadonlyArray<Maybe<string>> }>;
  readonly reach: Maybe<Reach>;
}

const ORDER: readonly ResourcePolicyAccess[] = ['denied', 'restricted-principal', 'restricted-network', 'public'];

/**
 * GetRestApi returns `policy` as JSON text whose quotes are escaped once more (`{\"Version\":...}`),
 * which is not JSON until the escapes are undone; text that is already JSON is returned as it is.
 * @see https://docs.aws.amazon.com/apigateway/latest/api/API_GetRestApi.html
 */
export function unescapeLivePolicy(text: string): string {
  try {
    JSON.parse(text);
    return text;
  } catch {
    const unescaped = text.replace(/\\"/g, '"').replace(/\\\\/g, '\\');
    try {
      JSON.parse(unescaped);
      return unescaped;
    } catch {
      return text;
    }
  }
}

/** Parses a policy written as text (a Terraform string, GetRestApi's escaped `policy`) or as an object. */
export function parsePolicyDocument(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  const attempts = [value, value.replace(/\\"/g, '"').replace(/\\\\/g, '\\')];
  for (const attempt of attempts) {
    try {
      return JSON.parse(attempt) as unknown;
    } catch {
      // GetRestApi returns the policy with its quotes escaped once more; try that next.
    }
  }
  return new Unknown('the resource policy is not valid JSON');
}

/** Decides who may invoke a route under a resource policy document (already parsed, Unknown leaves allowed). */
export function evaluateResourcePolicy(document: unknown, request: PolicyRequest): PolicyVerdict {
  const parsed = parseStatements(parsePolicyDocument(document));
  if (parsed instanceof Unknown) return { access: parsed };
  if (request.path instanceof Unknown) return { access: new Unknown(`the route's path is unknown (${request.path.reason}), so which statements of the resource policy cover it is not known`) };
  const stages: ReadonlyArray<string | undefined> = request.stages instanceof Unknown ? [undefined] : request.stages.length > 0 ? request.stages : [undefined];
  const stageReason = request.stages instanceof Unknown ? request.stages.reason : 'no stage of the API is in the scanned configuration';
  const methods: readonly string[] = request.method === 'ANY' || request.method instanceof Unknown ? HTTP_METHODS.filter((m) => m !== 'ANY') : [request.method === 'WEBSOCKET' ? '*' : request.method];

  let best: PolicyVerdict | undefined;
  let unknown: Unknown | undefined;
  const verdicts: PolicyVerdict[] = [];
  for (const stage of stages) {
    for (const method of methods) {
      const verdict = decide(parsed, { stage, method, path: request.path }, stageReason);
      verdicts.push(verdict);
      if (verdict.access instanceof Unknown) unknown ??= verdict.access;
      else if (!best || ORDER.indexOf(verdict.access) > ORDER.indexOf(best.access as ResourcePolicyAccess)) best = verdict;
    }
  }
  // A route whose method is unknown is one method: its verdict is known only when every method agrees.
  if (request.method instanceof Unknown && best && verdicts.some((v) => v.access !== best.access)) {
    return { access: new Unknown(`the route's HTTP method is unknown (${request.method.reason}) and the resource policy treats methods differently`) };
  }
  // The most open verdict over the stages and methods the route answers; 'public' anywhere is public.
  if (best?.access === 'public') return best;
  if (unknown) return { access: unknown };
  return best ?? { access: 'denied' };
}

interface Target {
  /** The stage name; undefined when the stages are not known. */
  readonly stage: string | undefined;
  readonly method: string;
  readonly path: string;
}

function decide(statements: readonly Statement[], target: Target, stageReason: string): PolicyVerdict {
  const judged = statements.map((statement) => ({ statement, applies: applies(statement, target, stageReason) }));
  const open = verdictOf(judged, 'open');
  const closed = verdictOf(judged, 'closed');
  if (open.access === closed.access) return closed;
  const unknown = judged.map((j) => firstUnknown(j.statement, j.applies)).find((u) => u !== undefined);
  return { access: unknown ?? new Unknown('part of the resource policy cannot be evaluated') };
}

function firstUnknown(statement: Statement, applies: Tri): Unknown | undefined {
  for (const value of [applies, statement.who, statement.reach, statement.invoke]) if (value instanceof Unknown) return value;
  return undefined;
}

/**
 * The verdict with every statement that cannot be evaluated read the most open way (`open`: an
 * unknown Allow applies to anyone, an unknown Deny does not apply) or the most closed way.
 */
function verdictOf(judged: ReadonlyArray<{ statement: Statement; applies: Tri }>, bound: 'open' | 'closed'): PolicyVerdict {
  let denyAll: number | undefined;
  let denyOutsiders: number | undefined;
  let publicAllow: number | undefined;
  let networkAllow: number | undefined;
  let principalAllow: number | undefined;
  for (const { statement, applies } of judged) {
    const isAllow = statement.effect === 'Allow';
    // Unknown Allows count in the open bound, unknown Denies in the closed one.
    const optimistic = isAllow ? bound === 'open' : bound === 'closed';
    const pick = <T>(value: Maybe<T>, ifUnknown: T | undefined): T | undefined => (value instanceof Unknown ? (optimistic ? ifUnknown : undefined) : value);
    const doesApply = pick(applies, true);
    const invoke = pick(statement.invoke, true);
    const who = pick<Who>(statement.who, 'anyone');
    const reach = pick<Reach>(statement.reach, 'all');
    if (!doesApply || !invoke || who === undefined || reach === undefined || reach === 'none') continue;
    if (isAllow) {
      if (who === 'specific') principalAllow ??= statement.index;
      else if (reach === 'network') networkAllow ??= statement.index;
      else publicAllow ??= statement.index;
    } else if (who === 'anyone') {
      if (reach === 'all') denyAll ??= statement.index;
      else if (reach === 'outsiders') denyOutsiders ??= statement.index;
      // A Deny that holds only inside a network (a block list of addresses) leaves everyone else allowed.
    }
  }
  if (denyAll !== undefined) return { access: 'denied', statement: denyAll };
  if (publicAllow !== undefined && denyOutsiders === undefined) return { access: 'public', statement: publicAllow };
  if (publicAllow !== undefined || networkAllow !== undefined) return { access: 'restricted-network', statement: denyOutsiders ?? networkAllow ?? publicAllow! };
  if (principalAllow !== undefined) return { access: 'restricted-principal', statement: principalAllow };
  return { access: 'denied' };
}

/** Whether a statement concerns the request: for an Allow, some request to the route; for a Deny, every one. */
function applies(statement: Statement, target: Target, stageReason: string): Tri {
  const resources = statement.resources;
  if (resources instanceof Unknown) return resources;
  // Allow: one matching request is enough to reach the route. Deny: it must cover all of them.
  const wantAll = statement.effect === 'Deny' !== resources.negated;
  const matched = anyOf(resources.patterns.map((pattern) => matchPattern(pattern, target, wantAll ? 'every' : 'some', stageReason)));
  if (!resources.negated) return matched;
  return matched instanceof Unknown ? matched : !matched;
}

function anyOf(values: readonly Tri[]): Tri {
  if (values.includes(true)) return true;
  return values.find((v): v is Unknown => v instanceof Unknown) ?? false;
}

// --- Statements ---------------------------------------------------------------------------------

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

function listOf(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [value];
}

function parseStatements(document: unknown): Maybe<Statement[]> {
  if (document instanceof Unknown) return document;
  if (!isObject(document)) return new Unknown('the resource policy is not a JSON object');
  const raw = document.Statement;
  if (raw instanceof Unknown) return raw;
  if (raw === undefined) return [];
  const statements: Statement[] = [];
  for (const [index, item] of listOf(raw).entries()) {
    if (item instanceof Unknown) return item;
    if (!isObject(item)) return new Unknown(`statement ${index} of the resource policy is not an object`);
    statements.push(parseStatement(item, index));
  }
  return statements;
}

function parseStatement(item: Record<string, unknown>, index: number): Statement {
  const effect = item.Effect === 'Deny' ? 'Deny' : 'Allow';
  const badEffect = item.Effect !== 'Allow' && item.Effect !== 'Deny';
  const statement: Statement = {
    index,
    effect,
    who: item.Principal !== undefined ? principalOf(item.Principal) : item.NotPrincipal !== undefined ? notPrincipalOf(item.NotPrincipal) : new Unknown(`statement ${index} of the resource policy names no Principal`),
    invoke: item.Action !== undefined ? actionMatches(item.Action, false) : item.NotAction !== undefined ? actionMatches(item.NotAction, true) : new Unknown(`statement ${index} of the resource policy names no Action`),
    resources:
      item.Resource !== undefined
        ? resourcesOf(item.Resource, false)
        : item.NotResource !== undefined
          ? resourcesOf(item.NotResource, true)
          : new Unknown(`statement ${index} of the resource policy names no Resource`),
    reach: item.Condition === undefined ? 'all' : reachOf(item.Condition),
  };
  if (badEffect) {
    const reason = item.Effect instanceof Unknown ? item.Effect : new Unknown(`statement ${index} of the resource policy has Effect ${JSON.stringify(item.Effect)}, neither Allow nor Deny`);
    return { ...statement, who: reason };
  }
  return statement;
}

/** `*`, `{"AWS": "*"}` (or a list holding it) is anyone, anonymous callers included; any other principal is a named one. */
function principalOf(principal: unknown): Maybe<Who> {
  if (principal instanceof Unknown) return principal;
  if (principal === '*') return 'anyone';
  if (!isObject(principal)) return new Unknown('the statement\'s Principal is neither "*" nor an object');
  let unknown: Unknown | undefined;
  for (const [type, ids] of Object.entries(principal)) {
    if (ids instanceof Unknown && !knownParts(ids)) {
      unknown ??= ids;
      continue;
    }
    for (const id of listOf(ids)) {
      // `arn:aws:iam::${AWS::AccountId}:root`: a value with known text around its unknown part is not `*`.
      const partial = knownParts(id);
      if (partial && hasToken(partial.text) && partial.text.replace(/[A-Za-z0-9]+/g, '') !== '') continue;
      if (id instanceof Unknown) unknown ??= new Unknown(`a principal of the resource policy is unknown (${id.reason})`);
      else if (id === '*' && type === 'AWS') return 'anyone';
    }
  }
  return unknown ?? 'specific';
}

/** NotPrincipal names who is exempt: the statement applies to everyone else, anonymous callers included. */
function notPrincipalOf(principal: unknown): Maybe<Who> {
  if (principal instanceof Unknown) return principal;
  return 'anyone';
}

const INVOKE = 'execute-api:invoke';

function actionMatches(actions: unknown, negated: boolean): Tri {
  if (actions instanceof Unknown) return actions;
  let unknown: Unknown | undefined;
  for (const action of listOf(actions)) {
    if (typeof action === 'string') {
      if (globToRegExp(action.toLowerCase()).test(INVOKE)) return !negated;
    } else {
      unknown ??= action instanceof Unknown ? action : new Unknown('an Action of the resource policy is not a string');
    }
  }
  return unknown ?? negated;
}

function resourcesOf(value: unknown, negated: boolean): Statement['resources'] {
  if (value instanceof Unknown && !knownParts(value)) return new Unknown(`a Resource of the resource policy is unknown (${value.reason})`);
  return { negated, patterns: listOf(value).map(routePattern) };
}

/**
 * The part of a Resource that names stage, method and path: `arn:aws:execute-api:region:account:api-id/stage/METHOD/path`,
 * its shorthand `execute-api:/stage/METHOD/path`, or `*`. A policy attached to an API only concerns
 * that API, so its region, account and id are not compared: a placeholder there (`${AWS::Region}`, a
 * Terraform attribute known after apply) is harmless. One in the stage, method or path is not.
 */
function routePattern(value: unknown): Maybe<string> {
  const partial = knownParts(value);
  const text = partial ? partial.text : value;
  if (text instanceof Unknown) return new Unknown(`a Resource of the resource policy is unknown (${text.reason})`);
  if (typeof text !== 'string') return new Unknown('a Resource of the resource policy is not a string');
  const unresolved = (): Unknown => new Unknown(`a Resource of the resource policy names the stage, method or path with a value not known before deployment (${(value as Unknown).reason})`);
  if (text === '*') return '*';
  if (partial) {
    // `${aws_api_gateway_rest_api.x.execution_arn}/*`: the API's own ARN, known after apply, then the route part.
    for (const [token, hole] of partial.holes) {
      if (text.startsWith(`${token}/`) && hole.ref?.attribute === 'execution_arn') {
        const rest = text.slice(token.length + 1);
        return hasToken(rest) ? unresolved() : rest;
      }
    }
  }
  if (text.startsWith('execute-api:/')) {
    const rest = text.slice('execute-api:/'.length);
    return partial && hasToken(rest) ? unresolved() : rest;
  }
  if (text.startsWith('arn:')) {
    const parts = text.split(':');
    if (parts.length < 6) return partial ? unresolved() : new Unknown(`Resource "${text}" is not an execute-api ARN`);
    const service = parts[2]!;
    if (service !== 'execute-api' && service !== '*' && !(partial && hasToken(service))) return '';
    const tail = parts.slice(5).join(':');
    const slash = tail.indexOf('/');
    const api = slash < 0 ? tail : tail.slice(0, slash);
    // `...:*` covers every API, stage, method and path: the `*` runs across the slashes.
    if (slash < 0) return api.includes('*') ? '*' : '';
    const rest = tail.slice(slash + 1);
    if (partial && hasToken(rest)) return unresolved();
    return api.endsWith('*') ? `*${rest}` : rest;
  }
  if (partial) return unresolved();
  return new Unknown(`Resource "${text}" is not an execute-api ARN`);
}

// --- Matching -----------------------------------------------------------------------------------

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 's');
}

/** A stand-in for a path parameter's value: no policy names it. */
const SAMPLE = 'gw0param';

function matchPattern(pattern: Maybe<string>, target: Target, want: 'some' | 'every', stageReason: string): Tri {
  if (pattern instanceof Unknown) return pattern;
  if (pattern === '') return false;
  let stage = target.stage;
  if (stage === undefined) {
    // The stage is not known: only a pattern that does not name one can be decided.
    const slash = pattern.indexOf('/');
    const stagePart = slash < 0 ? pattern : pattern.slice(0, slash);
    if (!/^\*+$/.test(stagePart)) return new Unknown(`the resource policy names stage "${stagePart}" and the route's stages are not known (${stageReason})`);
    stage = 'gw0stage';
  }
  if (want === 'every') {
    const concrete = `${stage}/${target.method}${target.path.replace(/\{[^}]*\+\}/g, `${SAMPLE}/${SAMPLE}`).replace(/\{[^}]*\}/g, SAMPLE)}`;
    return globToRegExp(pattern).test(concrete);
  }
  const routeGlob = `${stage}/${target.method}${target.path.replace(/\{[^}]*\}/g, '*')}`;
  return globsIntersect(pattern, routeGlob);
}

/**
 * Whether some string matches both globs: `pattern` (IAM `*` and `?`) and `route` (`*` for a path
 * parameter). A path parameter is one or more segments; `*` over-approximates it, which can only
 * make an Allow look wider.
 */
export function globsIntersect(pattern: string, route: string): boolean {
  const memo = new Map<number, boolean>();
  const width = route.length + 1;
  const visit = (i: number, j: number): boolean => {
    const key = i * width + j;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    memo.set(key, false);
    let result = false;
    const p = pattern[i];
    const r = route[j];
    if (p === undefined && r === undefined) result = true;
    if (!result && p === '*') result = visit(i + 1, j) || (r !== undefined && visit(i, j + 1));
    if (!result && r === '*') result = visit(i, j + 1) || (p !== undefined && visit(i + 1, j));
    if (!result && p !== undefined && r !== undefined && p !== '*' && r !== '*' && (p === '?' || p === r)) result = visit(i + 1, j + 1);
    memo.set(key, result);
    return result;
  };
  return visit(0, 0);
}

// --- Conditions ---------------------------------------------------------------------------------

const NETWORK_KEYS = new Set(['aws:sourcevpce', 'aws:sourcevpc']);
const EVERY_ADDRESS = new Set(['0.0.0.0/0', '::/0']);

/**
 * Who a statement's conditions hold for. Only the network keys are read: aws:SourceVpce and
 * aws:SourceVpc are absent from a request that comes from the internet, so a positive operator on
 * them is false there and a negated one is true (the IAM rule for a missing key); aws:SourceIp is
 * always present. Anything else (aws:CurrentTime, aws:PrincipalOrgID, ForAnyValue...) is unknown:
 * a time window is not evaluated against today's date.
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 */
function reachOf(condition: unknown): Maybe<Reach> {
  if (condition instanceof Unknown) return condition;
  if (!isObject(condition)) return new Unknown('a Condition of the resource policy is not an object');
  const reaches: Reach[] = [];
  for (const [operator, entries] of Object.entries(condition)) {
    if (entries instanceof Unknown) return entries;
    if (!isObject(entries)) return new Unknown(`condition ${operator} of the resource policy is not an object`);
    for (const [key, values] of Object.entries(entries)) {
      const reach = conditionReach(operator, key.toLowerCase(), values);
      if (reach instanceof Unknown) return reach;
      reaches.push(reach);
    }
  }
  // The conditions of a statement all have to hold.
  if (reaches.includes('none')) return 'none';
  if (reaches.includes('network')) return 'network';
  if (reaches.includes('outsiders')) return 'outsiders';
  return 'all';
}

function conditionReach(operator: string, key: string, values: unknown): Maybe<Reach> {
  const ifExists = operator.endsWith('IfExists');
  const op = ifExists ? operator.slice(0, -'IfExists'.length) : operator;
  const notEvaluated = new Unknown(`the resource policy's condition ${operator} on ${key} is not evaluated`);
  if (NETWORK_KEYS.has(key)) {
    if (['StringEquals', 'StringLike', 'StringEqualsIgnoreCase'].includes(op)) return ifExists ? 'all' : 'network';
    if (['StringNotEquals', 'StringNotLike', 'StringNotEqualsIgnoreCase'].includes(op)) return 'outsiders';
    return notEvaluated;
  }
  if (key === 'aws:vpcsourceip') {
    // Present only on requests through a VPC endpoint: missing from an internet request.
    if (op === 'IpAddress') return 'network';
    if (op === 'NotIpAddress') return 'outsiders';
    return notEvaluated;
  }
  if (key === 'aws:sourceip') {
    if (op !== 'IpAddress' && op !== 'NotIpAddress') return notEvaluated;
    const list = listOf(values);
    const unknown = list.find((v): v is Unknown => v instanceof Unknown);
    const everyAddress = list.some((v) => typeof v === 'string' && EVERY_ADDRESS.has(v.trim()));
    if (everyAddress) return op === 'IpAddress' ? 'all' : 'none';
    if (unknown) return new Unknown(`an address range of the resource policy's ${operator} condition is unknown (${unknown.reason})`);
    return op === 'IpAddress' ? 'network' : 'outsiders';
  }
  return notEvaluated;
}
