import type { ApiKeyValueSource, RelatedLocation, Secret, SecretSettingKind } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import { Unknown, type Maybe } from '../../src/model/unknown.js';
import type { ResourceView } from '../../src/sources/view/resource-view.js';
import type { Value } from '../../src/sources/view/value.js';
import type { TerraformContext } from './terraform-context.js';
import { looksLikeSecret } from './secret-shape.js';
import { writtenElsewhere } from './written-at.js';

/**
 * Setting names (stage variables, headers, query parameters) that say they hold a credential:
 * `Authorization`, passwords, secrets, tokens, API, access and private keys, credentials,
 * signatures, subscription and function keys. Narrower than "anything with key or auth in it", so
 * that `cache_key_prefix` or `auth_mode` are not reported for their name alone.
 */
const CREDENTIAL_SETTING_NAME = /authorization|passw|secret|token|api[-_]?key|apikey|access[-_]?key|private[-_]?key|credential|bearer|signature|subscription[-_]?key|functions[-_]?key|(^|[-_])key$/i;

/**
 * Text that reads its value from elsewhere at run time, so it holds no credential itself: a stage
 * variable (`${stageVariables.x}`, `$stageVariables.x`), a request or context value (`$request...`,
 * `method.request...`, `$context...`, `context...`), an API Management named value (`{{name}}`), a
 * CloudFormation dynamic reference (`{{resolve:secretsmanager:...}}`).
 */
function readsElsewhere(text: string): boolean {
  return /\$\{?stageVariables\.|\$request\.|\$context\.|^(method\.request|context|stageVariables)\.|\{\{[^}]+\}\}/.test(text.trim());
}

/**
 * A CloudFormation dynamic reference (`{{resolve:secretsmanager:...}}`, `{{resolve:ssm-secure:...}}`):
 * unlike an API Management named value, CloudFormation resolves it at deploy time and the resource
 * stores the resolved value.
 * @see https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/dynamic-references.html
 */
function deployTimeReference(text: string): boolean {
  return /\{\{resolve:/.test(text);
}

/**
 * Values that cannot be a credential whatever the name says: empty, a boolean or number, a URL
 * without user information, an ARN, a path.
 */
function plainSetting(text: string): boolean {
  const value = text.trim();
  return value.length < 6 || /^(true|false|yes|no|on|off|none|null|\d+(\.\d+)?)$/i.test(value) || /^[a-z][a-z0-9+.-]*:\/\/[^@\s]+$/i.test(value) || /^arn:/.test(value) || /^\//.test(value);
}

/**
 * Whether a setting holds a credential: its name says so (see {@link CREDENTIAL_SETTING_NAME}) and
 * its value is not plainly something else, or its value looks like a generated secret whatever its
 * name (see `looksLikeSecret`). A value read from elsewhere at run time is a credential setting by
 * its name only (it passes: the secret lives elsewhere).
 */
export function holdsCredential(name: string, value: Value | undefined): boolean {
  const named = CREDENTIAL_SETTING_NAME.test(name);
  if (typeof value !== 'string') return named && value instanceof Unknown;
  if (readsElsewhere(value)) return named;
  return (named && !plainSetting(value)) || looksLikeSecret(value);
}

/** Where a credential setting's value comes from (never the value), and where that is written. */
export function settingValueSource(resource: ResourceView, path: ReadonlyArray<string | number>, value: Value | undefined): { source: Maybe<ApiKeyValueSource>; stored: Maybe<boolean>; location: SourceLocation; related?: readonly RelatedLocation[] } {
  const own = resource.locate(path);
  const given = path.length === 1 && typeof path[0] === 'string' ? resource.valueSource(path[0]) : resource.valueSourceAt?.(path);
  if (given?.kind === 'cli' || given?.kind === 'input') return { source: 'input', stored: true, location: own };
  if (typeof value === 'string') {
    if (readsElsewhere(value)) return { source: 'reference', stored: deployTimeReference(value), location: own };
    // A live account stores the value in the gateway's configuration, readable with read-only access.
    const elsewhere = resource.format === 'live' ? undefined : writtenElsewhere(resource, path);
    return { source: 'literal', stored: true, location: elsewhere?.location ?? own, ...(elsewhere?.related ? { related: elsewhere.related } : {}) };
  }
  if (value instanceof Unknown) {
    const address = value.ref?.address?.replace(/^(module\.[^.]+(\[[^\]]*\])?\.)+/, '');
    if (address === undefined) {
      const unresolved = new Unknown(`the value could not be resolved: ${value.reason}`);
      return { source: unresolved, stored: unresolved, location: own };
    }
    // Whatever the variable or resource holds, deployment copies it into the setting.
    if (/^var\./.test(address)) return { source: 'input', stored: true, location: own };
    if (/^random_/.test(address)) return { source: 'generated', stored: true, location: own };
    return { source: 'reference', stored: true, location: own };
  }
  const notText = new Unknown('the value is not a string');
  return { source: notText, stored: notText, location: own };
}

/** Adds a secret entity for one credential setting of a resource. */
export function addSecret(
  ctx: TerraformContext,
  resource: ResourceView,
  setting: SecretSettingKind,
  name: string,
  path: ReadonlyArray<string | number>,
  value: Value | undefined,
  parentId: string | null,
): void {
  const { source, stored, location, related } = settingValueSource(resource, path, value);
  const secret: Secret = {
    ...ctx.base('secret', resource, {
      id: ctx.idOf(`${resource.address}/${setting}/${name}`),
      parentId,
      location: resource.locate(path),
      fieldLocations: { valueSource: location },
      fieldRelated: { valueSource: related },
    }),
    name: `${setting.replace('-', ' ')} ${name}`,
    setting,
    valueSource: source,
    storedInGateway: stored,
  };
  ctx.add(secret);
}
