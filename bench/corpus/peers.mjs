// The peer scanners whose own test fixtures make the recall/precision corpus (bench/corpus/corpus.mjs),
// and how their labels are read. Each peer is pinned to a commit; the fixtures are extracted from a
// git copy of the repository at that commit and never committed here. Labels are the peer's own:
// a resource its test expects to fail is a positive case, one it expects to pass a negative case.
//
// A peer check is measured under one concern (CONCERNS below). Which gatewarden policy answers it
// is NOT listed here: it is the policy whose `aliases:` name the check, found at run time, so a
// policy added later with its aliases is measured with no change to this file; a concern whose
// checks no policy aliases yet is reported as "no policy yet".

/** The concerns of issue 19, in report order. */
export const CONCERN_ORDER = ['auth', 'authorizer', 'keys', 'secrets', 'cors', 'throttling', 'logging', 'waf', 'tls', 'validation', 'caching', 'exposure'];

/**
 * Peer check id -> concern. A check absent from this table is not measured (it is listed as out of
 * scope with its reason in OUT_OF_SCOPE, or it is not an API gateway check).
 */
export const CONCERNS = {
  // Checkov
  CKV_AWS_59: 'auth',
  CKV_AWS_309: 'auth',
  CKV2_AWS_70: 'auth',
  CKV_AWS_76: 'logging',
  CKV_AWS_95: 'logging',
  CKV_AWS_73: 'logging',
  CKV_AWS_276: 'logging',
  CKV2_AWS_4: 'logging',
  CKV_AWS_308: 'caching',
  CKV_AWS_206: 'tls',
  CKV2_AWS_51: 'tls',
  CKV2_AWS_29: 'waf',
  CKV2_AWS_53: 'validation',
  CKV_AZURE_215: 'tls',
  CKV_AZURE_152: 'tls',
  CKV_AZURE_173: 'tls',
  CKV_AZURE_174: 'exposure',
  CKV_AZURE_107: 'exposure',
  // cfn_nag
  W45: 'logging',
  W46: 'logging',
  W69: 'logging',
  W59: 'auth',
  W64: 'throttling',
  W68: 'throttling',
  W87: 'caching',
  W62: 'tls',
  // Trivy (trivy-checks ids, without the AVD- prefix gatewarden's alias lookup also accepts)
  'AWS-0001': 'logging',
  'AWS-0002': 'caching',
  'AWS-0003': 'logging',
  'AWS-0004': 'auth',
  'AWS-0005': 'tls',
};

/** Peer checks deliberately not measured, with why. */
export const OUT_OF_SCOPE = {
  CKV_AWS_120: 'caching enabled is a performance choice, not a security control (gatewarden checks cache encryption and cache keys)',
  CKV_AWS_225: 'caching enabled is a performance choice, not a security control',
  'AWS-0190': 'caching enabled is a performance choice, not a security control',
  CKV_AWS_217: 'create_before_destroy is a deployment lifecycle setting',
  CKV2_AWS_77: 'the rules inside a WAF web ACL (a Log4j rule set) are the WAF\'s configuration, not the gateway\'s',
  CKV_AWS_237: 'create_before_destroy is a deployment lifecycle setting',
};

/**
 * The resource types each cfn_nag rule audits: its spec lists only the offending logical ids, so
 * the other resources of these types in the same template are its negative cases.
 */
export const CFN_NAG_AUDITED_TYPES = {
  W45: ['AWS::ApiGateway::Deployment'],
  W46: ['AWS::ApiGatewayV2::Stage'],
  W59: ['AWS::ApiGateway::Method'],
  W62: ['AWS::ApiGateway::DomainName'],
  W64: ['AWS::ApiGateway::Stage'],
  W68: ['AWS::ApiGateway::Deployment'],
  W69: ['AWS::ApiGateway::Stage'],
  W87: ['AWS::ApiGateway::Deployment'],
};

/** The peers, each at a fixed commit. `mirror` is the folder name of its git copy (owner+name). */
export const PEERS = [
  { name: 'checkov', repo: 'bridgecrewio/checkov', commit: '03d5fdad8d6154b1565799a7b1fb8070c158866f' },
  { name: 'cfn-nag', repo: 'stelligent/cfn_nag', commit: '8b5f03da74202ba323a145e9d037ddce6cab9dec' },
  { name: 'trivy', repo: 'aquasecurity/trivy-checks', commit: '80e5382269707262f35cf893bdc0805cb72217e9' },
];

// ------------------------------------------------------------------------------------------------
// Reading the peers' tests. Each reader gets a `git` helper over the peer's copy at its commit:
// { list(prefix): string[] (file paths), read(path): string | undefined } and returns
// { groups: [{ dir, files: { path: text } }], cases: [{ peer, check, group, file, resource, label }] }
// where `resource` is { kind: 'terraform' | 'cloudformation' | 'arm' | 'file', type?, name? }.

const CHECKOV_TEST = /^tests\/(terraform|cloudformation|arm)\/checks\/resource\/(?:[a-z]+\/)?test_([A-Za-z0-9_]*(?:APIGateway|APIManagement|APIServices)[A-Za-z0-9_]*)\.py$/;

/** The quoted strings of `NAME = { ... }` in a Python test. */
function pythonSet(source, name) {
  const match = new RegExp(`${name}\\s*=\\s*(?:set\\(\\s*)?[\\[{]([^\\]}]*)[\\]}]`).exec(source);
  if (!match) return undefined;
  return [...match[1].matchAll(/["']([^"']+)["']/g)].map((m) => m[1]);
}

/** Checkov: tests/<framework>/checks/resource/**\/test_X.py with passing_resources and failing_resources. */
export function readCheckov(git) {
  const groups = [];
  const cases = [];
  const skipped = [];
  for (const testPath of git.list('tests/')) {
    const test = CHECKOV_TEST.exec(testPath);
    if (!test) continue;
    const source = git.read(testPath) ?? '';
    const imported = /from (checkov\.[a-z_.]+\.[A-Za-z0-9_]+) import check/.exec(source);
    const exampleDir = /["']\/?(example_[A-Za-z0-9_]+)["']/.exec(source);
    const passing = pythonSet(source, 'passing_resources');
    const failing = pythonSet(source, 'failing_resources');
    if (!imported || !exampleDir || passing === undefined || failing === undefined) {
      skipped.push(`${testPath}: no example folder with passing_resources and failing_resources (inline or count-only test)`);
      continue;
    }
    const modulePath = `${imported[1].replace(/\./g, '/')}.py`;
    const check = /\bid\s*=\s*["'](CKV2?_[A-Z]+_\d+)["']/.exec(git.read(modulePath) ?? '')?.[1];
    if (check === undefined) {
      skipped.push(`${testPath}: the check id of ${modulePath} was not found`);
      continue;
    }
    const dir = `${testPath.slice(0, testPath.lastIndexOf('/'))}/${exampleDir[1]}`;
    const files = Object.fromEntries(git.list(`${dir}/`).map((file) => [file, git.read(file)]).filter(([, text]) => text !== undefined));
    const kind = test[1];
    groups.push({ dir, files });
    const resource = (id) => {
      const at = id.lastIndexOf('.');
      // Terraform "type.name"; CloudFormation "AWS::Type.LogicalId"; ARM "Microsoft.X/type.name".
      return { kind, type: id.slice(0, at), name: id.slice(at + 1) };
    };
    for (const [ids, label] of [[failing, 'positive'], [passing, 'negative']]) {
      for (const id of ids) cases.push({ peer: 'checkov', check, group: dir, resource: resource(id), label, shown: id });
    }
  }
  readCheckovGraph(git, groups, cases, skipped);
  return { groups, cases, skipped };
}

const CHECKOV_GRAPH_TEST = /^tests\/terraform\/graph\/checks\/resources\/([A-Za-z0-9_]*(?:APIGateway|APIGW|APIProtected)[A-Za-z0-9_]*)\/expected\.yaml$/;

/**
 * Checkov's graph checks (and the Python checks tested the graph way): tests/terraform/graph/checks/
 * resources/<Name>/expected.yaml lists the passing and failing resources of the folder's main.tf;
 * the id is in checkov/terraform/checks/graph_checks/aws/<Name>.yaml or resource/aws/<Name>.py.
 */
function readCheckovGraph(git, groups, cases, skipped) {
  for (const expectedPath of git.list('tests/terraform/graph/checks/resources/')) {
    const test = CHECKOV_GRAPH_TEST.exec(expectedPath);
    if (!test) continue;
    const name = test[1];
    const definition = git.read(`checkov/terraform/checks/graph_checks/aws/${name}.yaml`) ?? git.read(`checkov/terraform/checks/resource/aws/${name}.py`) ?? '';
    const check = /\bid\s*[:=]\s*["'](CKV2?_[A-Z]+_\d+)["']/.exec(definition)?.[1];
    if (check === undefined) {
      skipped.push(`${expectedPath}: the check id of ${name} was not found`);
      continue;
    }
    const labels = { pass: [], fail: [] };
    let section;
    for (const line of (git.read(expectedPath) ?? '').split('\n')) {
      const key = /^(pass|fail):/.exec(line);
      if (key) section = key[1];
      const item = /^\s*-\s*["']?([^"'\s]+)["']?\s*$/.exec(line);
      if (item && section) labels[section].push(item[1]);
    }
    const dir = expectedPath.slice(0, expectedPath.lastIndexOf('/'));
    const files = Object.fromEntries(git.list(`${dir}/`).filter((file) => file.endsWith('.tf')).map((file) => [file, git.read(file)]).filter(([, text]) => text !== undefined));
    groups.push({ dir, files });
    for (const [ids, label] of [[labels.fail, 'positive'], [labels.pass, 'negative']]) {
      for (const id of ids) {
        const at = id.lastIndexOf('.');
        cases.push({ peer: 'checkov', check, group: dir, resource: { kind: 'terraform', type: id.slice(0, at), name: id.slice(at + 1) }, label, shown: id });
      }
    }
  }
}

/** cfn_nag: spec/custom_rules/ApiGateway*_spec.rb, each `it` naming a template and the offending logical ids. */
export function readCfnNag(git) {
  const groups = [];
  const cases = [];
  const skipped = [];
  const templates = new Map();
  for (const specPath of git.list('spec/custom_rules/')) {
    const spec = /^spec\/custom_rules\/(ApiGateway[A-Za-z0-9]*Rule)_spec\.rb$/.exec(specPath);
    if (!spec) continue;
    const rule = git.read(`lib/cfn-nag/custom_rules/${spec[1]}.rb`) ?? '';
    const check = /def rule_id\s+'([A-Z]\d+)'/.exec(rule)?.[1];
    if (check === undefined) {
      skipped.push(`${specPath}: rule id not found`);
      continue;
    }
    const source = git.read(specPath) ?? '';
    for (const block of source.split(/\n\s*it ['"]/).slice(1)) {
      const template = /read_test_template\(\s*['"]([^'"]+)['"]/.exec(block)?.[1];
      const expected = /expected_logical_resource_ids\s*=\s*(?:%w\[([^\]]*)\]|\[([^\]]*)\])/.exec(block);
      if (template === undefined || !expected) continue;
      const offending = (expected[1] ?? expected[2] ?? '').split(/[\s,'"]+/).filter(Boolean);
      const file = `spec/test_templates/${template}`;
      const text = git.read(file);
      if (text === undefined) {
        skipped.push(`${specPath}: ${file} is absent from the copy`);
        continue;
      }
      templates.set(file, text);
      const audited = new Set(CFN_NAG_AUDITED_TYPES[check] ?? []);
      for (const [logicalId, type] of cloudFormationResources(text, file)) {
        if (!audited.has(type) && !offending.includes(logicalId)) continue;
        cases.push({ peer: 'cfn-nag', check, group: 'spec/test_templates', file, resource: { kind: 'cloudformation', type, name: logicalId }, label: offending.includes(logicalId) ? 'positive' : 'negative', shown: `${template}:${logicalId}` });
      }
    }
  }
  groups.push({ dir: 'spec/test_templates', files: Object.fromEntries(templates) });
  return { groups, cases, skipped };
}

/** Trivy: checks/cloud/aws/apigateway/*.yaml, good and bad examples per format; one case per example. */
export function readTrivy(git, parseYaml) {
  const groups = [];
  const cases = [];
  const skipped = [];
  for (const examplesPath of git.list('checks/cloud/')) {
    if (!/^checks\/cloud\/[a-z]+\/(apigateway|apimanagement|apigw)\/[a-z0-9_]+\.yaml$/.test(examplesPath)) continue;
    const rego = git.read(examplesPath.replace(/\.yaml$/, '.rego')) ?? '';
    const check = /#\s+id:\s+([A-Z]+-\d+)/.exec(rego)?.[1];
    if (check === undefined) {
      skipped.push(`${examplesPath}: no check id in the .rego metadata`);
      continue;
    }
    const examples = parseYaml(git.read(examplesPath) ?? '') ?? {};
    const base = examplesPath.replace(/\.yaml$/, '');
    for (const [format, extension] of [['terraform', 'tf'], ['cloudformation', 'yaml']]) {
      for (const label of ['bad', 'good']) {
        for (const [index, text] of (examples[format]?.[label] ?? []).entries()) {
          const dir = `${base}/${format}-${label}-${index + 1}`;
          const file = `${dir}/main.${extension}`;
          groups.push({ dir, files: { [file]: text } });
          cases.push({ peer: 'trivy', check, group: dir, file, resource: { kind: 'file' }, label: label === 'bad' ? 'positive' : 'negative', shown: `${examplesPath} ${format} ${label} #${index + 1}` });
        }
      }
    }
  }
  return { groups, cases, skipped };
}

/** The resources of a CloudFormation template (YAML or JSON), as [logicalId, type], found by text. */
export function cloudFormationResources(text, file) {
  const out = [];
  if (file.endsWith('.json')) {
    try {
      for (const [id, resource] of Object.entries(JSON.parse(text).Resources ?? {})) out.push([id, resource?.Type]);
    } catch {
      /* not JSON: no resources */
    }
    return out;
  }
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^Resources:\s*$/.test(line));
  if (start < 0) return out;
  let indent;
  let current;
  for (const line of lines.slice(start + 1)) {
    if (/^\S/.test(line) && !line.startsWith('#')) break;
    const key = /^(\s+)([A-Za-z0-9]+):\s*$/.exec(line);
    if (key && (indent === undefined || key[1].length === indent)) {
      indent = key[1].length;
      current = key[2];
      continue;
    }
    const type = /^\s+Type:\s*['"]?([A-Za-z0-9:]+)['"]?\s*$/.exec(line);
    if (type && current !== undefined && !out.some(([id]) => id === current)) out.push([current, type[1]]);
  }
  return out;
}

// ------------------------------------------------------------------------------------------------
// Completing Terraform fragments. Peers test one resource at a time, so their fixtures reference
// resources they never declare (`api_id = aws_apigatewayv2_api.example.id`); `terraform validate`
// rejects such a module and gatewarden, like it, checks nothing in it. To measure the check and not
// the fragment, the harness adds a file declaring each missing resource with the fewest arguments
// the provider requires; the fixture's own files are left as they are. The stubs set nothing a
// policy reads (no authorizer, no logging, no limits), so they cannot turn a miss into a pass.

const REST_API = 'aws_api_gateway_rest_api';

/** The stub of one missing resource; `api` is the REST API other stubs attach to. */
function stubOf(type, name, api) {
  switch (type) {
    case REST_API:
      return `resource "${type}" "${name}" {\n  name = "${name}"\n}\n`;
    case 'aws_apigatewayv2_api':
      return `resource "${type}" "${name}" {\n  name          = "${name}"\n  protocol_type = "HTTP"\n}\n`;
    case 'aws_api_gateway_resource':
      return `resource "${type}" "${name}" {\n  rest_api_id = ${api}.id\n  parent_id   = ${api}.root_resource_id\n  path_part   = "${name}"\n}\n`;
    case 'aws_api_gateway_deployment':
      return `resource "${type}" "${name}" {\n  rest_api_id = ${api}.id\n}\n`;
    case 'aws_api_gateway_stage':
      return `resource "${type}" "${name}" {\n  rest_api_id   = ${api}.id\n  deployment_id = "corpusstub"\n  stage_name    = "${name}"\n}\n`;
    case 'azurerm_resource_group':
      return `resource "${type}" "${name}" {\n  name     = "${name}"\n  location = "westeurope"\n}\n`;
    default:
      return `resource "${type}" "${name}" {\n}\n`;
  }
}

/** The stub file for a Terraform fixture's files (path -> text), or undefined when nothing is missing. */
export function terraformStubs(files) {
  const tf = Object.entries(files).filter(([file]) => file.endsWith('.tf')).map(([, text]) => text);
  if (tf.length === 0) return undefined;
  const declared = new Set(tf.flatMap((text) => [...text.matchAll(/^\s*resource\s+"([a-z0-9_]+)"\s+"([A-Za-z0-9_-]+)"/gm)].map((m) => `${m[1]}.${m[2]}`)));
  const missing = new Set();
  for (const text of tf) {
    for (const m of text.matchAll(/(?<![.\w])((?:aws|azurerm|google)_[a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]/g)) {
      if (!declared.has(`${m[1]}.${m[2]}`)) missing.add(`${m[1]}.${m[2]}`);
    }
  }
  if (missing.size === 0) return undefined;
  const apis = [...declared, ...missing].filter((address) => address.startsWith(`${REST_API}.`)).sort();
  let api = apis[0];
  const stubs = [];
  if (api === undefined && [...missing].some((address) => /^aws_api_gateway_(resource|deployment|stage)\./.test(address))) {
    api = `${REST_API}.corpus_stub`;
    stubs.push(stubOf(REST_API, 'corpus_stub'));
  }
  for (const address of [...missing].sort()) {
    const [type, name] = address.split('.');
    stubs.push(stubOf(type, name, api));
  }
  return `# Added by bench/corpus: declares what the fixture references but does not declare.\n${stubs.join('\n')}`;
}

/**
 * Cases where gatewarden disagrees with a peer on purpose, keyed `<peer> <check> <case>` as the
 * Disagreements section of RESULTS.md names them, with why (the policy's description says the same).
 * The figures are given both as measured and without these cases. A case listed here that no longer
 * disagrees is reported, so that this list cannot go stale silently.
 */
export const DELIBERATE = {
  'checkov CKV_AWS_308 aws_api_gateway_method_settings.fail':
    'the stage does not turn its cache cluster on, so nothing is cached: cache-encrypted judges the stage, whose cache must be on for a method setting to cache anything',
  'trivy AWS-0002 checks/cloud/aws/apigateway/enable_cache_encryption.yaml terraform bad #1':
    'the stage does not turn its cache cluster on, so nothing is cached: cache-encrypted judges the stage, whose cache must be on for a method setting to cache anything',
  'checkov CKV2_AWS_53 aws_api_gateway_method.fail':
    'a GET without request parameters or a model takes no input a validator could check: request-validation reports methods that take a body or declared parameters',
  'checkov CKV2_AWS_51 aws_api_gateway_stage.fail_v1':
    'backend-client-certificate asks for a client certificate only where a stage calls an HTTP backend on the internet (which the certificate lets the backend verify); a stage with no such integration has nothing to present it to',
  'checkov CKV_AZURE_152 azurerm_api_management.fail':
    'no policy of the service checks a client certificate: client_certificate_enabled only asks callers for one and enforces nothing; apim-client-certificate-negotiated reports a service that does not ask where a policy checks the certificate',
  'checkov CKV_AZURE_152 azurerm_api_management.fail2':
    'no policy of the service checks a client certificate: client_certificate_enabled only asks callers for one and enforces nothing; apim-client-certificate-negotiated reports a service that does not ask where a policy checks the certificate',
  'checkov CKV2_AWS_51 aws_apigatewayv2_stage.fail_v2':
    'the WebSocket API has no route in the scan, so no route is seen calling an HTTP backend on the internet (the only place the certificate is presented); backend-client-certificate reports a WebSocket stage where its routes call one, and HTTP API stages, which have no client certificate, never',
  'checkov CKV_AWS_73 AWS::Serverless::Api.Enabled':
    'OpenApiVersion is not set, so SAM also creates the stage "Stage", which TracingEnabled does not reach: the finding is on that stage',
  'trivy AWS-0004 checks/cloud/aws/apigateway/no_public_access.yaml terraform good #2':
    'api_key_required with authorization NONE: an API key alone is a secret shared by every caller, reported as weak authentication (medium)',
  'trivy AWS-0004 checks/cloud/aws/apigateway/no_public_access.yaml terraform good #3':
    'http_method "OPTION" is not OPTIONS: only an OPTIONS preflight answered by a mock integration is exempt',
  'checkov CKV_AWS_76 AWS::Serverless::Api.Enabled':
    'OpenApiVersion is not set, so SAM also creates the stage "Stage", which writes no access log: the finding is on that stage',
  'trivy AWS-0001 checks/cloud/aws/apigateway/enable_access_logging.yaml cloudformation good #1':
    'the access log format is the word "json": it records neither the request id nor the caller (low)',
  'trivy AWS-0001 checks/cloud/aws/apigateway/enable_access_logging.yaml terraform good #1':
    'the access log format is the word "json": it records neither the request id nor the caller (low)',
  'trivy AWS-0001 checks/cloud/aws/apigateway/enable_access_logging.yaml terraform good #2':
    'the access log format is the word "json": it records neither the request id nor the caller (low)',
};
