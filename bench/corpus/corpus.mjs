#!/usr/bin/env node
/**
 * Recall and precision per concern on other scanners' own labelled fixtures (issue 19, "Done when").
 *
 *   npm run corpus                      # build, extract, scan, write bench/corpus/RESULTS.md
 *   node bench/corpus/corpus.mjs [--mirrors DIR] [--work DIR] [--out FILE] [--only checkov|cfn-nag|trivy|cases] [--cases DIR]
 *
 * The peers (bench/corpus/peers.mjs) are Checkov, cfn_nag and trivy-checks, each pinned to a commit.
 * --mirrors DIR (default /work/.mirror) holds a git copy of each, as DIR/<owner>+<name>/repo (a bare
 * snapshot), DIR/<owner>+<name> or DIR/<owner>/<name>: a `git clone` of the public repository into
 * DIR/<owner>+<name> does. Their API gateway fixtures are extracted at the pinned commit into --work
 * (default a folder under the system's temporary directory), never into this repository.
 *
 * Each labelled case is a resource of a fixture (or a whole example file, for Trivy's good and bad
 * examples) that the peer's test expects one of its checks to fail (positive) or pass (negative).
 * The gatewarden policy that answers a peer check is the one whose `aliases:` name it, so the
 * harness measures whatever policies exist today and says "no policy yet" for a concern none covers.
 * Every fixture folder is scanned by its own gatewarden process, as a user would scan it
 * (`gatewarden scan DIR --format json:FILE --fail-on never`); a case is
 *   - predicted positive when a finding of the answering policy points into the resource (its file
 *     and lines, or a related location there),
 *   - unknown when no finding does but a check of that policy there was left unevaluated,
 *   - not deployable when an error of gatewarden points into it instead: the fixture is something
 *     CloudFormation or the provider would reject (a Method without RestApiId), which gatewarden
 *     reports and does not check, on purpose; these cases are listed and counted apart,
 *   - predicted negative otherwise (also when gatewarden read nothing there: a miss is a miss).
 * Recall = TP / (TP + FN), precision = TP / (TP + FP), unknowns counted apart. The output is
 * deterministic for a given gatewarden build and peer commits (no times, no dates).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { parseTree, findNodeAtLocation } from 'jsonc-parser';
import { readOwnCases } from './cases.mjs';
import { CONCERN_ORDER, CONCERNS, DELIBERATE, OUT_OF_SCOPE, PEERS, readCfnNag, readCheckov, readTrivy, terraformStubs } from './peers.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const mirrorsDir = path.resolve(option('--mirrors', '/work/.mirror'));
const workDir = path.resolve(option('--work', path.join(os.tmpdir(), 'gatewarden-corpus')));
const outFile = path.resolve(option('--out', path.join(here, 'RESULTS.md')));
const only = option('--only', undefined);
const casesDir = path.resolve(option('--cases', path.join(here, 'cases')));

if (!existsSync(path.join(root, 'dist', 'src', 'engine', 'load-policies.js'))) {
  console.error('dist/ is missing: run `npm run build` first (npm run corpus does)');
  process.exit(2);
}
const dist = (relative) => pathToFileURL(path.join(root, 'dist', 'src', relative)).href;
const { builtInPolicyDir, loadPolicies } = await import(dist('engine/load-policies.js'));
const { findByAlias } = await import(dist('engine/policy-lookup.js'));
const { policies } = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }]);

// ---------------------------------------------------------------------------------------------
// The peers' copies

function gitDirOf(repo) {
  const [owner, name] = repo.split('/');
  for (const candidate of [path.join(mirrorsDir, `${owner}+${name}`, 'repo'), path.join(mirrorsDir, `${owner}+${name}`), path.join(mirrorsDir, owner, name)]) {
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** `list(prefix)` and `read(path)` over a git copy at a commit; blobs absent from the copy read as undefined. */
function gitAt(gitDir, commit) {
  const run = (gitArgs) => spawnSync('git', ['--git-dir', existsSync(path.join(gitDir, '.git')) ? path.join(gitDir, '.git') : gitDir, ...gitArgs], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const listing = run(['ls-tree', '-r', '--name-only', commit]);
  if (listing.status !== 0) throw new Error(`git ls-tree ${commit} failed in ${gitDir}: ${listing.stderr.trim()}`);
  const files = listing.stdout.split('\n').filter(Boolean);
  return {
    list: (prefix) => files.filter((file) => file.startsWith(prefix)),
    read: (file) => {
      const shown = run(['cat-file', 'blob', `${commit}:${file}`]);
      return shown.status === 0 ? shown.stdout : undefined;
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Where a labelled resource is in its file: [startLine, endLine], 1-based.

function lineOf(text, offset) {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function terraformRange(text, type, name) {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => new RegExp(`^\\s*resource\\s+"${type}"\\s+"${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`).test(line));
  if (start < 0) return undefined;
  let depth = 0;
  for (let i = start; i < lines.length; i++) {
    for (const char of lines[i]) {
      if (char === '{') depth++;
      else if (char === '}') depth--;
    }
    if (depth <= 0 && i > start) return [start + 1, i + 1];
    if (depth <= 0 && lines[i].includes('}') && lines[i].includes('{')) return [start + 1, i + 1];
  }
  return [start + 1, lines.length];
}

function jsonNodeRange(text, node) {
  return node ? [lineOf(text, node.offset), lineOf(text, node.offset + node.length)] : undefined;
}

function cloudFormationRange(text, file, logicalId, type) {
  if (file.endsWith('.json')) {
    const tree = parseTree(text);
    const node = tree ? findNodeAtLocation(tree, ['Resources', logicalId]) : undefined;
    const typeNode = node ? findNodeAtLocation(node, ['Type']) : undefined;
    return typeNode?.value === type ? jsonNodeRange(text, node) : undefined;
  }
  const lines = text.split('\n');
  // The logical id under Resources whose Type is the one labelled (a template may reuse a name elsewhere).
  for (let start = 0; start < lines.length; start++) {
    if (!new RegExp(`^(\\s+)${logicalId}:\\s*$`).test(lines[start])) continue;
    const indent = /^(\s*)/.exec(lines[start])[1].length;
    let end = lines.length;
    for (let i = start + 1; i < lines.length; i++) {
      if (lines[i].trim() === '' || lines[i].trim().startsWith('#')) continue;
      if (/^(\s*)/.exec(lines[i])[1].length <= indent) {
        end = i;
        break;
      }
    }
    if (lines.slice(start, end).some((line) => new RegExp(`^\\s+Type:\\s*['"]?${type.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}['"]?\\s*$`).test(line))) return [start + 1, end];
  }
  return undefined;
}

function armRange(text, type, name) {
  const tree = parseTree(text);
  const resources = tree && findNodeAtLocation(tree, ['resources']);
  const walk = (node) => {
    for (const resource of node?.children ?? []) {
      const props = Object.fromEntries((resource.children ?? []).map((pair) => [pair.children?.[0]?.value, pair.children?.[1]]));
      if (props.type?.value === type && (props.name?.value === name || String(props.name?.value ?? '').endsWith(`/${name}`))) return jsonNodeRange(text, resource);
      const nested = walk(props.resources);
      if (nested) return nested;
    }
    return undefined;
  };
  return walk(resources);
}

/** The resource's file and lines among the files of its group, or undefined when it is not found. */
function locate(kase, files) {
  const candidates = kase.file !== undefined ? [kase.file] : Object.keys(files).sort();
  for (const file of candidates) {
    const text = files[file];
    if (text === undefined) continue;
    const { kind, type, name } = kase.resource;
    let range;
    if (kind === 'file') range = [1, Number.MAX_SAFE_INTEGER];
    else if (kind === 'terraform' && file.endsWith('.tf')) range = terraformRange(text, type, name);
    else if (kind === 'cloudformation' && /\.(ya?ml|json|template)$/.test(file)) range = cloudFormationRange(text, file, name, type);
    else if (kind === 'arm' && file.endsWith('.json')) range = armRange(text, type, name);
    if (range) return { file, range };
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Scanning

const gatewarden = path.join(root, 'bin', 'gatewarden.js');

/** Scans one extracted group folder with the built gatewarden; the JSON report, or undefined. */
function scanGroup(dir) {
  const report = path.join(dir, '..', `${path.basename(dir)}.gatewarden.json`);
  const run = spawnSync(process.execPath, [gatewarden, 'scan', '.', '--format', `json:${report}`, '--fail-on', 'never'], { cwd: dir, encoding: 'utf8', timeout: 300_000 });
  if (!existsSync(report)) {
    console.error(`gatewarden wrote no report for ${dir}: ${run.stderr.trim().split('\n')[0] ?? ''}`);
    return undefined;
  }
  return JSON.parse(readFileSync(report, 'utf8'));
}

function inRange(location, file, range) {
  return location !== undefined && location.file === file && location.startLine >= range[0] && location.startLine <= range[1];
}

/** What gatewarden said of a located case for the given policies: fail, unknown or pass. */
function verdict(report, located, policyIds) {
  const hits = (entry) => inRange(entry.location, located.file, located.range) || (entry.related ?? []).some((related) => inRange(related.location ?? related, located.file, located.range));
  if (report.findings.some((finding) => policyIds.includes(finding.policyId) && hits(finding))) return 'fail';
  if ((report.unevaluated ?? []).some((entry) => policyIds.includes(entry.policyId) && hits(entry))) return 'unknown';
  // A resource CloudFormation or Terraform would reject (no RestApiId, an id that is not one):
  // gatewarden says so in an error and checks nothing there, on purpose.
  if ((report.diagnostics ?? []).some((entry) => entry.severity === 'error' && hits(entry))) return 'not-deployable';
  // A Terraform module the provider rejects as a whole (a duplicate declaration, a reference to an
  // undeclared name): gatewarden says so once, at the fault, and checks none of the module.
  if ((report.diagnostics ?? []).some((entry) => entry.severity === 'error' && /nothing in root module|none of its resources/.test(entry.message))) return 'not-deployable';
  return 'pass';
}

// ---------------------------------------------------------------------------------------------

rmSync(workDir, { recursive: true, force: true });
mkdirSync(workDir, { recursive: true });
const readers = { checkov: readCheckov, 'cfn-nag': readCfnNag, trivy: (git) => readTrivy(git, parseYaml) };
const results = [];
const notes = [];
const stubbed = [];
const policyIdsKnown = new Set(policies.map((policy) => policy.id));

/** Extracts, scans and judges one peer's reading; `answer(kase)` gives the concern and policies of a case. */
function measure(peerName, reading, answer) {
  const { groups, cases, skipped } = reading;
  notes.push(...skipped.map((line) => `${peerName}: ${line}`));
  const filesByGroup = new Map();
  const reports = new Map();
  for (const group of groups) {
    const dir = path.join(workDir, peerName, group.dir);
    for (const [file, text] of Object.entries(group.files)) {
      const target = path.join(workDir, peerName, file);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, text);
    }
    const stubs = peerName === 'cases' ? undefined : terraformStubs(group.files);
    if (stubs !== undefined) {
      writeFileSync(path.join(dir, 'zz_corpus_stubs.tf'), stubs);
      stubbed.push(group.dir);
    }
    // Files as the report names them: relative to the scanned folder.
    filesByGroup.set(group.dir, Object.fromEntries(Object.entries(group.files).map(([file, text]) => [path.relative(group.dir, file).split(path.sep).join('/'), text])));
    process.stderr.write(`scanning ${peerName} ${group.dir}\n`);
    reports.set(group.dir, scanGroup(dir));
  }
  for (const kase of cases) {
    const answered = answer(kase);
    if (answered === undefined) continue;
    const { concern, policyIds } = answered;
    const files = filesByGroup.get(kase.group) ?? {};
    const relativeCase = { ...kase, ...(kase.file !== undefined ? { file: path.relative(kase.group, kase.file).split(path.sep).join('/') } : {}) };
    const located = locate(relativeCase, files);
    const report = reports.get(kase.group);
    let outcome;
    if (policyIds.length === 0) outcome = 'no-policy';
    else if (!located) outcome = 'not-located';
    else if (!report) outcome = 'scan-failed';
    else outcome = verdict(report, located, policyIds);
    results.push({ peer: peerName, check: kase.check, concern, policyIds, label: kase.label, outcome, shown: kase.group.startsWith('cases/') && peerName === 'cases' ? kase.shown : `${kase.group}: ${kase.shown}`, key: `${peerName} ${kase.check} ${kase.shown}`, why: kase.why, models: kase.models });
  }
}

for (const peer of PEERS) {
  if (only !== undefined && only !== peer.name) continue;
  const gitDir = gitDirOf(peer.repo);
  if (gitDir === undefined) {
    notes.push(`${peer.repo}: no copy under ${mirrorsDir}; not measured`);
    continue;
  }
  measure(peer.name, readers[peer.name](gitAt(gitDir, peer.commit)), (kase) => {
    const concern = CONCERNS[kase.check];
    if (concern === undefined) {
      if (!OUT_OF_SCOPE[kase.check]) notes.push(`${peer.name} ${kase.check}: not in the concern table of bench/corpus/peers.mjs; not measured`);
      return undefined;
    }
    return { concern, policyIds: findByAlias(policies, kase.check).map((match) => match.policy.id) };
  });
}

// The cases written here: their label file names the concern and the policies that answer it.
if (only === undefined || only === 'cases') {
  measure('cases', readOwnCases(casesDir, parseYaml, CONCERN_ORDER), (kase) => {
    const unknownIds = kase.policies.filter((id) => !policyIdsKnown.has(id));
    if (unknownIds.length > 0) notes.push(`cases: ${kase.shown} names ${unknownIds.join(', ')}, which no built-in policy is`);
    return { concern: kase.concern, policyIds: kase.policies.filter((id) => policyIdsKnown.has(id)) };
  });
}

// ---------------------------------------------------------------------------------------------
// Figures

function tally(rows) {
  const t = { tp: 0, fn: 0, fp: 0, tn: 0, unknown: 0, unmeasured: 0, notDeployable: 0 };
  for (const row of rows) {
    if (row.outcome === 'not-deployable') t.notDeployable++;
    else if (!['fail', 'pass', 'unknown'].includes(row.outcome)) t.unmeasured++;
    else if (row.outcome === 'unknown') t.unknown++;
    else if (row.label === 'positive') t[row.outcome === 'fail' ? 'tp' : 'fn']++;
    else t[row.outcome === 'fail' ? 'fp' : 'tn']++;
  }
  return t;
}
/** Whether a case is a disagreement explained in DELIBERATE (a miss or an extra finding gatewarden means). */
const disagrees = (row) => row.policyIds.length > 0 && ((row.label === 'positive' && row.outcome === 'pass') || (row.label === 'negative' && row.outcome === 'fail'));
const explained = (row) => disagrees(row) && Object.hasOwn(DELIBERATE, row.key);
const percent = (num, den) => (den === 0 ? 'n/a' : `${((100 * num) / den).toFixed(0)}%`);

/** The per-concern table of the given rows (recall and precision as measured and with explained cases left out). */
function concernTable(rows, emptyText) {
  const out = [
    '| Concern | Peer checks | gatewarden policies | Cases (+/-) | TP | FN | FP | TN | Unknown | Not deployable | Recall | Precision | Explained disagreements | Recall, explained cases left out | Precision, explained cases left out |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const concern of CONCERN_ORDER) {
    const concernRows = rows.filter((row) => row.concern === concern);
    const checks = [...new Set(concernRows.map((row) => row.check))].sort();
    const ids = [...new Set(concernRows.flatMap((row) => row.policyIds))].sort();
    const positives = concernRows.filter((row) => row.label === 'positive').length;
    if (concernRows.length === 0) {
      out.push(`| ${concern} | ${emptyText} | | 0 | | | | | | | n/a | n/a | | n/a | n/a |`);
      continue;
    }
    const measured = concernRows.filter((row) => row.policyIds.length > 0);
    const t = tally(measured);
    const a = tally(measured.filter((row) => !explained(row)));
    const none = ids.length === 0 ? 'no policy yet' : undefined;
    const noPolicy = checks.filter((check) => concernRows.some((row) => row.check === check && row.policyIds.length === 0));
    const policyCell = ids.length === 0 ? 'no policy yet' : `${ids.map((id) => `\`${id}\``).join(', ')}${noPolicy.length > 0 ? ` (no policy yet for ${noPolicy.join(', ')})` : ''}`;
    out.push(`| ${concern} | ${checks.join(', ')} | ${policyCell} | ${concernRows.length} (${positives}/${concernRows.length - positives}) | ${t.tp} | ${t.fn} | ${t.fp} | ${t.tn} | ${t.unknown} | ${t.notDeployable} | ${none ?? percent(t.tp, t.tp + t.fn)} | ${none ?? percent(t.tp, t.tp + t.fp)} | ${measured.filter(explained).length} | ${none ?? percent(a.tp, a.tp + a.fn)} | ${none ?? percent(a.tp, a.tp + a.fp)} |`);
  }
  return out;
}

const peerRows = results.filter((row) => row.peer !== 'cases');
const caseRows = results.filter((row) => row.peer === 'cases');

const lines = [
  '# Recall and precision on other scanners\' fixtures',
  '',
  '<!-- Generated by `npm run corpus` (bench/corpus/corpus.mjs). Do not edit by hand: deliberate disagreements are explained in bench/corpus/peers.mjs (DELIBERATE) and in the policies\' descriptions. -->',
  '',
  `Peers: ${PEERS.filter((peer) => only === undefined || peer.name === only).map((peer) => `${peer.repo} at ${peer.commit.slice(0, 12)}`).join(', ') || 'none (--only cases)'}.`,
  `Policies: the ${policies.length} built-in policies of this build; a peer check is answered by the policy whose aliases name it.`,
  '',
  'Each case is a resource a peer\'s own test expects its check to fail (positive) or pass (negative).',
  'TP/FN: positives gatewarden reports / misses; FP/TN: negatives it reports / passes; unknown: the',
  'check was left unevaluated there (a variable without a value, say), counted apart. Not deployable: a',
  'resource the provider would reject (a CloudFormation Method without RestApiId), which gatewarden',
  'reports as an error and does not check, on purpose; counted apart, outside recall and precision.',
  `Terraform fragments that reference resources they do not declare were completed with stubs (${stubbed.length} folders; see terraformStubs in peers.mjs).`,
  ...(caseRows.length > 0 ? ['', `The ${caseRows.length} cases written for this corpus (bench/corpus/cases) have their own section below, [Cases written here](#cases-written-here), and a table that combines them with the peers' per concern, [Combined, by concern](#combined-by-concern).`] : []),
  '',
  '## By concern',
  '',
  ...concernTable(peerRows, "none in the peers' fixtures"),
];
lines.push('', '## By peer check', '', '| Peer | Check | Concern | Policies | Cases (+/-) | TP | FN | FP | TN | Unknown | Not deployable | Not measured |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
const keys = [...new Set(peerRows.map((row) => `${row.peer}\u0000${row.check}`))].sort();
for (const key of keys) {
  const [peer, check] = key.split('\u0000');
  const rows = peerRows.filter((row) => row.peer === peer && row.check === check);
  const t = tally(rows);
  const positives = rows.filter((row) => row.label === 'positive').length;
  const reasons = [...new Set(rows.filter((row) => !['fail', 'pass', 'unknown', 'not-deployable'].includes(row.outcome)).map((row) => row.outcome))].join(', ');
  lines.push(`| ${peer} | ${check} | ${rows[0].concern} | ${rows[0].policyIds.join(', ') || 'no policy yet'} | ${rows.length} (${positives}/${rows.length - positives}) | ${t.tp} | ${t.fn} | ${t.fp} | ${t.tn} | ${t.unknown} | ${t.notDeployable} | ${t.unmeasured}${reasons ? ` (${reasons})` : ''} |`);
}

const disagreements = peerRows.filter((row) => row.policyIds.length > 0 && ((row.label === 'positive' && row.outcome !== 'fail') || (row.label === 'negative' && row.outcome === 'fail')));
lines.push('', '## Disagreements', '', 'Every case where gatewarden and the peer differ (misses, extra findings, unknowns and cases the harness could not place), each to be fixed or explained in DELIBERATE of bench/corpus/peers.mjs and the policy\'s description.', '');
if (disagreements.length === 0) lines.push('None.');
for (const row of disagreements.sort((a, b) => a.concern.localeCompare(b.concern) || a.peer.localeCompare(b.peer) || a.check.localeCompare(b.check) || a.shown.localeCompare(b.shown))) {
  const what = row.label === 'positive' ? (row.outcome === 'pass' ? 'missed' : row.outcome === 'not-deployable' ? 'not checked, as a resource the provider would reject' : row.outcome) : 'reported, the peer passes it';
  const why = explained(row) ? ` Deliberate: ${DELIBERATE[row.key]}.` : '';
  lines.push(`- ${row.concern}, ${row.peer} ${row.check} (${row.label}): ${what} by ${row.policyIds.join(', ')}: \`${row.shown}\`.${why}`);
}
const measuredPeers = new Set(peerRows.map((row) => row.peer));
const stale = Object.keys(DELIBERATE).filter((key) => measuredPeers.has(key.split(' ')[0]) && !results.some((row) => row.key === key && disagrees(row)));
if (stale.length > 0) lines.push('', 'Listed as deliberate in peers.mjs but no longer a disagreement (remove them):', '', ...stale.map((key) => `- \`${key}\``));
if (caseRows.length > 0) {
  const outcomeText = (row) => ({ fail: 'reported', pass: 'passed', unknown: 'unknown', 'not-deployable': 'not checked (an error)', 'no-policy': 'no policy yet', 'not-located': 'entity not found', 'scan-failed': 'scan failed' })[row.outcome] ?? row.outcome;
  const agrees = (row) => (row.label === 'positive' ? row.outcome === 'fail' : row.outcome === 'pass');
  lines.push(
    '',
    '## Cases written here',
    '',
    'bench/corpus/cases/<concern>/<case>/: small, complete configurations (Terraform, CloudFormation and SAM,',
    'ARM, azurerm, Google, OpenAPI, APIM policy XML) written for this corpus after what a peer check or a',
    "provider's documented best practice calls insecure (positive) or secure (negative), each with its",
    'label in case.yaml (the concern, the policies that answer it, the checks or documents it models, the',
    'entity it is about and why). The label is what a careful reviewer says of the configuration, decided',
    'when the case was written, not by running gatewarden; the same tallies as above.',
    '',
    ...concernTable(caseRows, 'no case yet'),
    '',
    '| Case | Concern | Label | Policies | gatewarden | Models |',
    '| --- | --- | --- | --- | --- | --- |',
    ...[...caseRows].sort((a, b) => CONCERN_ORDER.indexOf(a.concern) - CONCERN_ORDER.indexOf(b.concern) || a.shown.localeCompare(b.shown)).map((row) => `| ${row.shown} | ${row.concern} | ${row.label} | ${row.policyIds.join(', ') || 'no policy yet'} | ${outcomeText(row)}${agrees(row) ? '' : ' (disagrees)'} | ${row.models.join('; ')} |`),
    '',
    '### Disagreements with the cases written here',
    '',
  );
  const caseDisagreements = caseRows.filter((row) => !agrees(row));
  if (caseDisagreements.length === 0) lines.push('None.');
  for (const row of caseDisagreements.sort((a, b) => CONCERN_ORDER.indexOf(a.concern) - CONCERN_ORDER.indexOf(b.concern) || a.shown.localeCompare(b.shown))) {
    lines.push(`- ${row.concern}, ${row.shown} (${row.label}): ${outcomeText(row)} by ${row.policyIds.join(', ') || 'no policy'}. The label: ${row.why}`);
  }
  lines.push('', '## Combined, by concern', '', "The peers' fixtures and the cases written here together.", '', ...concernTable(results, 'no case'));
}

const outOfScope = Object.entries(OUT_OF_SCOPE).map(([check, why]) => `- ${check}: ${why}`);
lines.push('', '## Not measured', '', ...outOfScope, ...[...new Set(notes)].sort().map((note) => `- ${note}`));
writeFileSync(outFile, `${lines.join('\n')}\n`);
console.error(`wrote ${path.relative(process.cwd(), outFile)}: ${results.length} cases`);
