import path from 'node:path';
import type { OwnersConfig } from '../config/config.js';
import { compileGlob } from '../config/glob.js';
import type { Entity } from '../model/entities.js';
import type { Finding, FindingOwner } from '../model/findings.js';
import { codeownersOf, type Codeowners } from '../config/codeowners.js';

/** What {@link ownerResolver} reads owners from. */
export interface OwnerSources {
  /** The config file's `owners` section, and the directory its globs are relative to. */
  readonly owners?: OwnersConfig;
  readonly configDir?: string;
  /** The repository's CODEOWNERS, for a scan (absent for a live audit, and with `owners.codeowners: false`). */
  readonly codeowners?: Codeowners;
  /** The directory findings' files are relative to. */
  readonly scanRoot: string;
  /** The entities findings are on, for their tags and their gateways' tags. */
  readonly entities: readonly Entity[];
}

/**
 * A function giving each finding its owner, in order of precedence: the first of `owners.tag` on
 * the resource at fault, then on its gateway (a tag is written on the resource itself, so it says
 * the most); for a file, the first `owners.paths` glob matching it, then CODEOWNERS. Undefined when
 * nothing names an owner.
 */
export function ownerResolver(sources: OwnerSources): (finding: Finding) => FindingOwner | undefined {
  const byId = new Map(sources.entities.map((entity) => [entity.id, entity]));
  const tagKeys = (sources.owners?.tags ?? []).map((key) => key.toLowerCase());
  const paths = (sources.owners?.paths ?? []).map((entry) => ({ owner: entry.owner, matcher: compileGlob(entry.glob) }));
  const configDir = sources.configDir ?? sources.scanRoot;
  const tagOwner = (entity: Entity | undefined): string | undefined => {
    if (entity?.tags === undefined || tagKeys.length === 0) return undefined;
    const tags = Object.entries(entity.tags);
    for (const key of tagKeys) {
      const value = tags.find(([name]) => name.toLowerCase() === key)?.[1]?.trim();
      if (value) return value;
    }
    return undefined;
  };
  // A finding on an owner that is no entity of the inventory (an API Management service some of
  // whose APIs are scanned) takes the tags of its first member: an API carries its service's tags.
  const memberTagOwner = (finding: Finding): string | undefined => {
    const member = finding.routes?.[0];
    return member !== undefined && !byId.has(finding.entityId) ? tagOwner(byId.get(member.entityId)) : undefined;
  };
  return (finding) => {
    const tagged = tagOwner(byId.get(finding.entityId)) ?? (finding.gateway ? tagOwner(byId.get(finding.gateway.id)) : undefined) ?? memberTagOwner(finding);
    if (tagged !== undefined) return { name: tagged, source: 'tag' };
    if (finding.origin.format === 'live') return undefined;
    const absolute = path.resolve(sources.scanRoot, finding.location.file);
    const relative = path.relative(configDir, absolute).split(path.sep).join('/');
    // A file outside the config's directory cannot be named by a glob relative to it.
    if (!relative.startsWith('../') && relative !== '..' && !path.isAbsolute(relative)) {
      const entry = paths.find((candidate) => candidate.matcher.test(relative));
      if (entry) return { name: entry.owner, source: 'config' };
    }
    const owners = sources.codeowners ? codeownersOf(sources.codeowners, absolute) : undefined;
    return owners ? { name: owners.join(' '), source: 'codeowners' } : undefined;
  };
}
