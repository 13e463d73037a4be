import path from 'node:path';
import { APIOPS_ADAPTERS } from '../../../providers/index.js';
import { lineLocation } from '../../model/location.js';
import { apiOpsRootOf, readApiOpsTree, type ApiOpsTree } from '../../sources/apiops/tree.js';
import { inputFormat } from '../input-format.js';

/**
 * APIOps artifacts: the folder the APIOps extractor writes an API Management instance into
 * (`apis/<name>/apiInformation.json`, `specification.yaml`, `policy.xml`, products, named values,
 * backends...). Recognised by the extractor's information files in their collection folders; each
 * artifacts folder is read as one unit. Its specifications are read as part of their APIs, so the
 * OpenAPI format, which runs later, does not check them on their own.
 */
export const APIOPS_FORMAT = inputFormat<ApiOpsTree>({
  name: 'apiops',
  description: 'APIOps artifacts of Azure API Management: the folder the extractor writes (`apis/`, `products/`, `named values/`, `backends/`, the global `policy.xml`)',
  detectors: [{ kind: 'apiops', label: 'an APIOps artifact (`apiInformation.json` in an `apis/` folder)', byName: (file) => apiOpsRootOf(file) !== undefined }],
  adapters: APIOPS_ADAPTERS.map((adapter) => ({ provider: adapter.provider, adapt: (tree: ApiOpsTree, settings) => adapter.adapt(tree, settings) })),
  async read(discovered, context, emit) {
    const roots = new Map<string, string>();
    for (const { path: file } of discovered) {
      const root = apiOpsRootOf(file);
      if (root !== undefined && !roots.has(path.resolve(root))) roots.set(path.resolve(root), file);
    }
    if (roots.size === 0) return;
    context.progress(`reading ${roots.size} APIOps artifacts folders`);
    for (const [root, first] of roots) {
      if (!context.access.isDirectory(root)) {
        // Only part of the folder is in the scan: the service and product policies around its APIs are
        // not. An error, not a warning: the user named these artifacts and none of them is checked, so
        // `gatewarden scan apimartifacts/apis/legacy-soap` (an API without a specification, which no
        // other reader reports) must not end as a clean scan (exit code 0).
        const rel = context.relative(first);
        context.addFile(rel);
        context.addDiagnostics([
          {
            severity: 'error',
            code: 'not-scanned',
            message: `${rel} is an APIOps artifact of the folder ${context.relative(root)}, which is not in the scanned paths; the artifacts of that folder in the scan are not checked without the global and product policies around its APIs: scan ${context.relative(root)}`,
            location: lineLocation(rel, 1),
          },
        ]);
        continue;
      }
      context.guarded({ what: 'the APIOps artifacts', file: root }, () => {
        const { tree, read, specifications, diagnostics } = readApiOpsTree(root, {
          list: (dir) => context.access.list(dir),
          isDirectory: (dir) => context.access.isDirectory(dir),
          readText: (file) => context.readText(file),
          relative: context.relative,
          limits: context.limits,
        });
        for (const file of read) context.addFile(context.relative(file));
        for (const file of specifications) context.embeddedFiles.add(path.resolve(file));
        context.addDiagnostics(diagnostics);
        emit(tree, { what: 'the APIOps artifacts', file: root });
      });
    }
  },
});
