#!/usr/bin/env node
/**
 * Real-world robustness figures (issue 14): scans a corpus of public repositories that configure API
 * gateways (Terraform, CloudFormation/SAM, ARM, OpenAPI; AWS, Azure, GCP) with the built gatewarden
 * and counts what it read, what it could not parse, and what it left unknown, with reasons grouped.
 *
 * The corpus is listed in scripts/corpus-repos.txt: each repository at a fixed commit, and the files
 * taken from it. Rebuild and measure with one command, after `npm run build`:
 *
 *   node scripts/corpus.mjs --mirrors DIR --corpus /work/corpus [--out scripts/corpus-figures.txt]
 *
 * --mirrors DIR holds a git copy of each repository, as DIR/<owner>+<name>/repo (a bare snapshot),
 * DIR/<owner>+<name> (bare or a clone) or DIR/<owner>/<name> (a clone); each must contain the commit
 * listed (a full clone of the public repository into DIR/<owner>+<name> does). With --mirrors the
 * files listed are (re)extracted into <corpus>/<owner>+<name>/ at that commit; without it the corpus
 * directory is scanned as it is. Nothing from these repositories is ever committed here.
 *
 * Each repository is scanned by its own process (a crash in one does not hide the others), one at a
 * time, as a user would run it: `node bin/gatewarden.js scan . --format json:FILE --fail-on never`
 * in the repository's corpus directory. The figures come from the JSON reports (docs/json-report.md);
 * the format of each file read is told by gatewarden's own detectors (dist/src/pipeline/input-formats.js).
 *
 * Parse errors are split using scripts/corpus-triage.txt: files checked by hand (or with cfn-lint,
 * PyYAML, `terraform fmt`) that their own tool rejects too are expected; every other parse error is
 * a gatewarden bug until triaged. Also listed: files that look like gateway configuration (by
 * content) but were not read, and files read that declare gateway resources but that no finding,
 * unknown or diagnostic points at (clean, or not understood), grouped by known shapes. The last
 * section is the table for README.md ("Real-world robustness"); progress goes to standard error.
 *
 * Options: --only owner/name (repeatable) limits the run; --reports DIR keeps the JSON reports
 * (default <corpus>-reports beside the corpus); --timeout SECONDS per repository (default 1200);
 * --reuse rebuilds the figures from the reports of the last run without scanning; --markdown prints
 * only the README table. Output is deterministic except the run times, the date and the
 * commit it was measured on.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(name);
  return at >= 0 && args[at + 1] !== undefined ? args[at + 1] : fallback;
};
const options = (name) => args.flatMap((arg, at) => (arg === name && args[at + 1] !== undefined ? [args[at + 1]] : []));

const reposFile = path.resolve(option('--repos', path.join(here, 'corpus-repos.txt')));
const triageFile = path.resolve(option('--triage', path.join(here, 'corpus-triage.txt')));
const corpusDir = path.resolve(option('--corpus', '/work/corpus'));
const mirrorsDir = option('--mirrors', undefined);
const reportsDir = path.resolve(option('--reports', path.join(path.dirname(corpusDir), `${path.basename(corpusDir)}-reports`)));
const outFile = option('--out', undefined);
const timeoutSeconds = Number(option('--timeout', '1200'));
const only = new Set(options('--only'));
const markdownOnly = args.includes('--markdown');
const reuse = args.includes('--reuse');

const dist = (relative) => pathToFileURL(path.join(root, 'dist', 'src', relative)).href;
if (!existsSync(path.join(root, 'dist', 'src', 'cli'))) {
  console.error('dist/ is missing: run `npm run build` first');
  process.exit(2);
}
const { compileGlobs } = await import(dist('config/glob.js'));
const { classify } = await import(dist('sources/discover.js'));
const { INPUT_DETECTORS } = await import(dist('pipeline/input-formats.js'));

// ---------------------------------------------------------------------------------------------
// The list of repositories

/** Parses corpus-repos.txt into { repo, commit, take, leave }. */
function readRepos(file) {
  const repos = [];
  for (const [index, raw] of readFileSync(file, 'utf8').split('\n').entries()) {
    const line = raw.replace(/\s+#.*$/, '').trimEnd();
    if (line.trim() === '' || line.trim().startsWith('#')) continue;
    if (!/^\s/.test(line)) {
      const [repo, commit] = line.split(/\s+/);
      if (!/^[\w.-]+\/[\w.-]+$/.test(repo) || !/^[0-9a-f]{40}$/.test(commit ?? '')) throw new Error(`${file}:${index + 1}: expected "owner/name commit"`);
      repos.push({ repo, commit, take: [], leave: [] });
      continue;
    }
    const current = repos.at(-1);
    if (current === undefined) throw new Error(`${file}:${index + 1}: a pattern before any repository`);
    const pattern = line.trim();
    if (pattern.startsWith('-')) current.leave.push(pattern.slice(1));
    else current.take.push(pattern);
  }
  return repos;
}

/** The corpus directory name of a repository. */
const dirName = (repo) => repo.replace('/', '+');

// ---------------------------------------------------------------------------------------------
// Extraction

/** The git directory of a repository under --mirrors. */
function gitDirOf(repo) {
  const [owner, name] = repo.split('/');
  const candidates = [path.join(mirrorsDir, `${owner}+${name}`, 'repo'), path.join(mirrorsDir, `${owner}+${name}`), path.join(mirrorsDir, owner, name)];
  for (const candidate of candidates) {
    if (!existsSync(candidate)) continue;
    const dotGit = path.join(candidate, '.git');
    if (existsSync(dotGit)) return dotGit;
    if (existsSync(path.join(candidate, 'HEAD'))) return candidate;
  }
  return undefined;
}

function git(gitDir, gitArgs, input) {
  const result = spawnSync('git', [`--git-dir=${gitDir}`, ...gitArgs], { input, maxBuffer: 1 << 30 });
  if (result.status !== 0) throw new Error(`git ${gitArgs.join(' ')}: ${result.stderr.toString().trim()}`);
  return result.stdout;
}

/**
 * Writes the files a block takes into <corpus>/<owner>+<name>/, from scratch. Returns the counts of
 * what was written and left out.
 */
function extract(entry) {
  const gitDir = gitDirOf(entry.repo);
  if (gitDir === undefined) throw new Error(`${entry.repo}: no git copy under ${mirrorsDir}`);
  const take = compileGlobs(entry.take);
  const leave = compileGlobs(entry.leave);
  const listing = git(gitDir, ['ls-tree', '-r', '-z', '--full-tree', entry.commit]).toString('utf8');
  const chosen = [];
  const skipped = { symlinks: 0, submodules: 0, absent: 0 };
  for (const record of listing.split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode, type, sha] = record.slice(0, tab).split(' ');
    const file = record.slice(tab + 1);
    if (!take(file) || leave(file)) continue;
    if (type === 'commit') skipped.submodules += 1;
    else if (mode === '120000') skipped.symlinks += 1;
    else chosen.push({ file, sha });
  }
  const target = path.join(corpusDir, dirName(entry.repo));
  rmSync(target, { recursive: true, force: true });
  mkdirSync(target, { recursive: true });
  // One `git cat-file --batch` for every blob: "<sha> blob <size>\n<content>\n", or "<sha> missing\n"
  // for a blob the copy lacks (snapshots leave out files of 4 MiB and more).
  const output = git(gitDir, ['cat-file', '--batch'], chosen.map((c) => c.sha).join('\n') + '\n');
  let offset = 0;
  let written = 0;
  for (const { file } of chosen) {
    const newline = output.indexOf(10, offset);
    const header = output.subarray(offset, newline).toString('utf8').split(' ');
    offset = newline + 1;
    if (header[1] === 'missing') {
      skipped.absent += 1;
      continue;
    }
    const size = Number(header[2]);
    const content = output.subarray(offset, offset + size);
    offset += size + 1;
    const destination = path.join(target, file);
    mkdirSync(path.dirname(destination), { recursive: true });
    writeFileSync(destination, content);
    written += 1;
  }
  return { written, ...skipped };
}

// ---------------------------------------------------------------------------------------------
// Scanning

/** Every file under a directory, relative, with `/` separators, sorted. */
function listFiles(dir) {
  const out = [];
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(dir, relative), { withFileTypes: true })) {
      const child = relative === '' ? entry.name : `${relative}/${entry.name}`;
      if (entry.isDirectory()) walk(child);
      else if (entry.isFile()) out.push(child);
    }
  };
  walk('');
  return out.sort();
}

/** Runs gatewarden on one repository's corpus directory; returns the report and the run's facts. */
function scan(entry) {
  const dir = path.join(corpusDir, dirName(entry.repo));
  const reportFile = path.join(reportsDir, `${dirName(entry.repo)}.json`);
  rmSync(reportFile, { force: true });
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, [path.join(root, 'bin', 'gatewarden.js'), 'scan', '.', '--format', `json:${reportFile}`, '--fail-on', 'never', '--no-color'], {
    cwd: dir,
    timeout: timeoutSeconds * 1000,
    maxBuffer: 1 << 28,
    env: { ...process.env, NO_COLOR: '1' },
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const stderr = (result.stderr ?? Buffer.alloc(0)).toString('utf8');
  let report;
  try {
    report = JSON.parse(readFileSync(reportFile, 'utf8'));
  } catch {
    report = undefined;
  }
  const failure = result.error !== undefined ? String(result.error.message) : result.status !== 0 && result.status !== 2 ? `exit ${result.status ?? result.signal}: ${lastLines(stderr, 3)}` : undefined;
  return { dir, report, seconds, exit: result.status ?? result.signal, failure };
}

/** The report of an earlier run (--reuse), with the run time it recorded. */
function reread(entry) {
  const dir = path.join(corpusDir, dirName(entry.repo));
  const report = JSON.parse(readFileSync(path.join(reportsDir, `${dirName(entry.repo)}.json`), 'utf8'));
  const seconds = (Date.parse(report.timing.finishedAt) - Date.parse(report.timing.startedAt)) / 1000;
  return { dir, report, seconds, exit: 'reused', failure: undefined };
}

const lastLines = (text, count) => text.trim().split('\n').slice(-count).join(' | ');

// ---------------------------------------------------------------------------------------------
// Figures

/**
 * A reason or message with its particulars replaced, so that messages of one cause group together:
 * quoted names, paths, line numbers, numbers and addresses become placeholders.
 */
function pattern(text) {
  return text
    .split('\n')[0]
    .replace(/"[^"\n]*"/g, '"…"')
    .replace(/'[^'\n]*'/g, "'…'")
    .replace(/`[^`\n]*`/g, '`…`')
    .replace(/(^|[\s(])[\w.@+-]+(\/[\w.@+-]+)+(:\d+(:\d+)?)?/g, '$1PATH')
    // An ARM resource name after its type: Microsoft.ApiManagement/service/[parameters('…')]/apis/orders.
    .replace(/PATH\/\S+/g, 'PATH')
    .replace(/\b[\w.@+-]+\.(tf|json|ya?ml|template|xml|tfvars|swagger|tpl|tmpl|bicep)\b(:\d+(:\d+)?)?/gi, 'FILE')
    .replace(/\b(module|var|local|data|each|count)\.[\w.[\]"'*…-]+/g, '$1.…')
    .replace(/\b(aws|azurerm|azapi|google|random)_[a-z0-9_]+\.[\w-]+(\[[^\]]*\])?/g, '$1_….…')
    // CloudFormation logical ids and ARM names, written bare in messages.
    .replace(/\b(AWS::\w+::\w+(?:::\w+)?) [\w:]+/g, '$1 ID')
    .replace(/\b(Ref|GetAtt|Fn::GetAtt|body of|definition of|document of|nested stack|resource|copy loop|parameter|deployed resource|nested deployment) (?!(?:ID|or|of|is|has|and|in|the|with|a|an|to|that|was|not)\b|(?:module|data|var|local|aws|azurerm|azapi|google|random)[._])[\w:-]+/g, '$1 ID')
    .replace(/--parameter [\w-]+=/g, '--parameter ID=')
    .replace(/\b\d+(\.\d+)?\b/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Counts by key, sorted by count then key. */
function tally(items, key) {
  const counts = new Map();
  for (const item of items) {
    const k = key(item);
    const slot = counts.get(k) ?? { count: 0, example: item };
    slot.count += 1;
    counts.set(k, slot);
  }
  return [...counts.entries()].sort((a, b) => b[1].count - a[1].count || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
}

/**
 * The triage file: "<owner+name>/<path>  verdict  reason", verdict one of tool-rejects (a parse error
 * on a file its own tool rejects too), bug (a parse error on a valid file, or a file that should have
 * been read), not-config (matched by content, but not configuration: an API response, a CDK tree),
 * unsupported (gateway configuration in a format gatewarden does not read, by design so far).
 */
function readTriage(file) {
  const triage = new Map();
  if (!existsSync(file)) return triage;
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const match = /^(\S+)\s+(tool-rejects|bug|not-config|unsupported)\s+(.*)$/.exec(line);
    if (match === null) throw new Error(`${file}: cannot read "${line}"`);
    triage.set(match[1], { verdict: match[2], reason: match[3] });
  }
  return triage;
}

/** Text that marks a file as gateway configuration, to find files that should have been read. */
const GATEWAY_CONTENT = /AWS::ApiGateway|AWS::Serverless::(Http)?Api|Microsoft\.ApiManagement\/service|"?(swagger|openapi)"?\s*:\s*['"]?[23]\.|x-google-backend|x-amazon-apigateway-|resource\s+"(aws_api_gateway|aws_apigatewayv2|azurerm_api_management|google_api_gateway|google_endpoints)|^type:\s*google\.api\.Service\b/m;
/** A file that declares an API, a route, a stage or an APIM API (to list the files where nothing was reported). */
const DECLARES_GATEWAY = /AWS::Serverless::(Http)?Api\b|AWS::ApiGateway(V2)?::(RestApi|Api|Method|Route|Stage)\b|"Microsoft\.ApiManagement\/service\/apis"|resource\s+"(aws_api_gateway_(rest_api|method|stage)|aws_apigatewayv2_(api|route|stage)|azurerm_api_management_api|google_api_gateway_api_config|google_endpoints_service)"|^\s*"?(swagger|openapi)"?\s*:/m;
/** A known reason for a file with gateway resources to have nothing reported, told from its text. */
function silentShape(content) {
  if (/AWS::Serverless::/.test(content) && !/Transform["']?\s*:[\s\S]{0,80}AWS::Serverless-2016-10-31/.test(content)) return 'SAM resources without Transform: AWS::Serverless-2016-10-31';
  if (/x-amazon-apigateway-any-method/.test(content)) return 'paths with x-amazon-apigateway-any-method';
  if (/^\s*"?(swagger|openapi)"?\s*:/m.test(content) && !/^\s*"?paths"?\s*:\s*(\{\s*\S|\n)/m.test(content)) return 'an OpenAPI document without paths';
  return 'other (all checks passed, or not understood)';
}
const TEXT_NAME = /\.(json|ya?ml|template|tf|swagger|tpl|tmpl|j2|jinja|txt|spec|oas|oas3)$/i;

function fileKind(absolute) {
  try {
    return classify(absolute, INPUT_DETECTORS) ?? 'read by reference';
  } catch {
    return 'unclassified';
  }
}

function main() {
  const repos = readRepos(reposFile).filter((entry) => only.size === 0 || only.has(entry.repo));
  const triage = readTriage(triageFile);
  mkdirSync(reportsDir, { recursive: true });
  const rows = [];
  for (const entry of repos) {
    const extracted = mirrorsDir !== undefined ? extract(entry) : undefined;
    const dir = path.join(corpusDir, dirName(entry.repo));
    if (!existsSync(dir)) throw new Error(`${dir} is missing: pass --mirrors to extract the corpus`);
    process.stderr.write(`scanning ${entry.repo} ... `);
    const run = reuse ? reread(entry) : scan(entry);
    process.stderr.write(`${run.seconds.toFixed(1)} s${run.failure ? ` FAILED ${run.failure}` : ''}\n`);
    rows.push({ entry, extracted, corpusFiles: listFiles(dir), ...run });
  }
  const text = figures(rows, triage);
  if (outFile !== undefined) writeFileSync(outFile, text.full);
  process.stdout.write(markdownOnly ? text.markdown : text.full);
}

/** Builds the figures file and the README table from the runs. */
function figures(rows, triage) {
  const out = [];
  const say = (line = '') => out.push(line);
  // The commit of the code measured: the last one that changed what a scan runs (not this script or the docs).
  const code = ['src', 'providers', 'policies', 'bin', 'package.json', 'package-lock.json'];
  const commit = spawnSync('git', ['log', '-1', '--format=%h', 'HEAD', '--', ...code], { cwd: root }).stdout?.toString().trim() || 'unknown';
  const dirty = (spawnSync('git', ['status', '--porcelain', '--untracked-files=no', '--', ...code], { cwd: root }).stdout?.toString().trim() ?? '') !== '';
  const date = new Date().toISOString().slice(0, 10);
  say(`# Output of: node scripts/corpus.mjs --mirrors DIR --corpus ${corpusDir}${only.size ? ` --only ${[...only].join(' --only ')}` : ''}`);
  say(`# gatewarden code at commit ${commit}${dirty ? ' (with uncommitted changes)' : ''}, ${date}, Node ${process.version}, ${os.cpus().length} CPUs shared with other jobs (times vary by up to 2x).`);
  say(`# Corpus: scripts/corpus-repos.txt (${rows.length} repositories at fixed commits); triage: scripts/corpus-triage.txt.`);
  say();

  const all = { parse: [], unknown: [], diagnostics: [], findings: [], kinds: new Map(), unread: [], silent: [] };
  const table = [];
  for (const row of rows) {
    const report = row.report;
    const kinds = new Map();
    const files = report?.files ?? [];
    for (const file of files) {
      const kind = fileKind(path.resolve(row.dir, file));
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
      all.kinds.set(kind, (all.kinds.get(kind) ?? 0) + 1);
    }
    const read = new Set(files.map((file) => path.normalize(file)));
    for (const file of row.corpusFiles) {
      if (read.has(path.normalize(file)) || !TEXT_NAME.test(file) || /(^|\/)(package(-lock)?|tsconfig|cdk|event|events)\.json$/.test(file)) continue;
      let content;
      try {
        if (statSync(path.join(row.dir, file)).size > 4 << 20) continue;
        content = readFileSync(path.join(row.dir, file), 'utf8');
      } catch {
        continue;
      }
      if (GATEWAY_CONTENT.test(content)) all.unread.push({ repo: row.entry.repo, file });
    }
    // Files that declare gateway resources but that no finding, unknown or diagnostic points at:
    // either everything there passed, or gatewarden did not understand them. Worth a look after a change.
    const touched = new Set([...(report?.findings ?? []), ...(report?.unevaluated ?? []), ...(report?.diagnostics ?? [])].map((item) => item.location?.file).filter(Boolean));
    for (const file of files) {
      if (touched.has(file)) continue;
      try {
        const content = readFileSync(path.resolve(row.dir, file), 'utf8');
        if (DECLARES_GATEWAY.test(content)) all.silent.push({ repo: row.entry.repo, file, shape: silentShape(content) });
      } catch {
        // a file read through a reference outside the corpus directory
      }
    }
    const diagnostics = report?.diagnostics ?? [];
    for (const diagnostic of diagnostics) all.diagnostics.push({ repo: row.entry.repo, ...diagnostic });
    const parse = diagnostics.filter((d) => d.code === 'parse-error');
    for (const diagnostic of parse) all.parse.push({ repo: row.entry.repo, ...diagnostic });
    for (const item of report?.unevaluated ?? []) all.unknown.push({ repo: row.entry.repo, ...item });
    for (const finding of report?.findings ?? []) all.findings.push({ repo: row.entry.repo, ...finding });
    const summary = report?.summary;
    table.push({
      repo: row.entry.repo,
      taken: row.corpusFiles.length,
      read: files.length,
      kinds,
      entities: summary?.entities ?? 0,
      gateways: summary?.gateways ?? 0,
      routes: summary?.routes ?? 0,
      findings: summary?.findings?.total ?? 0,
      parse: parse.length,
      unknown: report?.unevaluated?.length ?? 0,
      errors: summary?.errors ?? 0,
      warnings: summary?.warnings ?? 0,
      seconds: row.seconds,
      failure: row.failure,
      extracted: row.extracted,
    });
  }

  const kindOrder = ['terraform', 'terraform-plan', 'cloudformation', 'arm', 'openapi', 'read by reference', 'unclassified'];
  const kindList = [...new Set([...kindOrder.filter((k) => all.kinds.has(k)), ...[...all.kinds.keys()].sort()])];
  const kindCell = (kinds) => kindList.map((k) => `${k}=${kinds.get(k) ?? 0}`).join(' ');
  const sum = (key) => table.reduce((total, t) => total + t[key], 0);

  say('## Per repository');
  say('taken = files extracted; read = files in the report (by gatewarden\'s own detectors; "read by reference" = a file another one names: a spec, tfvars, policy XML);');
  say('parse = parse-error diagnostics; unknown = unevaluated checks; errors/warnings = all diagnostics by severity.');
  say();
  for (const t of table) {
    const skipped = t.extracted ? ` (left out: ${t.extracted.symlinks} symlinks, ${t.extracted.submodules} submodules, ${t.extracted.absent} absent from the copy)` : '';
    say(`${t.repo}: taken ${t.taken}${skipped}, read ${t.read} [${kindCell(t.kinds)}], entities ${t.entities}, gateways ${t.gateways}, routes ${t.routes}, findings ${t.findings}, parse ${t.parse}, unknown ${t.unknown}, errors ${t.errors}, warnings ${t.warnings}, ${t.seconds.toFixed(1)} s${t.failure ? `, FAILED: ${t.failure}` : ''}`);
  }
  say();
  say(`Total: ${table.length} repositories, taken ${sum('taken')}, read ${sum('read')} [${kindCell(all.kinds)}], entities ${sum('entities')}, gateways ${sum('gateways')}, routes ${sum('routes')}, findings ${sum('findings')}, parse errors ${sum('parse')}, unknown ${sum('unknown')}, errors ${sum('errors')}, warnings ${sum('warnings')}, ${sum('seconds').toFixed(0)} s, runs failed ${table.filter((t) => t.failure).length}`);
  say();

  say('## Parse errors');
  // Counted by file: one YAML mistake can yield several parse-error diagnostics in the same file.
  const key = (item) => `${dirName(item.repo)}/${item.location?.file ?? '?'}`;
  const byFile = new Map();
  for (const p of all.parse) byFile.set(key(p), [...(byFile.get(key(p)) ?? []), p]);
  const parseFiles = [...byFile.keys()].sort();
  const verdictOf = (file) => triage.get(file)?.verdict;
  const parse = {
    expected: parseFiles.filter((f) => verdictOf(f) === 'tool-rejects'),
    bugs: parseFiles.filter((f) => verdictOf(f) === 'bug'),
    untriaged: parseFiles.filter((f) => verdictOf(f) !== 'tool-rejects' && verdictOf(f) !== 'bug'),
  };
  say(`${parseFiles.length} files with parse errors (${all.parse.length} diagnostics): ${parse.expected.length} that their own tool rejects too, ${parse.bugs.length} valid (gatewarden bugs, triaged), ${parse.untriaged.length} not triaged yet (a bug until shown otherwise).`);
  for (const [title, list] of [['Valid files gatewarden rejects (bugs)', parse.bugs], ['Not triaged', parse.untriaged], ['Files their own tool rejects too', parse.expected]]) {
    if (list.length === 0) continue;
    say(`### ${title}`);
    for (const file of list) {
      const diagnostics = byFile.get(file).sort((x, y) => (x.location?.startLine ?? 0) - (y.location?.startLine ?? 0));
      say(`- ${file}:${diagnostics[0].location?.startLine ?? '?'}  ${oneLine(diagnostics[0].message, 200)}${diagnostics.length > 1 ? ` (+${diagnostics.length - 1} more)` : ''}`);
      if (triage.has(file)) say(`    triage: ${triage.get(file).reason}`);
    }
  }
  say();

  say('## Unknown checks (unevaluated), grouped by reason pattern');
  say(`${all.unknown.length} unknown checks in ${new Set(all.unknown.map((u) => `${u.repo}/${u.location?.file}`)).size} files.`);
  for (const [reason, slot] of tally(all.unknown, (u) => pattern(u.reason ?? ''))) {
    const example = slot.example;
    say(`${String(slot.count).padStart(6)}  ${oneLine(reason, 200)}`);
    say(`        e.g. ${dirName(example.repo)}/${example.location?.file ?? '?'}:${example.location?.startLine ?? '?'} ${example.policyId ?? ''}: ${oneLine(example.reason ?? '', 200)}`);
  }
  say();
  say('Unknown checks per policy:');
  for (const [policy, slot] of tally(all.unknown, (u) => u.policyId ?? '?')) say(`${String(slot.count).padStart(6)}  ${policy}`);
  say();

  say('## Diagnostics by severity and code');
  for (const [code, slot] of tally(all.diagnostics, (d) => `${d.severity} ${d.code}`)) say(`${String(slot.count).padStart(6)}  ${code}`);
  say();
  say('Diagnostics other than parse errors, grouped by message pattern:');
  for (const [message, slot] of tally(
    all.diagnostics.filter((d) => d.code !== 'parse-error'),
    (d) => `${d.severity} ${d.code}: ${pattern(d.message ?? '')}`,
  )) {
    const example = slot.example;
    say(`${String(slot.count).padStart(6)}  ${oneLine(message, 200)}`);
    say(`        e.g. ${dirName(example.repo)}/${example.location?.file ?? '?'}:${example.location?.startLine ?? '?'}: ${oneLine(example.message ?? '', 200)}`);
  }
  say();

  say('## Findings per policy');
  for (const [policy, slot] of tally(all.findings, (f) => f.policyId)) say(`${String(slot.count).padStart(6)}  ${policy}`);
  say();

  say('## Files that look like gateway configuration (by content) but were not read');
  const unreadKey = (u) => `${dirName(u.repo)}/${u.file}`;
  const notConfig = all.unread.filter((u) => triage.get(unreadKey(u))?.verdict === 'not-config');
  const unsupported = all.unread.filter((u) => triage.get(unreadKey(u))?.verdict === 'unsupported');
  const missed = all.unread.filter((u) => !['not-config', 'unsupported'].includes(triage.get(unreadKey(u))?.verdict));
  say(`${missed.length} files should have been read (or are not triaged yet); ${unsupported.length} are in a format gatewarden does not read (triaged "unsupported"); ${notConfig.length} more match by content but are not configuration (triaged "not-config").`);
  for (const [extension, slot] of tally(missed, (u) => path.extname(u.file) || '(none)')) say(`${String(slot.count).padStart(6)}  ${extension}`);
  for (const u of missed) say(`- ${unreadKey(u)}${triage.has(unreadKey(u)) ? `\n    triage: ${triage.get(unreadKey(u)).reason}` : ''}`);
  if (unsupported.length > 0) say(`Formats not read: ${unsupported.map((u) => `${unreadKey(u)} (${triage.get(unreadKey(u)).reason})`).join(', ')}`);
  if (notConfig.length > 0) say(`Not configuration: ${notConfig.map(unreadKey).join(', ')}`);
  // A triaged file that has neither a parse error nor is unread any more: fixed, or the triage is stale.
  const inRun = (file) => only.size === 0 || only.has(file.split('/')[0].replace('+', '/'));
  const current = new Set([...byFile.keys(), ...all.unread.map(unreadKey)]);
  const stale = [...triage.keys()].filter((file) => !current.has(file) && inRun(file));
  if (stale.length > 0) say(`Triaged files that no longer have a parse error or go unread (fixed, or the triage is stale): ${stale.sort().join(', ')}`);
  say();

  say('## Files that declare gateway resources with nothing reported');
  say(`${all.silent.length} files read that declare an API, route, stage or APIM API, with no finding, unknown or diagnostic pointing at them: all passed, or not understood (a stage whose API is elsewhere, an API whose spec is in S3). Per repository:`);
  for (const [repo, slot] of tally(all.silent, (s) => s.repo)) say(`${String(slot.count).padStart(6)}  ${repo}`);
  say('By shape:');
  for (const [shape, slot] of tally(all.silent, (s) => s.shape)) say(`${String(slot.count).padStart(6)}  ${shape}`);
  for (const [shape] of tally(all.silent, (s) => s.shape)) {
    say(`### ${shape}`);
    for (const s of all.silent.filter((item) => item.shape === shape)) say(`- ${dirName(s.repo)}/${s.file}`);
  }
  say();

  const markdown = readmeTable(table, all, kindList, parse, { missed: missed.length, unsupported: unsupported.length }, `${commit}${dirty ? ' (with uncommitted changes)' : ''}`, date);
  say('## README table');
  say(markdown);
  return { full: out.join('\n') + '\n', markdown };
}

/** The table pasted into README.md, "Real-world robustness". */
function readmeTable(table, all, kindList, parse, unread, commit, date) {
  const lines = [];
  const sum = (key) => table.reduce((total, t) => total + t[key], 0);
  const files = kindList.map((k) => `${all.kinds.get(k) ?? 0} ${k}`).join(', ');
  lines.push(`Measured on main at commit ${commit} on ${date} (\`node scripts/corpus.mjs\`, figures in scripts/corpus-figures.txt):`);
  lines.push('');
  lines.push('| | |');
  lines.push('| --- | --- |');
  lines.push(`| Repositories (AWS, Azure, GCP, OpenAPI; fixed commits) | ${table.length} |`);
  lines.push(`| Files read | ${sum('read')} (${files}) |`);
  lines.push(`| Gateways / routes / entities | ${sum('gateways')} / ${sum('routes')} / ${sum('entities')} |`);
  lines.push(`| Findings | ${sum('findings')} |`);
  lines.push(`| Files with parse errors | ${parse.expected.length + parse.bugs.length + parse.untriaged.length}: ${parse.expected.length} that CloudFormation or Terraform rejects too, ${parse.bugs.length + parse.untriaged.length} that it accepts (gatewarden bugs) |`);
  lines.push(`| Unknown checks (each with its reason) | ${all.unknown.length} |`);
  lines.push(`| Parts not checked, reported as errors (unresolved bodies, specs a gateway gatewarden does not read imports, templates their own tool rejects) | ${all.diagnostics.filter((d) => d.severity === 'error' && d.code !== 'parse-error').length} |`);
  lines.push(`| Files that look like gateway configuration but were not read | ${unread.missed}, and ${unread.unsupported} in a format gatewarden does not read |`);
  lines.push(`| Files declaring gateway resources with nothing reported (all checks passed, or not understood) | ${all.silent.length}: ${tally(all.silent, (s) => s.shape).map(([shape, slot]) => `${slot.count} ${shape}`).join(', ')} |`);
  lines.push(`| Warnings (Bicep not read, remote modules not downloaded, values left unknown) | ${all.diagnostics.filter((d) => d.severity === 'warning').length} |`);
  lines.push(`| Runs that crashed | ${table.filter((t) => t.failure).length} |`);
  lines.push(`| Scan time, all repositories one after another | ${sum('seconds').toFixed(0)} s |`);
  return lines.join('\n') + '\n';
}

const oneLine = (text, max) => {
  const flat = String(text).replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

main();
