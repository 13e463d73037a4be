import { describe, expect, it } from 'vitest';
import { Unknown } from '../../../src/model/unknown.js';
import { describeResource, describeType } from '../../../providers/shared/source-names.js';
import { TranslatedView, fieldPathOf, renameFields, sourcePathOf, type FieldMap } from '../../../providers/shared/translate.js';
import { viewOf } from '../../helpers/resource-view.js';

const STAGE: FieldMap = {
  stage_name: 'StageName',
  access_log_settings: { at: ['AccessLogSetting'], single: true, fields: { destination_arn: 'DestinationArn' } },
  settings: { at: [], single: true, fields: { throttling_rate_limit: 'ThrottlingRateLimit' } },
  hostname: (rest) => ['properties', 'hostnameConfigurations', ...rest.slice(1)],
};

describe('the field map of a translation', () => {
  it('maps view paths to source paths: renamed fields, single blocks, blocks on the object itself, functions', () => {
    expect(sourcePathOf(STAGE, ['stage_name'])).toEqual(['StageName']);
    expect(sourcePathOf(STAGE, ['access_log_settings', 0, 'destination_arn'])).toEqual(['AccessLogSetting', 'DestinationArn']);
    expect(sourcePathOf(STAGE, ['settings', 0, 'throttling_rate_limit'])).toEqual(['ThrottlingRateLimit']);
    expect(sourcePathOf(STAGE, ['hostname', 0, 'host_name'])).toEqual(['properties', 'hostnameConfigurations', 'host_name']);
    // Below a plain field, keys are the same in both shapes; below a block, an unmapped field is the block.
    expect(sourcePathOf({ response_parameters: 'ResponseParameters' }, ['response_parameters', 'method.response.header.X'])).toEqual(['ResponseParameters', 'method.response.header.X']);
    expect(sourcePathOf(STAGE, ['access_log_settings', 0, 'format'])).toEqual(['AccessLogSetting']);
  });

  it('keeps the index of an entry of a list of blocks, which is a list in the source too', () => {
    const DOMAIN: FieldMap = { domain_name_configuration: { at: ['DomainNameConfigurations'], fields: { security_policy: 'SecurityPolicy' } } };
    expect(sourcePathOf(DOMAIN, ['domain_name_configuration', 1, 'security_policy'])).toEqual(['DomainNameConfigurations', 1, 'SecurityPolicy']);
    // An unmapped field of an entry, and the entry itself, are the entry; the list alone is the list.
    expect(sourcePathOf(DOMAIN, ['domain_name_configuration', 1, 'certificate_arn'])).toEqual(['DomainNameConfigurations', 1]);
    expect(sourcePathOf(DOMAIN, ['domain_name_configuration', 0])).toEqual(['DomainNameConfigurations', 0]);
    expect(sourcePathOf(DOMAIN, ['domain_name_configuration'])).toEqual(['DomainNameConfigurations']);
  });

  it('maps nothing for an empty path or a field it does not know, Object members included', () => {
    expect(sourcePathOf(STAGE, [])).toBeUndefined();
    expect(sourcePathOf(STAGE, ['cache_cluster_enabled'])).toBeUndefined();
    expect(sourcePathOf(STAGE, ['constructor'])).toBeUndefined();
    expect(fieldPathOf(STAGE, 'stage_name')).toEqual(['StageName']);
    expect(fieldPathOf(STAGE, 'hostname')).toBeUndefined();
  });

  it('renames a source object into the view shape, keeping unknowns and leaving absent fields absent', () => {
    const unknown = new Unknown('a parameter without a value');
    expect(renameFields({ StageName: 'prod', AccessLogSetting: { DestinationArn: 'arn:aws:logs:x' }, ThrottlingRateLimit: 10 }, STAGE)).toEqual({
      stage_name: 'prod',
      access_log_settings: [{ destination_arn: 'arn:aws:logs:x' }],
      settings: [{ throttling_rate_limit: 10 }],
    });
    expect(renameFields({ AccessLogSetting: unknown }, { access_log_settings: STAGE.access_log_settings! })).toEqual({ access_log_settings: unknown });
  });

  it('locates a mapped field under the base of the view, and an unmapped one where the source says', () => {
    const asked: Array<ReadonlyArray<string | number>> = [];
    const at = { file: 'template.yaml', startLine: 3, startColumn: 1, endLine: 3, endColumn: 1 };
    const view = new TranslatedView({
      format: 'cloudformation',
      type: 'aws_api_gateway_stage',
      address: 'Deployment/Stage',
      name: 'Deployment',
      source: { type: 'AWS::ApiGateway::Deployment', name: 'Deployment' },
      modulePath: '',
      rootModule: 'template.yaml',
      values: {},
      location: at,
      fields: STAGE,
      base: ['StageDescription'],
      locateSource: (path) => {
        asked.push(path);
        return at;
      },
    });
    view.locate(['stage_name']);
    view.locate(['tags']);
    expect(asked).toEqual([['StageDescription', 'StageName'], ['StageDescription']]);
    expect(view).not.toHaveProperty('construct');
    expect(view.source).toEqual({ type: 'AWS::ApiGateway::Deployment', name: 'Deployment' });
  });
});

describe('source names in messages', () => {
  it('names a resource and a type of resource as its source does', () => {
    const terraform = viewOf({ type: 'aws_api_gateway_method', name: 'get' });
    const cloudFormation = viewOf({ type: 'aws_api_gateway_method', address: 'GetUsers', format: 'cloudformation', source: { type: 'AWS::ApiGateway::Method', name: 'GetUsers' } });
    const arn = 'arn:aws:apigateway:eu-west-1::/restapis/a1/resources/r1/methods/GET';
    const live = viewOf({ type: 'aws_api_gateway_method', address: arn, format: 'live', source: { type: 'AWS::ApiGateway::Method', name: arn } });
    const arm = viewOf({ type: 'azurerm_api_management_api', address: 'x', format: 'arm', source: { type: 'Microsoft.ApiManagement/service/apis', name: 'contoso/orders' } });
    expect(describeResource(terraform)).toBe('aws_api_gateway_method.get');
    expect(describeResource(cloudFormation)).toBe('AWS::ApiGateway::Method GetUsers');
    expect(describeResource(live)).toBe(`AWS::ApiGateway::Method ${arn}`);
    expect(describeResource(arm)).toBe('Microsoft.ApiManagement/service/apis contoso/orders');
    expect(describeType(terraform, 'aws_api_gateway_integration')).toBe('aws_api_gateway_integration');
    expect(describeType(cloudFormation, 'aws_api_gateway_integration')).toBe('Integration');
    expect(describeType(live, 'aws_api_gateway_stage')).toBe('AWS::ApiGateway::Stage');
    expect(describeType(arm, 'azurerm_api_management_api_operation')).toBe('Microsoft.ApiManagement/service/apis/operations');
  });
});
