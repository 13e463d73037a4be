#!/usr/bin/env node
/**
 * Precision on the public corpus (issue 15): draws a reproducible random sample of the findings that
 * scripts/corpus.mjs produced, stratified per policy, merges the verdicts written by hand in
 * scripts/precision-verdicts.txt and writes docs/precision.md (the sample, each verdict and its
 * reason, and the figures per policy).
 *
 *   npm run build && node scripts/corpus.mjs --corpus /work/corpus --reports /tmp/reports --out /tmp/figures.txt
 *   node scripts/precision-sample.mjs --reports /tmp/reports --measured-on "$(git rev-parse --short HEAD)"
 *
 * The sample: the findings of every report, sorted by repository, file, line, entity, route and
 * fingerprint (so the order does not depend on the scan), shuffled per policy by a Fisher-Yates
 * shuffle driven by mulberry32(--seed), and the first N of each policy taken (without replacement;
 * all of them when a policy has fewer). N comes from --per-policy (default below). The same reports
 * and seed give the same sample.
 *
 * Verdicts (scripts/precision-verdicts.txt) are blocks separated by blank lines, one `key: value` per
 * line (a line starting with two spaces continues the previous value):
 *
 *   fingerprint: 1d31c5568bd41c7d6ed316941c800860
 *   repo: aws-samples/serverless-patterns
 *   policy: throttling-configured
 *   file: some/template.yaml
 *   entity: some/template.yaml:MyApi
 *   route: GET /items
 *   verdict: true | false | unclear
 *   cause: a short tag grouping false and unclear verdicts (omit for true)
 *   reason: why, citing the line(s) and, where needed, the cloud's documentation
 *
 * A sample member takes the verdict with its repository and fingerprint; failing that, the verdict
 * with its repository, policy, file, entity and route (the fingerprint changes when the line at
 * fault or the entity's wording changes); such carried-over verdicts are marked "recheck" in the
 * output. Members without a verdict are listed (and --skeleton prints blocks to fill in, with the
 * line at fault); verdicts that match no member are listed as unmatched, so a rerun on new code shows
 * which findings disappeared.
 *
 * Options: --reports DIR (default /work/corpus-reports), --corpus DIR (default /work/corpus; only for
 * --skeleton), --verdicts FILE, --out FILE (default docs/precision.md; "-" for standard output),
 * --seed N (default 15), --per-policy id=N,... , --measured-on TEXT (the commit the reports were made
 * on, printed in the document), --note TEXT (a paragraph printed under the title), --skeleton.
 * Exit code: 0, or 1 when a member has no verdict (the document is still written).
 */

import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};

const reportsDir = path.resolve(option('--reports', '/work/corpus-reports'));
const corpusDir = path.resolve(option('--corpus', '/work/corpus'));
const verdictsFile = path.resolve(option('--verdicts', path.join(here, 'precision-verdicts.txt')));
const outFile = option('--out', path.join(root, 'docs', 'precision.md'));
const seed = Number(option('--seed', '15'));
const measuredOn = option('--measured-on', 'an unstated commit');
const note = option('--note', '');
const skeleton = args.includes('--skeleton');

/**
 * Sample size per policy; a policy not listed gets DEFAULT_SIZE. Sizes add up to 55 on the corpus: 20
 * for each of the two policies with hundreds of findings, so that one false finding still leaves 95%.
 */
const DEFAULT_SIZE = 12;
const perPolicy = new Map(
  Object.entries({ 'route-requires-auth': 20, 'throttling-configured': 20, 'cors-not-open': 14, 'no-static-api-keys': 12 }),
);
for (const pair of (option('--per-policy', '') || '').split(',').filter(Boolean)) {
  const [id, size] = pair.split('=');
  perPolicy.set(id, Number(size));
}

/** mulberry32: a small seeded generator, so the sample is reproducible with no dependency. */
function mulberry32(state) {
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// ---------------------------------------------------------------------------------------------
// The population: every finding of every report

const population = [];
for (const name of readdirSync(reportsDir).filter((file) => file.endsWith('.json')).sort()) {
  const repo = name.replace(/\.json$/, '').replace('+', '/');
  const report = JSON.parse(readFileSync(path.join(reportsDir, name), 'utf8'));
  for (const finding of report.findings ?? []) {
    population.push({
      repo,
      policy: finding.policyId,
      file: finding.location?.file ?? '',
      line: finding.location?.startLine ?? 0,
      entity: finding.entityId,
      address: finding.address ?? '',
      route: finding.routeKey ?? '',
      message: finding.message,
      fingerprint: finding.fingerprint,
    });
  }
}
const compare = (a, b) =>
  a.repo.localeCompare(b.repo) ||
  a.file.localeCompare(b.file) ||
  a.line - b.line ||
  a.entity.localeCompare(b.entity) ||
  a.route.localeCompare(b.route) ||
  a.fingerprint.localeCompare(b.fingerprint);
population.sort(compare);

const policies = [...new Set(population.map((finding) => finding.policy))].sort();
const random = mulberry32(seed);
const sample = new Map();
for (const policy of policies) {
  const members = population.filter((finding) => finding.policy === policy);
  const size = Math.min(perPolicy.get(policy) ?? DEFAULT_SIZE, members.length);
  // Partial Fisher-Yates: the first `size` places hold a uniform sample without replacement.
  for (let at = 0; at < size; at += 1) {
    const pick = at + Math.floor(random() * (members.length - at));
    [members[at], members[pick]] = [members[pick], members[at]];
  }
  sample.set(policy, { total: members.length, members: members.slice(0, size).sort(compare) });
}

// ---------------------------------------------------------------------------------------------
// Verdicts

/** Reads the verdict blocks; a malformed block is an error naming its line. */
function readVerdicts(file) {
  if (!existsSync(file)) return [];
  const verdicts = [];
  let current;
  let lastKey;
  for (const [index, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    if (raw.startsWith('#')) continue;
    if (raw.trim() === '') {
      current = undefined;
      continue;
    }
    if (raw.startsWith('  ') && current && lastKey) {
      current[lastKey] += ` ${raw.trim()}`;
      continue;
    }
    const match = /^([a-z]+):\s?(.*)$/.exec(raw);
    if (!match) throw new Error(`${file}:${index + 1}: expected "key: value"`);
    if (!current) {
      current = { at: index + 1 };
      verdicts.push(current);
    }
    [, lastKey] = match;
    current[lastKey] = match[2].trim();
  }
  for (const verdict of verdicts) {
    for (const key of ['fingerprint', 'repo', 'policy', 'verdict', 'reason']) {
      if (!verdict[key]) throw new Error(`${file}:${verdict.at}: "${key}" is missing`);
    }
    if (!['true', 'false', 'unclear'].includes(verdict.verdict)) throw new Error(`${file}:${verdict.at}: verdict must be true, false or unclear`);
    if (verdict.verdict !== 'true' && !verdict.cause) throw new Error(`${file}:${verdict.at}: a ${verdict.verdict} verdict needs a cause`);
  }
  return verdicts;
}

const verdicts = readVerdicts(verdictsFile);
const used = new Set();
const findVerdict = (member) => {
  const exact = verdicts.find((v) => v.repo === member.repo && v.fingerprint === member.fingerprint);
  if (exact) return { verdict: exact, recheck: false };
  const same = verdicts.find(
    (v) =>
      v.repo === member.repo &&
      v.policy === member.policy &&
      v.file === member.file &&
      v.entity === member.entity &&
      (v.route ?? '') === member.route,
  );
  return same ? { verdict: same, recheck: true } : undefined;
};

const missing = [];
for (const { members } of sample.values()) {
  for (const member of members) {
    const found = findVerdict(member);
    if (found) {
      used.add(found.verdict);
      member.verdict = found.verdict;
      member.recheck = found.recheck;
    } else missing.push(member);
  }
}
const unmatched = verdicts.filter((verdict) => !used.has(verdict));

if (skeleton) {
  for (const member of missing) {
    const lines = existsSync(path.join(corpusDir, member.repo.replace('/', '+'), member.file))
      ? readFileSync(path.join(corpusDir, member.repo.replace('/', '+'), member.file), 'utf8').split('\n')
      : [];
    process.stdout.write(
      [
        `# ${member.message}`,
        `# ${corpusDir}/${member.repo.replace('/', '+')}/${member.file}:${member.line}: ${(lines[member.line - 1] ?? '').trim().slice(0, 160)}`,
        `fingerprint: ${member.fingerprint}`,
        `repo: ${member.repo}`,
        `policy: ${member.policy}`,
        `file: ${member.file}`,
        `entity: ${member.entity}`,
        ...(member.route ? [`route: ${member.route}`] : []),
        'verdict: ',
        'cause: ',
        'reason: ',
        '',
        '',
      ].join('\n'),
    );
  }
}

// ---------------------------------------------------------------------------------------------
// The document

const cell = (text) => String(text ?? '').replaceAll('|', '\\|').replaceAll('\n', ' ');
const out = [];
out.push('# Precision on the public corpus');
out.push('');
out.push('<!-- Generated by scripts/precision-sample.mjs from the corpus reports and scripts/precision-verdicts.txt; edit the verdicts, not this file. -->');
out.push('');
if (note) out.push(note, '');
out.push(
  `Findings of \`node scripts/corpus.mjs\` (the 23 repositories of scripts/corpus-repos.txt, scanned at ${measuredOn}), ` +
    `sampled at random per policy with seed ${seed} (mulberry32, partial Fisher-Yates over the findings sorted by ` +
    'repository, file, line, entity, route and fingerprint; without replacement). Each finding was checked by hand ' +
    'against the file in the corpus and the cloud\'s documented behaviour. A finding is **true** when the gateway, ' +
    'deployed as configured, has the gap the message describes, the message says it correctly and the line is the value ' +
    'at fault (or the enclosing block when that value is absent); **false** when it has no such gap, or the message or line ' +
    'misleads; **unclear** when the configuration does not say (counted as not true). Rerun: ' +
    '`node scripts/precision-sample.mjs --reports DIR --measured-on COMMIT`.',
);
out.push('');
out.push('## Figures');
out.push('');
out.push('| Policy | Findings on the corpus | Sampled | True | False | Unclear | No verdict | Precision (true / sampled) |');
out.push('| --- | --- | --- | --- | --- | --- | --- | --- |');
const totals = { total: 0, sampled: 0, true: 0, false: 0, unclear: 0, none: 0 };
for (const [policy, { total, members }] of sample) {
  const count = (value) => members.filter((member) => member.verdict?.verdict === value).length;
  const row = { true: count('true'), false: count('false'), unclear: count('unclear'), none: members.filter((m) => !m.verdict).length };
  totals.total += total;
  totals.sampled += members.length;
  for (const key of ['true', 'false', 'unclear', 'none']) totals[key] += row[key];
  const precision = members.length ? `${Math.round((100 * row.true) / members.length)}%` : '-';
  out.push(`| \`${policy}\` | ${total} | ${members.length} | ${row.true} | ${row.false} | ${row.unclear} | ${row.none} | ${precision} |`);
}
out.push(
  `| all | ${totals.total} | ${totals.sampled} | ${totals.true} | ${totals.false} | ${totals.unclear} | ${totals.none} | ${totals.sampled ? Math.round((100 * totals.true) / totals.sampled) : 0}% |`,
);
out.push('');

const notTrue = [...sample.values()].flatMap(({ members }) => members.filter((member) => member.verdict && member.verdict.verdict !== 'true'));
if (notTrue.length) {
  out.push('## False and unclear findings by cause');
  out.push('');
  const causes = [...new Set(notTrue.map((member) => member.verdict.cause))].sort();
  for (const cause of causes) {
    const members = notTrue.filter((member) => member.verdict.cause === cause);
    out.push(`- **${cause}** (${members.length}): ${members.map((m) => `${m.repo} \`${m.file}:${m.line}\` (${m.policy}, ${m.verdict.verdict})`).join('; ')}`);
  }
  out.push('');
}

for (const [policy, { total, members }] of sample) {
  out.push(`## \`${policy}\` (${members.length} of ${total})`);
  out.push('');
  out.push('| # | Repository | File:line | Entity | Message | Verdict | Reason |');
  out.push('| --- | --- | --- | --- | --- | --- | --- |');
  for (const [index, member] of members.entries()) {
    const verdict = member.verdict
      ? `${member.verdict.verdict}${member.verdict.cause ? ` (${member.verdict.cause})` : ''}${member.recheck ? ', recheck: fingerprint changed' : ''}`
      : '**no verdict yet**';
    out.push(
      `| ${index + 1} | ${cell(member.repo)} | \`${cell(member.file)}:${member.line}\` | \`${cell(member.entity)}\`${member.route ? ` (${cell(member.route)})` : ''} | ${cell(member.message)} | ${cell(verdict)} | ${cell(member.verdict?.reason ?? '')} |`,
    );
  }
  out.push('');
}

if (unmatched.length) {
  out.push('## Verdicts that match no sampled finding');
  out.push('');
  out.push('Findings checked on an earlier run that are not in this sample (no longer reported, or not drawn):');
  out.push('');
  for (const verdict of unmatched) {
    out.push(`- ${verdict.repo} \`${verdict.file ?? ''}\` \`${verdict.entity ?? ''}\` ${verdict.route ?? ''} (${verdict.policy}, ${verdict.verdict}${verdict.cause ? `, ${verdict.cause}` : ''}; fingerprint ${verdict.fingerprint})`);
  }
  out.push('');
}

const text = `${out.join('\n')}`;
if (outFile === '-') process.stdout.write(text);
else writeFileSync(outFile, text);
if (missing.length) console.error(`${missing.length} sampled finding(s) have no verdict yet (--skeleton prints blocks to fill in)`);
if (unmatched.length) console.error(`${unmatched.length} verdict(s) match no sampled finding`);
process.exit(missing.length ? 1 : 0);
