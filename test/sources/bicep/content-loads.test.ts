import { describe, expect, it } from 'vitest';
import { outlineBicep } from '../../../src/sources/bicep/content-loads.js';

/** The loads of a Bicep text as `line function path site`. */
function loads(text: string): string[] {
  return outlineBicep(text).loads.map((load) => {
    const site = load.site;
    const where =
      site.kind === 'resource' ? `resource ${site.name} ${site.type}` : site.kind === 'module' ? `module ${site.name} ${site.source}${site.param ? ` param ${site.param}` : ''}` : site.kind === 'other' ? 'other' : `${site.kind} ${site.name}`;
    return `${load.line} ${load.function} ${load.path} ${where}`;
  });
}

describe('Bicep content loads', () => {
  it('finds a spec imported into an API Management API, with the resource type joined to its parent for a nested child', () => {
    const text = [
      "resource apim 'Microsoft.ApiManagement/service@2023-05-01-preview' existing = {",
      '  name: apimName',
      '',
      "  resource api 'apis@2023-05-01-preview' = {",
      "    name: 'weather'",
      '    properties: {',
      "      format: 'openapi+json'",
      "      value: loadTextContent('specs/weather.json')",
      '    }',
      '  }',
      '}',
      "resource other 'Microsoft.ApiManagement/service/apis@2023-05-01-preview' = if (deployOther) {",
      '  parent: apim',
      "  name: 'other'",
      "  properties: { format: 'openapi', value: string(sys.loadYamlContent('../shared/other.yaml')) }",
      '}',
    ].join('\n');
    expect(loads(text)).toEqual([
      '8 loadTextContent specs/weather.json resource api Microsoft.ApiManagement/service/apis',
      '15 loadYamlContent ../shared/other.yaml resource other Microsoft.ApiManagement/service/apis',
    ]);
    expect([...outlineBicep(text).resourceTypes]).toEqual(['Microsoft.ApiManagement/service', 'Microsoft.ApiManagement/service/apis']);
  });

  it('names the module parameter a spec is passed as, in a module looped with for', () => {
    const text = [
      "module apis 'modules/api.bicep' = [for (api, i) in apis: {",
      "  name: 'api-${i}'",
      '  params: {',
      '    apiName: api.name',
      "    openApiSpec: i == 0 ? loadJsonContent('specs/a.json') : loadJsonContent('specs/b.json', '$.paths')",
      '  }',
      '}]',
    ].join('\n');
    expect(loads(text)).toEqual(['5 loadJsonContent specs/a.json module apis modules/api.bicep param openApiSpec', '5 loadJsonContent specs/b.json module apis modules/api.bicep param openApiSpec']);
  });

  it('names the variable, parameter or output a file is loaded into', () => {
    const text = ["var roles = loadJsonContent('../roles.json')", "@description('The spec')", "param spec string = loadTextContent('spec.yaml')", "output policy string = loadTextContent('policy.xml')"].join('\n');
    expect(loads(text)).toEqual(['1 loadJsonContent ../roles.json var roles', '3 loadTextContent spec.yaml param spec', '4 loadTextContent policy.xml output policy']);
  });

  it('ignores comments, calls inside strings and interpolations, and paths that are not literals', () => {
    const text = [
      "// value: loadTextContent('commented.json')",
      "/* resource x 'Microsoft.ApiManagement/service/apis@2023' = { value: loadTextContent('block.json') } */",
      "var text = 'it\\'s loadTextContent(\\'quoted.json\\') ${loadTextContent('interpolated.json')}'",
      "var multi = '''",
      "loadTextContent('multiline.json')",
      "'''",
      "var built = loadTextContent('specs/${name}.json')",
      "var nested = '${concat('}', '${loadTextContent('inner.json')}')}'",
      "var real = loadTextContent('real.json')",
    ].join('\n');
    expect(loads(text)).toEqual(['9 loadTextContent real.json var real']);
  });

  it('reads interpolations nested to any depth without exhausting the stack', () => {
    const depth = 100_000;
    const text = `var deep = ${"'${".repeat(depth)}1${"}'".repeat(depth)}\nvar spec = loadTextContent('spec.json')\n`;
    expect(loads(text)).toEqual(['2 loadTextContent spec.json var spec']);
  });
});
