// The cases written here (bench/corpus/cases/<concern>/<case>/), read as one more peer of the corpus
// harness (bench/corpus/corpus.mjs): "gatewarden cases". Each case is a small, complete configuration
// that a provider would deploy, with a label file, case.yaml:
//
//   concern: cors                       # one of CONCERN_ORDER (peers.mjs)
//   expected: positive                  # positive: a careful reviewer calls it insecure; negative: secure
//   policies: [cors-not-open]           # the gatewarden policies that answer the concern here
//   models: [KICS "API Gateway With CORS Allowing All Origins"]   # the peer checks or docs it models
//   entity: { kind: terraform, type: aws_apigatewayv2_api, name: shop }   # what the label is about
//   why: Every origin may call the API.
//
// `entity.kind` is terraform (type, name), cloudformation (name = logical id; type), arm (type, name)
// or file (a whole file, for an OpenAPI document or APIM policy XML); `entity.file` narrows the search
// to one file. The label is what a careful reviewer says of the configuration, decided when the case
// was written, never by running gatewarden: where gatewarden disagrees, that is a finding to fix or
// to explain in the policy's description.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The name of a case's label file, which is not scanned. */
export const LABEL_FILE = 'case.yaml';

const KINDS = new Set(['terraform', 'cloudformation', 'arm', 'file']);

/** A peer check id in a model's text: Checkov, cfn_nag, Trivy (without AVD-, as peers.mjs names them), cdk-nag. */
const PEER_ID = /\b(CKV2?_[A-Z]+_\d+|W\d{2,3}|AVD-[A-Z]+-\d{4}|AwsSolutions-[A-Za-z0-9]+)\b/;

/**
 * The "check" a case is tallied under: the first peer check id its models name, so that a case
 * written after Checkov's CKV_AWS_59 groups with that check's fixtures in the combined table; else
 * its first model as written (a KICS query name, a provider's documentation).
 */
export function checkOf(models) {
  for (const model of models) {
    const id = PEER_ID.exec(model)?.[1];
    if (id !== undefined) return id.replace(/^AVD-/, '');
  }
  return models[0];
}

function filesUnder(dir, base = dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) out.push(...filesUnder(full, base));
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

/**
 * Reads every case under `casesDir` (`<concern>/<case>/case.yaml` and the files beside it).
 * Returns the harness's reading: groups (one per case, files keyed `cases/<concern>/<case>/<file>`),
 * cases ({ peer: 'cases', check, group, file?, resource, label, shown, concern, policies, models, why })
 * and problems (a label file that is malformed, each a line saying why; such a case is left out).
 */
export function readOwnCases(casesDir, parseYaml, concernOrder) {
  const groups = [];
  const cases = [];
  const skipped = [];
  for (const concern of readdirSync(casesDir).sort()) {
    const concernDir = path.join(casesDir, concern);
    if (!statSync(concernDir).isDirectory()) continue;
    for (const name of readdirSync(concernDir).sort()) {
      const caseDir = path.join(concernDir, name);
      if (!statSync(caseDir).isDirectory()) continue;
      const id = `${concern}/${name}`;
      const problem = (why) => skipped.push(`cases/${id}: ${why}; not measured`);
      let label;
      try {
        label = parseYaml(readFileSync(path.join(caseDir, LABEL_FILE), 'utf8'));
      } catch (error) {
        problem(`no readable ${LABEL_FILE} (${error.message.split('\n')[0]})`);
        continue;
      }
      if (label?.concern !== concern) {
        problem(`concern "${label?.concern}" is not its folder's, ${concern}`);
        continue;
      }
      if (!concernOrder.includes(concern)) {
        problem(`${concern} is not a concern of CONCERN_ORDER`);
        continue;
      }
      if (label.expected !== 'positive' && label.expected !== 'negative') {
        problem('expected is neither positive nor negative');
        continue;
      }
      const policies = Array.isArray(label.policies) ? label.policies.map(String) : [];
      const models = Array.isArray(label.models) ? label.models.map(String) : [];
      const entity = label.entity ?? {};
      if (policies.length === 0 || models.length === 0 || typeof label.why !== 'string' || label.why.trim() === '') {
        problem('policies, models and why are all required');
        continue;
      }
      if (!KINDS.has(entity.kind) || (entity.kind !== 'file' && (typeof entity.type !== 'string' || typeof entity.name !== 'string')) || (entity.kind === 'file' && typeof entity.file !== 'string')) {
        problem('entity needs a kind (terraform, cloudformation, arm: type and name; file: file)');
        continue;
      }
      const group = `cases/${id}`;
      const files = Object.fromEntries(
        filesUnder(caseDir)
          .filter((file) => file !== LABEL_FILE)
          .map((file) => [`${group}/${file}`, readFileSync(path.join(caseDir, file), 'utf8')]),
      );
      if (Object.keys(files).length === 0) {
        problem('no configuration beside the label file');
        continue;
      }
      groups.push({ dir: group, files });
      const entityName = entity.kind === 'file' ? entity.file : `${entity.type}.${entity.name}`;
      cases.push({
        peer: 'cases',
        check: checkOf(models),
        group,
        ...(entity.file !== undefined ? { file: `${group}/${entity.file}` } : {}),
        resource: { kind: entity.kind, type: entity.type, name: entity.name },
        label: label.expected,
        shown: `${id} (${entityName})`,
        concern,
        policies,
        models,
        why: label.why.trim().replace(/\s+/g, ' '),
      });
    }
  }
  return { groups, cases, skipped };
}
