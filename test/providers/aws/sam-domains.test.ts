import { createHash } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Domain, Gateway, Secret } from '../../../src/model/entities.js';
import type { SourceLocation } from '../../../src/model/location.js';
import type { Inventory } from '../../../src/model/inventory.js';
import { Unknown } from '../../../src/model/unknown.js';
import { readInventory } from '../../../src/pipeline/scan.js';
import { samDomainLogicalId, samDomainResources } from '../../../providers/aws/cloudformation/sam-domain.js';

// SAM's Domain (AWS::Serverless::Api and ::HttpApi, and Globals) becomes the custom domain and the
// mappings SAM generates, read like CloudFormation's; SAM stage Variables / StageVariables are stage
// variables. test/fixtures/aws/sam-domains/template.yaml is written with Globals, short tags, flow
// mappings, a parameter without a value and a condition that cannot be decided.
const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/aws/sam-domains');

let inventory: Inventory;

beforeAll(async () => {
  inventory = await readInventory({ cwd: dir });
});

const line = (location: SourceLocation | undefined): number | undefined => location?.startLine;
const shown = (value: unknown): unknown => (value instanceof Unknown ? 'unknown' : value);

describe('SAM Domain', () => {
  it('becomes a custom domain per domain name, with its settings and the APIs mapped onto it', () => {
    const domains = inventory.entities
      .filter((entity): entity is Domain => entity.kind === 'domain')
      .map((domain) => ({
        id: domain.id,
        name: shown(domain.name),
        securityPolicy: shown(domain.securityPolicy),
        defaulted: domain.securityPolicyDefaulted ?? false,
        mutualTls: domain.mutualTls,
        endpointType: shown(domain.endpointType),
        gatewayIds: domain.gatewayIds,
        line: line(domain.location),
        securityPolicyLine: line(domain.fieldLocations?.securityPolicy),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(domains).toEqual([
      // Globals.Api.Domain, taken by the implicit ServerlessRestApi: no SecurityPolicy, so API
      // Gateway's TLS_1_0, located at the Domain in Globals.
      // EndpointConfiguration from a parameter without a value and no SecurityPolicy: PRIVATE would
      // leave the default undocumented, so the policy is unknown; BasePath given as one string.
      { id: 'template.yaml:ApiGatewayDomainName21e04b45aa', name: 'edge.example.com', securityPolicy: 'unknown', defaulted: false, mutualTls: false, endpointType: 'unknown', gatewayIds: ['template.yaml:EdgeApi'], line: 80, securityPolicyLine: 80 },
      { id: 'template.yaml:ApiGatewayDomainName2f68437370', name: 'shop.example.com', securityPolicy: 'TLS_1_0', defaulted: true, mutualTls: false, endpointType: 'regional', gatewayIds: ['template.yaml:ServerlessRestApi'], line: 19, securityPolicyLine: 19 },
      // OrdersApi's own Domain over Globals: its DomainName, SecurityPolicy and truststore.
      { id: 'template.yaml:ApiGatewayDomainName6b390559da', name: 'orders.example.com', securityPolicy: 'TLS_1_2', defaulted: false, mutualTls: true, endpointType: 'regional', gatewayIds: ['template.yaml:OrdersApi'], line: 34, securityPolicyLine: 36 },
      // A PRIVATE domain without SecurityPolicy: what API Gateway gives it is not documented.
      { id: 'template.yaml:ApiGatewayDomainNamedbca5736ef', name: 'internal.example.com', securityPolicy: 'unknown', defaulted: false, mutualTls: false, endpointType: 'private', gatewayIds: ['template.yaml:InternalApi'], line: 45, securityPolicyLine: 45 },
      // The HttpApi's: a name from a parameter without a value, named by SAM from the written !Ref.
      { id: 'template.yaml:ApiGatewayDomainNameV26af2c4573c', name: 'unknown', securityPolicy: 'TLS_1_2', defaulted: false, mutualTls: true, endpointType: 'regional', gatewayIds: ['template.yaml:PartnerApi'], line: 56, securityPolicyLine: 59 },
    ]);
  });

  it('gives each API the domains it is served on, and locates its default endpoint setting', () => {
    const gateways = inventory.entities
      .filter((entity): entity is Gateway => entity.kind === 'gateway')
      .map((gateway) => ({
        id: gateway.id,
        customDomains: gateway.aws?.customDomains,
        disabled: gateway.aws?.disableExecuteApiEndpoint,
        at: line(gateway.fieldLocations?.['aws.disableExecuteApiEndpoint']),
      }))
      .sort((a, b) => a.id.localeCompare(b.id));
    expect(gateways).toEqual([
      { id: 'template.yaml:EdgeApi', customDomains: ['edge.example.com'], disabled: false, at: 80 },
      { id: 'template.yaml:InternalApi', customDomains: ['internal.example.com'], disabled: false, at: 45 },
      { id: 'template.yaml:OrdersApi', customDomains: ['orders.example.com'], disabled: true, at: 33 },
      // A domain name that is not known is named by its mapping.
      { id: 'template.yaml:PartnerApi', customDomains: ['PartnerApipartnersv1ApiMapping'], disabled: false, at: 56 },
      // Without DisableExecuteApiEndpoint, at the Domain the API gets from Globals.
      { id: 'template.yaml:ServerlessRestApi', customDomains: ['shop.example.com'], disabled: false, at: 19 },
      // Its Domain depends on a condition that cannot be decided: no domain, and a warning there.
      { id: 'template.yaml:StatusApi', customDomains: [], disabled: false, at: 52 },
      // A Domain SAM refuses (no CertificateArn) makes no domain.
      { id: 'template.yaml:WebhooksApi', customDomains: [], disabled: false, at: 84 },
    ]);
  });

  it('says when a Domain cannot be known or SAM refuses it, at the Domain', () => {
    expect(inventory.diagnostics.map((diagnostic) => `${diagnostic.severity} ${diagnostic.code} ${diagnostic.address} ${line(diagnostic.location)}: ${diagnostic.message}`)).toEqual([
      "warning unresolved StatusApi 52: the Domain of StatusApi is not known (parameter Env has no default and no value (give it with --parameter Env=... or --parameter-file)), so the custom domain SAM would create for it is not checked, nor is the API's default endpoint behind it",
      'error invalid-value WebhooksApi 84: the Domain of WebhooksApi has no CertificateArn, which SAM requires: the transform fails, so the template deploys nothing and this domain is not checked. Add it (in the API\'s Domain or in Globals)',
    ]);
  });

  it('names the domain resource as SAM does', () => {
    // SAM's own translator test api_domain_ipaddresstype names api.example.com's domain so.
    expect(samDomainLogicalId('rest', 'api.example.com')).toBe('ApiGatewayDomainName1bc412bb08');
    // An unresolved name is hashed as Python's compact, key-sorted JSON of the intrinsic function.
    const json = '{"Fn::Sub":"api.${Zone}"}';
    expect(samDomainLogicalId('http', { 'Fn::Sub': 'api.${Zone}' })).toBe(`ApiGatewayDomainNameV2${createHash('sha1').update(json).digest('hex').slice(0, 10)}`);
  });

  it('maps the API once per BasePath, and once at the root without one', () => {
    const at: SourceLocation = { file: 'template.yaml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    const input = { api: 'Api', stage: 'prod', rawDomainName: undefined, prefix: '', locate: () => at, ref: (address: string) => new Unknown(`${address} after deployment`, { address, attribute: 'Ref' }) };
    const rest = samDomainResources({ ...input, kind: 'rest', domain: { DomainName: 'a.example.com', CertificateArn: 'arn', BasePath: ['/v1', 'orders/v2'] } });
    expect(rest.map((resource) => `${resource.type} ${resource.address} ${JSON.stringify(resource.properties.BasePath ?? null)}`)).toEqual([
      'AWS::ApiGateway::DomainName ApiGatewayDomainName6c21496336 null',
      'AWS::ApiGateway::BasePathMapping Apiv1BasePathMapping "v1"',
      'AWS::ApiGateway::BasePathMapping Apiordersv2BasePathMapping "ordersv2"',
    ]);
    expect(rest[0]!.properties).toEqual({ DomainName: 'a.example.com', EndpointConfiguration: { Types: ['REGIONAL'] } });
    const http = samDomainResources({ ...input, kind: 'http', domain: { DomainName: 'a.example.com', CertificateArn: 'arn', SecurityPolicy: '' } });
    expect(http.map((resource) => `${resource.type} ${resource.address}`)).toEqual(['AWS::ApiGatewayV2::DomainName ApiGatewayDomainNameV26c21496336', 'AWS::ApiGatewayV2::ApiMapping ApiApiMapping']);
    // An empty SecurityPolicy is none, as SAM reads it: the v2 domain gets API Gateway's TLS_1_2.
    expect(http[0]!.properties.DomainNameConfigurations).toEqual([{ EndpointType: 'REGIONAL' }]);
  });

  it("locates the keys of the one DomainNameConfigurations entry at the Domain keys SAM takes them from", () => {
    const asked: string[] = [];
    const at: SourceLocation = { file: 'template.yaml', startLine: 1, startColumn: 1, endLine: 1, endColumn: 1 };
    const locate = (inside: ReadonlyArray<string | number>): SourceLocation => {
      asked.push(inside.join('/'));
      return at;
    };
    const ref = (address: string): Unknown => new Unknown(`${address} after deployment`, { address, attribute: 'Ref' });
    const [domain] = samDomainResources({ kind: 'http', api: 'Api', stage: 'prod', rawDomainName: undefined, prefix: '', locate, ref, domain: { DomainName: 'a.example.com', CertificateArn: 'arn', SecurityPolicy: 'TLS_1_2' } });
    asked.length = 0;
    const configurations = domain!.locations.DomainNameConfigurations!;
    // The translation carries the entry's index: [0, key] is that key of Domain; the entry itself,
    // or a key SAM does not take from Domain, is Domain.
    configurations([0, 'SecurityPolicy']);
    configurations([0, 'EndpointType']);
    configurations([0]);
    configurations([0, 'CertificateArn']);
    configurations([]);
    expect(asked).toEqual(['SecurityPolicy', 'EndpointConfiguration', '', '', '']);
  });
});

describe('SAM stage variables', () => {
  it('are read from the API and from Globals, reported by name where the value is written', () => {
    const secrets = inventory.entities
      .filter((entity): entity is Secret => entity.kind === 'secret')
      .map((secret) => `${secret.id} ${shown(secret.valueSource) as string} ${line(secret.fieldLocations?.valueSource)}`)
      .sort();
    // region (a pseudo parameter) is not a credential; Globals.HttpApi's api_key is in the stage of
    // each HTTP API, and written once, in Globals.
    expect(secrets).toEqual([
      'template.yaml:OrdersApiprodStage/stage-variable/dbPassword literal 39',
      'template.yaml:PartnerApiApiGatewayDefaultStage/stage-variable/api_key literal 27',
      'template.yaml:WebhooksApiApiGatewayDefaultStage/stage-variable/api_key literal 27',
    ]);
  });
});
