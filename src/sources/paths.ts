import path from 'node:path';

/**
 * Renders a file path as users see it in reports: relative to the scan root with `/` separators
 * (`../modules/api/main.tf` for a module outside it), or absolute when no relative path exists
 * (another drive on Windows).
 */
export function displayPath(scanRoot: string, file: string): string {
  const relative = path.relative(scanRoot, file);
  if (relative === '' ) return '.';
  return path.isAbsolute(relative) ? file : relative.split(path.sep).join('/');
}
