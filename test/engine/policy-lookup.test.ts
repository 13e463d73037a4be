import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtInPolicyDir, loadPolicies, parsePolicy } from '../../src/engine/load-policies.js';
import { findByAlias, selectFramework } from '../../src/engine/policy-lookup.js';
import { KNOWN_FRAMEWORKS } from '../../src/model/findings.js';
import { runCli } from '../helpers/run-cli.js';

// Other scanners' ids (aliases) and compliance frameworks: how a team moving from Checkov, Trivy or
// cdk-nag, or an auditor with a framework, finds gatewarden's policies.

const repo = path.join(path.dirname(fileURLToPath(import.meta.url)), '../..');
const builtIn = loadPolicies([{ dir: builtInPolicyDir(), builtIn: true }], (file) => file).policies;

describe('the built-in policies', () => {
  it('map to OWASP API Security Top 10 2023, and name only frameworks gatewarden knows, spelt one way', () => {
    for (const policy of builtIn) {
      expect(policy.frameworks['owasp-api-2023'], policy.id).toEqual(expect.arrayContaining([expect.stringMatching(/^API([1-9]|10)$/)]));
      for (const name of Object.keys(policy.frameworks)) expect(Object.keys(KNOWN_FRAMEWORKS), `${policy.id}: ${name}`).toContain(name);
    }
  });
});

describe('aliases', () => {
  it('find a policy by another scanner\'s id, whatever its case, and Trivy ids with or without AVD-', () => {
    const ids = (query: string) => findByAlias(builtIn, query).map((match) => `${match.policy.id} ${match.tool} ${match.alias}`);
    expect(ids('CKV_AWS_76')).toEqual(['stage-access-logging checkov CKV_AWS_76']);
    expect(ids('ckv_aws_59')).toEqual(['route-requires-auth checkov CKV_AWS_59']);
    expect(ids('AWS-0004')).toEqual(['route-requires-auth trivy AVD-AWS-0004']);
    expect(ids('avd-aws-0001')).toEqual(['stage-access-logging trivy AVD-AWS-0001']);
    expect(ids('AwsSolutions-APIG4')).toEqual(['route-requires-auth cdk-nag AwsSolutions-APIG4']);
    expect(ids('CKV_AWS_7')).toEqual([]);
  });

  it('are checked when a policy loads: a scanner not in the list, with the closest suggested, at its line', () => {
    const text = `id: p
title: t
severity: low
category: logging
description: d
remediation: r
aliases:
  checkov: [CKV_AWS_1]
  checkhov: [CKV_AWS_2]
  trivy: []
match: { kind: stage }
assert: "true"
message: m
`;
    expect(parsePolicy(text, 'p/policy.yaml', 'p', false).diagnostics.map((d) => `${d.location?.startLine} ${d.message}`)).toEqual([
      '9 invalid policy: aliases: unknown scanner "checkhov"; did you mean "checkov"? (aliases must map a scanner (checkov, kics, trivy, cdk-nag, cfn-nag, prowler, terrascan, psrule) to a list of its check ids)',
      '10 invalid policy: aliases.trivy must be a list of check ids without spaces',
    ]);
  });

  it('lead policies show from a Checkov id to our policy, saying so', async () => {
    const shown = await runCli(['policies', 'show', 'CKV_AWS_76'], repo);
    expect(shown.code).toBe(0);
    expect(shown.stdout.startsWith('CKV_AWS_76 (checkov) is checked by stage-access-logging.\n\nstage-access-logging: ')).toBe(true);
    expect(shown.stdout).toContain('\nAliases      checkov: CKV_AWS_76, CKV_AWS_95; kics: 1b6799eb-4a7a-4b04-9001-8cceb9999326, 625abc0e-f980-4ac9-a775-f7519ee34296, 9111f9a5-6b80-40f9-bc82-c05f970779c3, 0a994e04-c6dc-471d-817e-d37451d18a3b; trivy: AVD-AWS-0001, aws-api-gateway-enable-access-logging; cdk-nag: AwsSolutions-APIG1, Serverless-APIGWAccessLogging; cfn-nag: W45, W46, W69');
    const json = JSON.parse((await runCli(['policies', 'show', 'aws-0004', '--format', 'json'], repo)).stdout);
    expect(json).toMatchObject({ id: 'route-requires-auth', aliases: { checkov: ['CKV_AWS_59', 'CKV_AWS_309', 'CKV2_AWS_70', 'CKV_OPENAPI_4', 'CKV_OPENAPI_5'], 'cfn-nag': ['W59'] } });
  });

  it('finds our policy from a KICS query id, a cfn_nag rule or a cdk-nag Serverless rule', async () => {
    const kics = await runCli(['policies', 'show', '15CCEC05-5476-4890-AD19-53991EBA1DB8'], repo);
    expect(kics.code).toBe(0);
    expect(kics.stdout.startsWith('15ccec05-5476-4890-ad19-53991eba1db8 (kics) is checked by route-requires-auth.\n')).toBe(true);
    expect(findByAlias(builtIn, 'c999cf62-0920-40f8-8dda-0caccd66ed7e').map((match) => match.policy.id)).toEqual(['throttling-configured']);
    expect(findByAlias(builtIn, 'W64').map((match) => `${match.tool} ${match.policy.id}`)).toEqual(['cfn-nag throttling-configured']);
    expect(findByAlias(builtIn, 'CKV_AWS_276').map((match) => match.policy.id)).toEqual(['stage-data-trace']);
    expect(findByAlias(builtIn, 'Serverless-APIGWAccessLogging').map((match) => match.policy.id)).toEqual(['stage-access-logging']);
  });
});

describe('--framework', () => {
  it('selects the policies of one framework, and says which exist when none maps to the name', () => {
    const selected = selectFramework(builtIn, 'cis-gcp-2.0');
    expect('policies' in selected && selected.policies.map((policy) => policy.id).sort()).toEqual(['api-keys-restricted', 'api-keys-rotated']);
    expect(selectFramework(builtIn, 'owasp')).toEqual({
      error: 'no policy maps to the framework "owasp"; did you mean "owasp-api-2023"? The frameworks of the loaded policies are: aws-fsbp, cis-gcp-2.0, cwe, mcsb, nist-800-53-r5, owasp-api-2023, pci-dss-4.0',
    });
    expect(selectFramework(builtIn, 'zzzzzzzz')).toEqual({
      error: 'no policy maps to the framework "zzzzzzzz". The frameworks of the loaded policies are: aws-fsbp, cis-gcp-2.0, cwe, mcsb, nist-800-53-r5, owasp-api-2023, pci-dss-4.0',
    });
  });

  it('names CWE controls the same way in every built-in policy, so --framework cwe lists them once each', () => {
    const cweControls = builtIn.flatMap((policy) => policy.frameworks?.cwe ?? []);
    expect(cweControls.filter((control) => !/^CWE-\d+$/.test(control))).toEqual([]);
    expect(builtIn.find((policy) => policy.id === 'apim-error-details')?.frameworks?.cwe).toEqual(['CWE-209']);
    expect(builtIn.find((policy) => policy.id === 'apim-backend-headers-removed')?.frameworks?.cwe).toEqual(['CWE-200']);
  });

  it('lists every known framework in the help of scan and policies list', async () => {
    for (const args of [['scan', '--help'], ['policies', 'list', '--help']]) {
      const help = await runCli(args, repo);
      const flat = help.stdout.replace(/\s+/g, ' ');
      for (const framework of Object.keys(KNOWN_FRAMEWORKS)) expect(flat).toContain(framework);
      expect(flat).toContain('pci-dss-4.0, mcsb, cwe');
    }
  });

  it('lists the policies of a framework with their controls', async () => {
    const listed = await runCli(['policies', 'list', '--framework', 'aws-fsbp'], repo);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n').map((line) => line.split(/ {2,}/).slice(0, 3).join(' | '))).toEqual([
      'ID | SEVERITY | AWS-FSBP',
      'route-requires-auth | high | APIGateway.8',
      'stage-access-logging | medium | APIGateway.9',
      'stage-execution-logging | medium | APIGateway.1',
      'stage-tracing | low | APIGateway.3',
      'backend-client-certificate | low | APIGateway.2',
      'waf-attached | medium | APIGateway.4',
      'cache-encrypted | medium | APIGateway.5',
      '',
      '7 of 34 policies map to aws-fsbp. Details: gatewarden policies show ID',
      '',
    ]);
    const wrong = await runCli(['policies', 'list', '--framework', 'pci'], repo);
    expect(wrong).toMatchObject({ code: 2, stdout: '' });
    expect(wrong.stderr).toContain('--framework: no policy maps to the framework "pci"; did you mean "pci-dss-4.0"?');
  });

  it('runs only the framework\'s policies in a scan, and stops with exit 2 on an unknown framework', async () => {
    const fixture = 'policies/logging/stage-access-logging/test';
    const scanned = await runCli(['scan', fixture, '--framework', 'aws-fsbp', '--format', 'json', '--fail-on', 'never'], repo);
    const report = JSON.parse(scanned.stdout) as { policies: Array<{ id: string }>; findings: Array<{ policyId: string }> };
    expect(report.policies.map((policy) => policy.id)).toEqual([
      'route-requires-auth',
      'cache-encrypted',
      'stage-access-logging',
      'stage-execution-logging',
      'stage-tracing',
      'backend-client-certificate',
      'waf-attached',
    ]);
    // The fixture's stages write access logs to various degrees, but none writes execution logs, traces
    // or has a web ACL; none calls an HTTP backend, so no client certificate is due.
    expect(new Set(report.findings.map((finding) => finding.policyId))).toEqual(
      new Set(['route-requires-auth', 'stage-access-logging', 'stage-execution-logging', 'stage-tracing', 'waf-attached']),
    );
    const unknown = await runCli(['scan', fixture, '--framework', 'owasp'], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('did you mean "owasp-api-2023"?');
  });
});
