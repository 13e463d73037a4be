// Loaded with `node --import`: reports every module the process resolves, one URL per line on
// stderr prefixed with "import:", so tests can check what a command loads.
import { register } from 'node:module';

register(
  `data:text/javascript,${encodeURIComponent(`
    export async function resolve(specifier, context, next) {
      const result = await next(specifier, context);
      process.stderr.write('import:' + result.url + '\\n');
      return result;
    }
  `)}`,
  import.meta.url,
);
