import { createHash } from 'node:crypto';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';

/** Where something under the SAM `Domain` property is written, given the path under it. */
export type LocateInDomain = (inside: ReadonlyArray<string | number>) => SourceLocation;

/** A CloudFormation resource SAM generates from `Domain`, located at the `Domain` it comes from. */
export interface SamDomainResource {
  readonly address: string;
  readonly type: string;
  readonly properties: ValueObject;
  /** Where each generated property is written (a path under the property, mapped into `Domain`). */
  readonly locations: Record<string, LocateInDomain>;
  readonly at: SourceLocation;
}

/** What the expansion of one API's `Domain` needs to know. */
export interface SamDomainInput {
  readonly kind: 'rest' | 'http';
  /** The API's address (logical id with its nested stack's prefix). */
  readonly api: string;
  /** The API's stage name, which the mappings name. */
  readonly stage: Value;
  /** `Domain` with `Globals` merged in, resolved. */
  readonly domain: ValueObject;
  /** `DomainName` as the template writes it (an intrinsic function unresolved), which names the domain resource when its value is not known. */
  readonly rawDomainName: unknown;
  readonly prefix: string;
  readonly locate: LocateInDomain;
  /** A CloudFormation reference to a generated resource (a `Ref` that the translator links). */
  readonly ref: (address: string) => Value;
}

/**
 * Python's `json.dumps(data, separators=(",", ":"), sort_keys=True)`, which SAM's LogicalIdGenerator
 * hashes: compact, keys sorted at every depth, non-ASCII escaped.
 */
function pythonJson(data: unknown): string {
  if (Array.isArray(data)) return `[${data.map(pythonJson).join(',')}]`;
  if (typeof data === 'object' && data !== null) {
    const record = data as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${pythonJson(key)}:${pythonJson(record[key])}`)
      .join(',')}}`;
  }
  return (JSON.stringify(data) ?? 'null').replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/**
 * The logical id SAM gives the domain resource: `ApiGatewayDomainName` (`ApiGatewayDomainNameV2` for
 * an HTTP API) and the first ten hex digits of the SHA-1 of the `DomainName`, so that two APIs
 * declaring the same domain (through `Globals`) share one resource, as in SAM's output.
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/translator/logical_id_generator.py
 */
export function samDomainLogicalId(kind: 'rest' | 'http', rawDomainName: unknown): string {
  const text = typeof rawDomainName === 'string' ? rawDomainName : pythonJson(rawDomainName ?? null);
  return `${kind === 'rest' ? 'ApiGatewayDomainName' : 'ApiGatewayDomainNameV2'}${createHash('sha1').update(text, 'utf8').digest('hex').slice(0, 10)}`;
}

/** The keys of the `DomainNameConfigurations` entry SAM writes, and the `Domain` keys it takes them from. */
const CONFIGURATION_KEYS: Readonly<Record<string, string>> = { EndpointType: 'EndpointConfiguration', SecurityPolicy: 'SecurityPolicy' };

/** The base paths SAM maps: `BasePath` as one string or a list; none (one mapping at the root) otherwise. */
function basePaths(value: Value | undefined): string[] | undefined {
  if (typeof value === 'string' && value !== '') return [value];
  if (Array.isArray(value) && value.length > 0) return value.filter((path): path is string => typeof path === 'string');
  return undefined;
}

/**
 * The custom domain SAM creates from an API's `Domain` (DomainConfiguration, HttpApiDomainConfiguration)
 * and the mappings that serve the API on it, as CloudFormation resources:
 *
 * - REST: `AWS::ApiGateway::DomainName` with `EndpointConfiguration` (`REGIONAL` unless written),
 *   `SecurityPolicy` and `MutualTlsAuthentication` when written, and an `AWS::ApiGateway::BasePathMapping`
 *   per `BasePath` (one at the root without). SAM writes no `SecurityPolicy` of its own, so a domain
 *   without one gets API Gateway's `TLS_1_0`, as a CloudFormation domain does. A `PRIVATE` domain is
 *   an `AWS::ApiGateway::DomainNameV2` in SAM's output; read here as a private domain, whose default
 *   policy API Gateway does not document: unknown unless written.
 * - HTTP: `AWS::ApiGatewayV2::DomainName` with one `DomainNameConfigurations` entry (`REGIONAL`, the
 *   `SecurityPolicy` when written: TLS_1_2 otherwise, the only one v2 domains support) and an
 *   `AWS::ApiGatewayV2::ApiMapping` per `BasePath`.
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-domainconfiguration.html
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-httpapidomainconfiguration.html
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/api/api_generator.py (`_construct_api_domain`)
 */
export function samDomainResources(input: SamDomainInput): SamDomainResource[] {
  const { kind, api, prefix, locate, ref } = input;
  const read = (key: string): Value | undefined => input.domain[key];
  // SAM resolves parameter references in Domain before it names the resource: a name known here is
  // what it hashes; one that is not (a parameter without a value) it hashes as written.
  const name = read('DomainName');
  const address = `${prefix}${samDomainLogicalId(kind, typeof name === 'string' ? name : input.rawDomainName)}`;
  const at = locate([]);
  const endpoint = read('EndpointConfiguration') ?? 'REGIONAL';
  const written = read('SecurityPolicy');
  // SAM sets SecurityPolicy only when it is truthy: an empty string is none.
  const securityPolicy = written === '' || written === null ? undefined : written;
  const mtls = read('MutualTlsAuthentication');
  const resources: SamDomainResource[] = [];
  if (kind === 'rest') {
    // API Gateway's TLS_1_0 default is documented for edge and regional domains, not private ones.
    const privateDefault =
      securityPolicy !== undefined
        ? undefined
        : endpoint === 'PRIVATE'
          ? new Unknown('SAM writes no SecurityPolicy on this PRIVATE domain, and the policy API Gateway then gives a private custom domain is not documented')
          : endpoint instanceof Unknown
            ? new Unknown(`the domain writes no SecurityPolicy and its EndpointConfiguration is not known (${endpoint.reason}); a PRIVATE domain's default policy is not documented`)
            : undefined;
    resources.push({
      address,
      type: 'AWS::ApiGateway::DomainName',
      properties: {
        DomainName: name ?? null,
        EndpointConfiguration: { Types: [endpoint] },
        ...(securityPolicy !== undefined ? { SecurityPolicy: securityPolicy } : privateDefault !== undefined ? { SecurityPolicy: privateDefault } : {}),
        ...(mtls !== undefined && mtls !== null ? { MutualTlsAuthentication: mtls } : {}),
      },
      locations: {
        DomainName: () => locate(['DomainName']),
        EndpointConfiguration: () => locate(['EndpointConfiguration']),
        SecurityPolicy: () => locate(['SecurityPolicy']),
        MutualTlsAuthentication: (inside) => locate(['MutualTlsAuthentication', ...inside]),
      },
      at,
    });
  } else {
    resources.push({
      address,
      type: 'AWS::ApiGatewayV2::DomainName',
      properties: {
        DomainName: name ?? null,
        DomainNameConfigurations: [{ EndpointType: endpoint, ...(securityPolicy !== undefined ? { SecurityPolicy: securityPolicy } : {}) }],
        ...(mtls !== undefined && mtls !== null ? { MutualTlsAuthentication: mtls } : {}),
      },
      locations: {
        DomainName: () => locate(['DomainName']),
        // The one entry SAM writes is made of Domain's own keys: `[0, key]` is that key in Domain,
        // and the entry itself (or a key SAM does not take from Domain) is Domain.
        DomainNameConfigurations: (inside) => locate(inside[0] === 0 && typeof inside[1] === 'string' && Object.hasOwn(CONFIGURATION_KEYS, inside[1]) ? [CONFIGURATION_KEYS[inside[1]]!] : []),
        MutualTlsAuthentication: (inside) => locate(['MutualTlsAuthentication', ...inside]),
      },
      at,
    });
  }
  const paths = basePaths(read('BasePath'));
  const mappingAt = paths ? locate(['BasePath']) : at;
  // SAM names a mapping by its API and base path, stripped of what a logical id cannot hold.
  const strip = (path: string): string => (kind === 'rest' ? path.replace(/[^A-Za-z0-9]/g, '') : path.replace(/[-_/]+/g, ''));
  const suffix = kind === 'rest' ? 'BasePathMapping' : 'ApiMapping';
  for (const path of paths ?? [undefined]) {
    const mapping = `${api}${path === undefined ? '' : strip(path)}${suffix}`;
    const properties: ValueObject =
      kind === 'rest'
        ? { DomainName: ref(address), RestApiId: ref(api), Stage: input.stage, ...(path !== undefined ? { BasePath: path.replace(/[^A-Za-z0-9]/g, '') } : {}) }
        : { DomainName: ref(address), ApiId: ref(api), Stage: input.stage, ...(path !== undefined ? { ApiMappingKey: path.replace(/^\/+|\/+$/g, '') } : {}) };
    resources.push({ address: mapping, type: kind === 'rest' ? 'AWS::ApiGateway::BasePathMapping' : 'AWS::ApiGatewayV2::ApiMapping', properties, locations: {}, at: mappingAt });
  }
  return resources;
}
