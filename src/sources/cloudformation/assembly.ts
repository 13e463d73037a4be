import path from 'node:path';
import { FileAccess, realOrResolved } from '../file-access.js';

/**
 * The stack templates of a CDK cloud assembly (`cdk.out`), from its manifest, nested assemblies
 * (stages) included. Undefined when the directory is not an assembly.
 */
export function cloudAssemblyTemplates(dir: string, depth = 0, access: FileAccess, visited = new Set<string>()): string[] | undefined {
  const manifestFile = path.join(dir, 'manifest.json');
  if (depth > 8 || access.exists(manifestFile) !== true) return undefined;
  // Each assembly once: nested assemblies naming "." (or each other) would otherwise fan out as
  // (artifacts)^depth, twelve of them to nine levels.
  const real = realOrResolved(dir);
  if (visited.has(real)) return [];
  visited.add(real);
  const read = access.read(manifestFile);
  if (!read.ok) return undefined;
  let manifest: { artifacts?: Record<string, { type?: string; properties?: { templateFile?: string; directoryName?: string } }> };
  try {
    manifest = JSON.parse(read.text) as typeof manifest;
  } catch {
    return undefined;
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.artifacts !== 'object' || manifest.artifacts === null) return undefined;
  if (access.exists(path.join(dir, 'cdk.out')) !== true && path.basename(dir) !== 'cdk.out' && depth === 0) return undefined;
  const templates: string[] = [];
  for (const artifact of Object.values(manifest.artifacts)) {
    // The paths are the manifest's: reading them goes through the boundary like any other file.
    if (artifact?.type === 'aws:cloudformation:stack' && typeof artifact.properties?.templateFile === 'string') templates.push(path.join(dir, artifact.properties.templateFile));
    if (artifact?.type === 'cdk:cloud-assembly' && typeof artifact.properties?.directoryName === 'string') {
      for (const template of cloudAssemblyTemplates(path.join(dir, artifact.properties.directoryName), depth + 1, access, visited) ?? []) templates.push(template);
    }
  }
  return templates;
}
