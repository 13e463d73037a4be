import path from 'node:path';
import type { Diagnostic } from '../../model/diagnostic.js';
import { lineLocation } from '../../model/location.js';
import { outlineBicep, type BicepOutline, type ContentLoad } from '../../sources/bicep/content-loads.js';
import { refusalDiagnostic } from '../../sources/file-access.js';
import { inputFormat, type ReadContext, type UnreadImport } from '../input-format.js';

/** The type of an API of API Management, as Bicep and ARM write it. */
const APIM_API_TYPE = 'microsoft.apimanagement/service/apis';

/** How to check what a Bicep file deploys: compile it, and scan the ARM template it becomes. */
export function bicepCompileHint(rel: string): string {
  return `compile ${rel} to an ARM template (\`az bicep build --file ${rel}\` or \`bicep build ${rel}\`) and scan the JSON`;
}

/**
 * Bicep files, read only for the files they load at compile time (`loadTextContent`,
 * `loadJsonContent`, `loadYamlContent`). API Management imports an OpenAPI document into an API
 * (`Microsoft.ApiManagement/service/apis`, `properties.value`) without enforcing its `security`
 * section: the API's `subscriptionRequired` and its policies decide who may call it, and they are
 * written in the Bicep. Such a document is therefore not checked as a stand-alone gateway (the
 * OpenAPI format reports each import, `gateway-not-read`). The resources of a Bicep file are not
 * checked: each file is reported as not scanned, with how to compile it to an ARM template, which is.
 * https://learn.microsoft.com/azure/api-management/api-management-howto-protect-backend-with-aad
 */
export const BICEP_FORMAT = inputFormat<never>({
  name: 'bicep',
  description: 'Bicep files, only for the OpenAPI documents they import (`loadTextContent`...); their resources are not checked: compile Bicep to ARM for that',
  detectors: [{ kind: 'bicep', label: 'a Bicep file', byName: (file) => file.endsWith('.bicep') }],
  adapters: [],
  async read(discovered, context) {
    const files = discovered.map((file) => file.path);
    if (files.length === 0) return;
    context.progress(`reading ${files.length} Bicep files for the documents they import`);
    // Every file is outlined before any load is described: a module's own outline says what it does
    // with a parameter's text.
    const outlines = new Map<string, BicepOutline>();
    for (const file of files) {
      const rel = context.relative(file);
      context.addFile(rel);
      context.addDiagnostics([{ severity: 'warning', code: 'not-scanned', message: `${rel}: Bicep is read only for the OpenAPI documents it imports; its resources are not checked: ${bicepCompileHint(rel)}`, location: lineLocation(rel, 1) }]);
      const text = context.readText(file);
      if (text === undefined) continue;
      context.guarded({ what: 'the Bicep file', file }, () => {
        outlines.set(realPathOf(file, context), outlineBicep(text));
      });
    }
    for (const file of files) {
      const outline = outlines.get(realPathOf(file, context));
      if (!outline) continue;
      context.guarded({ what: 'the Bicep file', file }, () => {
        // One import per call site: `cond ? loadJsonContent('a.json') : loadJsonContent('a.json')` is one API.
        const seen = new Set<string>();
        for (const load of outline.loads) {
          const key = `${load.line}|${load.path}`;
          if (seen.has(key)) continue;
          seen.add(key);
          const found = importOf(file, load, outlines, context);
          if (found === undefined) continue;
          if ('severity' in found) context.addDiagnostics([found]);
          else context.unreadImports.push(found);
        }
      });
    }
  },
});

function realPathOf(file: string, context: ReadContext): string {
  const located = context.access.locate(file);
  return located.ok ? located.realPath : path.resolve(file);
}

/**
 * What one load brings in: an import of the file it names (through the scan's boundary: a path or a
 * symbolic link that leads outside the roots is reported where it is loaded, and never read), or
 * nothing for a file that does not exist (Bicep would not compile).
 */
function importOf(bicepFile: string, load: ContentLoad, outlines: ReadonlyMap<string, BicepOutline>, context: ReadContext): UnreadImport | Diagnostic | undefined {
  const rel = context.relative(bicepFile);
  const location = lineLocation(rel, load.line);
  const target = path.resolve(path.dirname(bicepFile), load.path);
  const located = context.access.locate(target);
  if (!located.ok) {
    if (located.refusal === 'not-found') return undefined;
    return refusalDiagnostic(located, location, context.access, `${load.function}('${load.path}') in ${rel}`);
  }
  const at = `${rel}:${load.line}`;
  const site = load.site;
  const apim = 'API Management does not enforce the document\'s security section: the API\'s subscription requirement and its policies decide who may call it, and gatewarden does not check what Bicep deploys';
  const other = 'what the Bicep file deploys it as decides, and gatewarden does not check what Bicep deploys';
  const hint = bicepCompileHint(rel);
  switch (site.kind) {
    case 'resource':
      return site.type.toLowerCase() === APIM_API_TYPE
        ? { file: located.realPath, location, how: `imported into API Management by ${at} (resource ${site.name})`, decides: apim, hint, address: site.name }
        : { file: located.realPath, location, how: `loaded by ${at} into the resource ${site.name} (${site.type})`, decides: other, hint, address: site.name };
    case 'module': {
      const param = site.param !== undefined ? ` as its parameter ${site.param}` : '';
      const imports = moduleImportsIntoApim(bicepFile, site.source, outlines, context);
      return imports
        ? { file: located.realPath, location, how: `passed by ${at} to the module ${site.source}${param}, which imports it into API Management`, decides: apim, hint, address: site.name }
        : { file: located.realPath, location, how: `passed by ${at} to the module ${site.source}${param}`, decides: other, hint, address: site.name };
    }
    case 'var':
    case 'param':
    case 'output':
      return { file: located.realPath, location, how: `loaded by ${at} into the ${site.kind === 'var' ? 'variable' : site.kind} ${site.name}`, decides: other, hint };
    case 'other':
      return { file: located.realPath, location, how: `loaded by ${at}`, decides: other, hint };
  }
}

/**
 * Whether a local module (a path, not a registry reference such as `br/public:...`) declares an API of
 * API Management: the text passed to it then ends up in one. Only modules among the scanned Bicep
 * files are looked at.
 */
function moduleImportsIntoApim(bicepFile: string, source: string, outlines: ReadonlyMap<string, BicepOutline>, context: ReadContext): boolean {
  if (/^(br|ts)[:/]/.test(source)) return false;
  const located = context.access.locate(path.resolve(path.dirname(bicepFile), source));
  if (!located.ok) return false;
  const outline = outlines.get(located.realPath);
  return outline !== undefined && [...outline.resourceTypes].some((type) => type.toLowerCase() === APIM_API_TYPE);
}
