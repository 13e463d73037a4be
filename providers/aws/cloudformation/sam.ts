import type { Diagnostic } from '../../../src/model/diagnostic.js';
import type { SourceLocation } from '../../../src/model/location.js';
import { Unknown } from '../../../src/model/unknown.js';
import type { CfnResource } from '../../../src/sources/cloudformation/stack.js';
import type { Value, ValueObject } from '../../../src/sources/view/value.js';
import { pushAll } from '../../../src/arrays.js';
import { IMPLICIT_STAGE, ROUTES_ONLY_IN_SOURCE } from '../terraform/drafts.js';
import { samDomainResources } from './sam-domain.js';

/**
 * Expands the AWS SAM transform (`AWS::Serverless-2016-10-31`) the way SAM does when it deploys:
 * `AWS::Serverless::Api` and `::HttpApi` become the API, its stage, deployment, authorizers, usage
 * plan and gateway responses; every function `Api`/`HttpApi` event becomes a route (on the implicit
 * `ServerlessRestApi`/`ServerlessHttpApi` when it names no API), with `Auth` defaults and per-event
 * overrides; `Cors` adds mock OPTIONS preflights; `Globals` apply. SAM itself is never run.
 */
export function expandSam(resources: readonly CfnResource[]): { resources: CfnResource[]; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const samTemplates = new Set(resources.filter((resource) => resource.transforms.some((transform) => transform.startsWith('AWS::Serverless'))).map((resource) => resource.template));
  pushAll(diagnostics, untransformed(resources, samTemplates));
  if (samTemplates.size === 0) return { resources: [...resources], diagnostics };
  const out: CfnResource[] = [];
  const byTemplate = new Map<CfnResource['template'], CfnResource[]>();
  for (const resource of resources) {
    if (!samTemplates.has(resource.template)) {
      out.push(resource);
      continue;
    }
    const list = byTemplate.get(resource.template) ?? [];
    list.push(resource);
    byTemplate.set(resource.template, list);
  }
  for (const templateResources of byTemplate.values()) pushAll(out, new SamExpansion(templateResources, diagnostics).run());
  return { resources: out, diagnostics };
}

/** The SAM resource types gatewarden expands, which only the SAM transform turns into API Gateway ones. */
const SAM_GATEWAY_TYPES = new Set(['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::Serverless::Function']);

/**
 * An error for each template that declares SAM gateway resources without `Transform:
 * AWS::Serverless-2016-10-31`: CloudFormation rejects it ("Unrecognized resource types"), so it
 * deploys nothing, and nothing in it is checked; said, rather than a scan that looks clean. (SAM's
 * own translator tests leave the Transform out; a template meant to be deployed has it.)
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-specification-template-anatomy.html
 */
function untransformed(resources: readonly CfnResource[], samTemplates: ReadonlySet<CfnResource['template']>): Diagnostic[] {
  const first = new Map<CfnResource['template'], CfnResource>();
  const types = new Map<CfnResource['template'], Set<string>>();
  for (const resource of resources) {
    if (samTemplates.has(resource.template) || !SAM_GATEWAY_TYPES.has(resource.type)) continue;
    if (resource.type === 'AWS::Serverless::Function' && !hasApiEvent(resource)) continue;
    if (!first.has(resource.template)) first.set(resource.template, resource);
    const set = types.get(resource.template) ?? new Set<string>();
    set.add(resource.type);
    types.set(resource.template, set);
  }
  return [...first].map(([template, resource]) => ({
    severity: 'error',
    code: 'unsupported',
    message: `this template declares ${[...(types.get(template) ?? [])].sort().join(', ')} (${resource.address} here) but has no Transform: AWS::Serverless-2016-10-31, so CloudFormation rejects it ("Unrecognized resource types") and its SAM APIs and function events are not checked. Add the Transform to the template`,
    location: resource.location,
    address: resource.address,
  }));
}

/**
 * Whether the template exports a value that names the resource (an `Outputs` entry with `Export`
 * whose value is a `Ref`, `Fn::GetAtt` or `Fn::Sub` of its logical id): other stacks can then attach
 * resources to it.
 */
function exportsRef(resource: CfnResource): boolean {
  const outputs = resource.template.data.Outputs;
  if (typeof outputs !== 'object' || outputs === null) return false;
  return Object.values(outputs as Record<string, unknown>).some(
    (output) => typeof output === 'object' && output !== null && (output as Record<string, unknown>).Export !== undefined && names((output as Record<string, unknown>).Value, resource.logicalId),
  );
}

/** Whether a template value refers to the resource `logicalId` (Ref, GetAtt, Sub), at any depth. */
function names(value: unknown, logicalId: string): boolean {
  if (Array.isArray(value)) return value.some((item) => names(item, logicalId));
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.Ref === logicalId) return true;
  const getAtt = record['Fn::GetAtt'];
  if ((Array.isArray(getAtt) && getAtt[0] === logicalId) || (typeof getAtt === 'string' && getAtt.split('.')[0] === logicalId)) return true;
  const sub = record['Fn::Sub'];
  const template = Array.isArray(sub) ? sub[0] : sub;
  if (typeof template === 'string' && new RegExp(`\\$\\{${logicalId.replace(/[^A-Za-z0-9]/g, '')}(\\.[^}]*)?\\}`).test(template)) return true;
  return Object.values(record).some((item) => names(item, logicalId));
}

/** Whether a SAM function has an `Api` or `HttpApi` event (a route, once transformed). */
function hasApiEvent(resource: CfnResource): boolean {
  const events = resource.properties.Events;
  return isObject(events) && Object.values(events).some((event) => isObject(event) && (event.Type === 'Api' || event.Type === 'HttpApi'));
}

function isObject(value: unknown): value is ValueObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Unknown);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether a raw (unresolved) template value has a key at every step of the path. */
function has(raw: unknown, path: readonly string[]): boolean {
  let at = raw;
  for (const key of path) {
    if (!isRecord(at) || !Object.hasOwn(at, key)) return false;
    at = at[key];
  }
  return true;
}

/** A `Globals` section as the template writes it. */
function rawGlobals(api: CfnResource, section: 'Api' | 'HttpApi'): Record<string, unknown> | undefined {
  const globals = api.template.data.Globals;
  const value = isRecord(globals) ? globals[section] : undefined;
  return isRecord(value) ? value : undefined;
}

/**
 * Merges SAM Globals under a resource's own properties as SAM does: maps merge all the way down, lists
 * are additive (the global items, then the resource's), and any other value of the resource wins.
 */
function withGlobals(properties: ValueObject, globals: Value | undefined): ValueObject {
  if (!isObject(globals)) return properties;
  return mergeGlobal(globals, properties) as ValueObject;
}

function mergeGlobal(global: Value, own: Value): Value {
  if (isObject(global) && isObject(own)) {
    const out: ValueObject = { ...global };
    for (const [key, value] of Object.entries(own)) out[key] = Object.hasOwn(global, key) ? mergeGlobal(global[key]!, value) : value;
    return out;
  }
  if (Array.isArray(global) && Array.isArray(own)) return [...global, ...own];
  return own;
}

function ref(address: string, attribute = 'Ref'): Unknown {
  return new Unknown(`${address}${attribute === 'Ref' ? '' : `.${attribute}`} is known only after deployment`, { address, attribute });
}

interface Route {
  readonly source: CfnResource;
  readonly event: string;
  readonly path: Value;
  readonly method: Value;
  readonly auth: ValueObject;
  readonly eventPath: readonly string[];
  /** The event's `RequestModel` and `RequestParameters` (REST APIs), when written. */
  readonly request?: { readonly model?: Value; readonly parameters?: Value };
}

class SamExpansion {
  private readonly out: CfnResource[] = [];
  private readonly restRoutes = new Map<string, Route[]>();
  private readonly httpRoutes = new Map<string, Route[]>();
  private readonly prefix: string;

  constructor(
    private readonly resources: readonly CfnResource[],
    private readonly diagnostics: Diagnostic[],
  ) {
    this.prefix = resources[0]?.stackPrefix ?? '';
  }

  run(): CfnResource[] {
    for (const resource of this.resources) {
      if (resource.type === 'AWS::Serverless::Function') this.collectEvents(resource);
      else if (!resource.type.startsWith('AWS::Serverless::')) this.out.push(resource);
    }
    const apis = this.resources.filter((resource) => resource.type === 'AWS::Serverless::Api');
    const httpApis = this.resources.filter((resource) => resource.type === 'AWS::Serverless::HttpApi');
    for (const api of apis) this.restApi(api, withGlobals(api.properties, api.globals.Api), api.address);
    for (const api of httpApis) this.httpApi(api, withGlobals(api.properties, api.globals.HttpApi), api.address);
    const anyResource = this.resources[0]!;
    const implicitRest = `${this.prefix}ServerlessRestApi`;
    if (this.restRoutes.has(implicitRest)) this.restApi(this.implicitSource(implicitRest), withGlobals({ StageName: 'Prod' }, anyResource.globals.Api), implicitRest);
    const implicitHttp = `${this.prefix}ServerlessHttpApi`;
    if (this.httpRoutes.has(implicitHttp)) this.httpApi(this.implicitSource(implicitHttp), withGlobals({}, anyResource.globals.HttpApi), implicitHttp);
    for (const [address, routes] of [...this.restRoutes, ...this.httpRoutes]) {
      if (address === implicitRest || address === implicitHttp || this.resources.some((resource) => resource.address === address)) continue;
      this.diagnostics.push({
        severity: 'warning',
        code: 'unresolved',
        message: `${routes.length} function event(s) refer to API ${address}, which is not a Serverless API of this template; those routes are not checked`,
        location: routes[0]!.source.locate(routes[0]!.eventPath),
        address: routes[0]!.source.address,
      });
    }
    return this.out;
  }

  /** The implicit API has no block of its own: it is reported at the first function that creates it. */
  private implicitSource(address: string): CfnResource {
    const route = (this.restRoutes.get(address) ?? this.httpRoutes.get(address))![0]!;
    return {
      ...route.source,
      address,
      logicalId: address.slice(this.prefix.length),
      type: 'AWS::Serverless::Api',
      properties: {},
      rawProperties: {},
      location: route.source.locate(route.eventPath),
    };
  }

  /**
   * Where an API property is written: on the API itself, or in `Globals` (`Globals.Api.Cors`), which
   * is where a finding about a global setting must point; else at the API.
   */
  private prop(api: CfnResource, section: 'Api' | 'HttpApi', path: readonly string[]): SourceLocation {
    if (Object.hasOwn(api.rawProperties, path[0]!)) return api.locate(path);
    const globals = api.globals[section];
    if (isObject(globals) && Object.hasOwn(globals, path[0]!)) return api.template.positions.nearest(['Globals', section, ...path]) ?? api.location;
    return api.location;
  }

  /**
   * Where an entry of an API list property merged with `Globals` (`MethodSettings`) is written, and a
   * key inside it: SAM puts the global entries first, then the API's own, so entry `i` is the API's
   * `i - n` after the `n` of `Globals`. The list itself, or an entry that is not there, is the property.
   */
  private listEntry(api: CfnResource, section: 'Api' | 'HttpApi', key: string): LocateInside {
    return (inside) => {
      const [index, ...rest] = inside;
      const whole = this.prop(api, section, [key]);
      if (typeof index !== 'number') return whole;
      const globals = api.globals[section];
      const global = isObject(globals) ? globals[key] : undefined;
      const own = api.properties[key];
      // Lists are added together only when both are lists; otherwise the API's own value wins.
      const globalCount = Array.isArray(global) && (own === undefined || Array.isArray(own)) ? global.length : 0;
      if (index < globalCount) return api.template.positions.nearest(['Globals', section, key, String(index), ...rest.map(String)]) ?? whole;
      if (Array.isArray(own) && index - globalCount < own.length) return api.locate([key, index - globalCount, ...rest]);
      return whole;
    };
  }

  /**
   * Where a setting inside an API property is written when `Globals` and the API may each write part
   * of it (`Domain.SecurityPolicy` in `Globals.Api`, `Domain.BasePath` on the API): the deepest of
   * the two that writes the path, the API's own first; else the one that writes its first segment.
   */
  private deepProp(api: CfnResource, section: 'Api' | 'HttpApi', path: readonly string[]): SourceLocation {
    const globals = api.globals[section];
    const inGlobals = isObject(globals) && Object.hasOwn(globals, path[0]!) ? api.template.positions.nearest(['Globals', section, ...path]) : undefined;
    if (Object.hasOwn(api.rawProperties, path[0]!) && (has(api.rawProperties, path) || !inGlobals || !has(rawGlobals(api, section), path))) return api.locate(path);
    return inGlobals ?? api.location;
  }

  /**
   * The custom domain, and its mappings to this API, that SAM creates from the API's `Domain` (with
   * `Globals`); one domain resource for APIs that declare the same domain name. Located at `Domain`.
   */
  private domain(api: CfnResource, section: 'Api' | 'HttpApi', properties: ValueObject, address: string, stage: Value): void {
    if (properties.Domain === undefined || properties.Domain === null) return;
    if (!isObject(properties.Domain)) {
      // A Domain chosen by a condition that cannot be decided (Fn::If on a parameter without a value):
      // whether the API gets a domain, and with which settings, is not known.
      this.diagnostics.push({
        severity: 'warning',
        code: 'unresolved',
        message: `the Domain of ${address} is not known (${properties.Domain instanceof Unknown ? properties.Domain.reason : 'not an object'}), so the custom domain SAM would create for it is not checked, nor is the API's default endpoint behind it`,
        location: this.deepProp(api, section, ['Domain']),
        address,
      });
      return;
    }
    const missing = ['DomainName', 'CertificateArn'].filter((key) => (properties.Domain as ValueObject)[key] === undefined || (properties.Domain as ValueObject)[key] === null);
    if (missing.length > 0) {
      // SAM refuses the template ("Custom Domains only works if both DomainName and CertificateArn
      // are provided"): nothing of it is deployed, and no domain is made up here.
      this.diagnostics.push({
        severity: 'error',
        code: 'invalid-value',
        message: `the Domain of ${address} has no ${missing.join(' and ')}, which SAM requires: the transform fails, so the template deploys nothing and this domain is not checked. Add ${missing.length === 1 ? 'it' : 'them'} (in the API's Domain or in Globals)`,
        location: this.deepProp(api, section, ['Domain']),
        address,
      });
      return;
    }
    // DomainName as written (the API's own, else Globals'), which names the domain resource when its value is not known.
    const own = api.rawProperties.Domain;
    const global = rawGlobals(api, section)?.Domain;
    const rawDomainName = isRecord(own) && own.DomainName !== undefined ? own.DomainName : isRecord(global) ? global.DomainName : undefined;
    const generated = samDomainResources({
      kind: section === 'Api' ? 'rest' : 'http',
      api: address,
      stage,
      domain: properties.Domain,
      rawDomainName,
      prefix: this.prefix,
      locate: (inside) => this.deepProp(api, section, ['Domain', ...inside.map(String)]),
      ref: (target) => ref(target),
    });
    // A set, not a search of `out` per resource: a BasePath list of 200,000 entries is as many
    // mappings, and a search per mapping took minutes.
    const emitted = new Set(this.out.map((existing) => existing.address));
    for (const resource of generated) {
      // APIs that declare the same domain name (Globals.Api.Domain) share SAM's one domain resource;
      // each still gets its mappings, which are named after the API. Base paths that SAM names alike
      // (`/a` and `a`) are one mapping.
      if (emitted.has(resource.address)) continue;
      emitted.add(resource.address);
      this.emit(api, resource.address, resource.type, resource.properties, resource.locations, resource.at);
    }
  }

  /**
   * Where DisableExecuteApiEndpoint is written, or, when it is not, the API's `Domain`: the domain is
   * what makes the default endpoint a way around it, and the setting goes beside it.
   */
  private executeApiAt(api: CfnResource, section: 'Api' | 'HttpApi', properties: ValueObject): SourceLocation {
    if (Object.hasOwn(api.rawProperties, 'DisableExecuteApiEndpoint')) return api.locate(['DisableExecuteApiEndpoint']);
    const globals = api.globals[section];
    if (isObject(globals) && Object.hasOwn(globals, 'DisableExecuteApiEndpoint')) return this.prop(api, section, ['DisableExecuteApiEndpoint']);
    return properties.Domain !== undefined && properties.Domain !== null ? this.deepProp(api, section, ['Domain']) : api.location;
  }

  /**
   * The request model, parameters and validator SAM gives the method of an Api event: `RequestModel`
   * (`Model`, `ValidateBody`, `ValidateParameters`) becomes the method's request model and a request
   * validator, `RequestParameters` (names, or names with `Required`) its parameters.
   * https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-function-requestmodel.html
   * With neither Validate flag written, what SAM validates is not documented: unknown.
   */
  private requestChecks(route: Route, api: string): ValueObject {
    const out: ValueObject = {};
    const model = route.request?.model;
    if (isObject(model)) {
      if (model.Model !== undefined) out.RequestModels = { 'application/json': model.Model };
      if (model.ValidateBody === undefined && model.ValidateParameters === undefined) {
        out.RequestValidatorId = new Unknown(`the event ${route.event} sets a RequestModel without ValidateBody or ValidateParameters, and what SAM then validates is not documented`);
      } else {
        const validator = `${route.source.address}.${route.event}Validator`;
        this.emit(
          route.source,
          validator,
          'AWS::ApiGateway::RequestValidator',
          { RestApiId: ref(api), ValidateRequestBody: model.ValidateBody ?? false, ValidateRequestParameters: model.ValidateParameters ?? false },
          {},
          route.source.locate([...route.eventPath, 'Properties', 'RequestModel']),
        );
        out.RequestValidatorId = ref(validator);
      }
    } else if (model instanceof Unknown) {
      out.RequestValidatorId = model;
    }
    const parameters = route.request?.parameters;
    if (Array.isArray(parameters)) {
      const map: ValueObject = {};
      for (const parameter of parameters) {
        if (typeof parameter === 'string') map[parameter] = false;
        else if (isObject(parameter)) for (const [name, settings] of Object.entries(parameter)) map[name] = isObject(settings) ? (settings.Required ?? false) : false;
      }
      out.RequestParameters = map;
    } else if (parameters instanceof Unknown) {
      out.RequestParameters = parameters;
    }
    return out;
  }

  private collectEvents(fn: CfnResource): void {
    const events = withGlobals(fn.properties, fn.globals.Function).Events;
    if (!isObject(events)) return;
    for (const [name, event] of Object.entries(events)) {
      if (!isObject(event) || !isObject(event.Properties ?? {})) continue;
      const properties = (event.Properties ?? {}) as ValueObject;
      const eventPath = ['Events', name];
      const auth = isObject(properties.Auth) ? properties.Auth : {};
      if (event.Type === 'Api') {
        const api = apiAddress(properties.RestApiId, `${this.prefix}ServerlessRestApi`);
        const request = {
          ...(properties.RequestModel !== undefined ? { model: properties.RequestModel } : {}),
          ...(properties.RequestParameters !== undefined ? { parameters: properties.RequestParameters } : {}),
        };
        const route: Route = { source: fn, event: name, path: properties.Path ?? '/', method: properties.Method ?? 'ANY', auth, eventPath, request };
        this.restRoutes.set(api, [...(this.restRoutes.get(api) ?? []), route]);
      } else if (event.Type === 'HttpApi') {
        const api = apiAddress(properties.ApiId, `${this.prefix}ServerlessHttpApi`);
        const route: Route = { source: fn, event: name, path: properties.Path ?? '$default', method: properties.Method ?? 'ANY', auth, eventPath };
        this.httpRoutes.set(api, [...(this.httpRoutes.get(api) ?? []), route]);
      }
    }
  }

  /** Adds a generated CloudFormation resource, located at its SAM source. */
  private emit(source: CfnResource, address: string, type: string, properties: ValueObject, locations: Record<string, readonly string[] | SourceLocation | LocateInside> = {}, at?: SourceLocation): void {
    const location = at ?? source.location;
    this.out.push({
      ...source,
      address,
      logicalId: address.slice(this.prefix.length),
      type,
      properties,
      rawProperties: {},
      location,
      locate: (path) => {
        const mapped = locations[String(path[0])];
        if (mapped === undefined) return location;
        if (typeof mapped === 'function') return mapped(path.slice(1));
        // The rest of the path reaches inside the property (`Body` -> `DefinitionBody/paths/...`).
        return isPath(mapped) ? source.locate([...mapped, ...path.slice(1)]) : mapped;
      },
      parameterSources: {},
    });
  }

  private restApi(api: CfnResource, properties: ValueObject, address: string): void {
    const auth = isObject(properties.Auth) ? properties.Auth : {};
    const stageName = properties.StageName ?? new Unknown('StageName is not set');
    const endpoint = properties.EndpointConfiguration;
    const endpointType = isObject(endpoint) ? endpoint.Type : endpoint;
    const routes = this.restRoutes.get(address) ?? [];
    const policyParts: SamPolicyPart[] = [];
    // Written on the API or in Globals.Api (an implicit API has only the latter).
    if (auth.ResourcePolicy !== undefined) policyParts.push({ policy: auth.ResourcePolicy, resource: 'execute-api:/*', locate: (inside) => this.prop(api, 'Api', ['Auth', 'ResourcePolicy', ...inside.map(String)]) });
    for (const route of routes) {
      if (route.auth.ResourcePolicy === undefined) continue;
      policyParts.push({
        policy: route.auth.ResourcePolicy,
        resource: eventPolicyResource(route.method, route.path),
        locate: (inside) => route.source.locate([...route.eventPath, 'Properties', 'Auth', 'ResourcePolicy', ...inside]),
      });
    }
    const samPolicy = policyParts.length > 0 ? samResourcePolicy(policyParts) : undefined;
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    // Function events change an inline body only with MergeDefinitions or their own OverrideApiAuth.
    const withEvents = isObject(properties.DefinitionBody) ? this.eventsIntoBody(api, properties.DefinitionBody, routes, authorizers, properties.MergeDefinitions === true) : undefined;
    const inline = isObject(properties.DefinitionBody) || properties.DefinitionBody instanceof Unknown ? this.bodyWithAuth(withEvents?.body ?? properties.DefinitionBody, auth) : undefined;
    // A DefinitionUri file is deployed as it is: SAM adds neither authorizers nor CORS to it.
    const body = inline ?? this.definitionFile(api, properties, address);
    // Without a definition, SAM builds the API from the template's function events and nothing else.
    const routesOnlyHere = properties.DefinitionBody === undefined && properties.DefinitionUri === undefined;
    if (routesOnlyHere && routes.length === 0) {
      this.diagnostics.push({
        severity: 'info',
        code: 'invalid-value',
        message: `API ${address} has no routes: it has no DefinitionBody or DefinitionUri and no function event names it, and a SAM API gets its routes from nothing else; API Gateway refuses to deploy a REST API without methods. Its stages are not checked for per-route settings such as throttling`,
        location: api.location,
        address,
      });
    }
    this.emit(
      api,
      address,
      'AWS::ApiGateway::RestApi',
      {
        ...(properties.Name !== undefined ? { Name: properties.Name } : { Name: api.logicalId }),
        ...(body !== undefined ? { Body: body } : {}),
        // SAM tags the stage, and the API too with PropagateTags; the API carries them either way:
        // they name who owns it (owners are read from tags; no policy reads them).
        ...(properties.Tags !== undefined ? { Tags: properties.Tags } : {}),
        ...(endpointType !== undefined ? { EndpointConfiguration: { Types: [endpointType] } } : {}),
        ...(properties.DisableExecuteApiEndpoint !== undefined ? { DisableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint } : {}),
        ...(properties.ApiKeySourceType !== undefined ? { ApiKeySourceType: properties.ApiKeySourceType } : {}),
        ...(samPolicy ? { Policy: samPolicy.document } : {}),
        // Its routes are all in this template: the events, or an inline body (whose paths SAM and
        // CloudFormation conditions may leave empty). Only a body read elsewhere can hold more.
        ...(routesOnlyHere || isObject(properties.DefinitionBody) ? { [ROUTES_ONLY_IN_SOURCE]: true } : {}),
      },
      {
        Name: ['Name'],
        Body: withEvents ? withEvents.locate : [inline === undefined && body !== undefined ? 'DefinitionUri' : 'DefinitionBody'],
        EndpointConfiguration: ['EndpointConfiguration'],
        DisableExecuteApiEndpoint: this.executeApiAt(api, 'Api', properties),
        ...(samPolicy ? { Policy: samPolicy.locate } : {}),
      },
    );
    const stage = `${address}${typeof stageName === 'string' ? stageName : ''}Stage`;
    // The implicit API has no block: its stage settings can only come from Globals.Api, which is where a
    // finding about them points when that section exists.
    const implicit = !this.resources.some((resource) => resource.address === address);
    const globalApi = implicit && isObject(api.globals.Api) ? api.template.positions.nearest(['Globals', 'Api']) : undefined;
    const stageAt = properties.MethodSettings !== undefined ? this.prop(api, 'Api', ['MethodSettings']) : (globalApi ?? api.location);
    this.emit(
      api,
      stage,
      'AWS::ApiGateway::Stage',
      {
        RestApiId: ref(address),
        StageName: stageName,
        ...(properties.MethodSettings !== undefined ? { MethodSettings: properties.MethodSettings } : {}),
        ...(properties.TracingEnabled !== undefined ? { TracingEnabled: properties.TracingEnabled } : {}),
        ...(properties.AccessLogSetting !== undefined ? { AccessLogSetting: properties.AccessLogSetting } : {}),
        ...(properties.CacheClusterEnabled !== undefined ? { CacheClusterEnabled: properties.CacheClusterEnabled } : {}),
        // Stage variables, where a literal credential is reported by its name (never its value).
        ...(properties.Variables !== undefined ? { Variables: properties.Variables } : {}),
        ...(properties.Tags !== undefined ? { Tags: properties.Tags } : {}),
      },
      {
        StageName: this.prop(api, 'Api', ['StageName']),
        Variables: (inside) => this.deepProp(api, 'Api', ['Variables', ...inside.map(String)]),
        MethodSettings: this.listEntry(api, 'Api', 'MethodSettings'),
        AccessLogSetting: this.prop(api, 'Api', ['AccessLogSetting']),
        TracingEnabled: this.prop(api, 'Api', ['TracingEnabled']),
        CacheClusterEnabled: this.prop(api, 'Api', ['CacheClusterEnabled']),
      },
      stageAt,
    );
    // Without OpenApiVersion, SAM's deployment also creates a stage named "Stage", with none of the
    // API's stage settings (no throttling, no logging); it is reachable like any other stage. Setting
    // OpenApiVersion (in Globals.Api or on the API) removes it:
    // https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-resource-api.html#sam-api-openapiversion
    // ("setting this property to any valid value will also remove the stage Stage that SAM creates").
    this.domain(api, 'Api', properties, address, stageName);
    if (properties.OpenApiVersion === undefined) {
      this.emit(api, `${address}Deployment`, 'AWS::ApiGateway::Deployment', { RestApiId: ref(address), StageName: 'Stage', [IMPLICIT_STAGE]: 'sam-stage' }, {}, globalApi ?? api.location);
    }

    for (const [name, definition] of Object.entries(authorizers)) {
      if (!isObject(definition)) continue;
      const lambda = definition.FunctionArn !== undefined;
      const identity = isObject(definition.Identity) ? definition.Identity : {};
      this.emit(
        api,
        `${address}${name}Authorizer`,
        'AWS::ApiGateway::Authorizer',
        {
          Name: name,
          RestApiId: ref(address),
          Type: lambda ? (definition.FunctionPayloadType === 'REQUEST' ? 'REQUEST' : 'TOKEN') : 'COGNITO_USER_POOLS',
          ...(identity.ReauthorizeEvery !== undefined ? { AuthorizerResultTtlInSeconds: identity.ReauthorizeEvery } : {}),
          ...samIdentitySource(identity, lambda && definition.FunctionPayloadType === 'REQUEST' ? 'rest-request' : 'rest-token'),
          ...(lambda ? { AuthorizerUri: definition.FunctionArn ?? null } : { ProviderARNs: [definition.UserPoolArn ?? null] }),
        },
        {},
        api.locate(['Auth', 'Authorizers', name]),
      );
    }

    const paths = new Map<string, Value>();
    // With a definition that is read, the routes are its operations (events merged in above); SAM
    // builds the definition from the events only for an API that has none.
    for (const route of isObject(body) ? [] : routes) {
      const resourceId = typeof route.path === 'string' ? this.resourceFor(api, address, route.path, paths) : new Unknown('the event Path is unknown');
      const method = typeof route.method === 'string' ? (route.method.toLowerCase() === 'any' ? 'ANY' : route.method.toUpperCase()) : route.method;
      const [authorization, authorizerId] = this.restAuthorization(route.auth.Authorizer ?? auth.DefaultAuthorizer, address, authorizers);
      const apiKeyRequired = route.auth.ApiKeyRequired ?? auth.ApiKeyRequired ?? false;
      this.emit(
        route.source,
        `${route.source.address}.${route.event}`,
        'AWS::ApiGateway::Method',
        {
          RestApiId: ref(address),
          ResourceId: resourceId,
          HttpMethod: method,
          AuthorizationType: authorization,
          ...(authorizerId ? { AuthorizerId: authorizerId } : {}),
          ApiKeyRequired: apiKeyRequired,
          Integration: { Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST', Uri: ref(route.source.address, 'Arn') },
          ...this.requestChecks(route, address),
        },
        {
          AuthorizationType: route.auth.Authorizer !== undefined ? [...route.eventPath, 'Properties', 'Auth', 'Authorizer'] : [...route.eventPath],
          ApiKeyRequired: route.auth.ApiKeyRequired !== undefined ? [...route.eventPath, 'Properties', 'Auth', 'ApiKeyRequired'] : [...route.eventPath],
          HttpMethod: [...route.eventPath, 'Properties', 'Method'],
          RequestValidatorId: [...route.eventPath, 'Properties', 'RequestModel'],
          RequestModels: [...route.eventPath, 'Properties', 'RequestModel'],
          RequestParameters: [...route.eventPath, 'Properties', 'RequestParameters'],
        },
        route.source.locate(route.eventPath),
      );
    }

    // Cors: SAM adds a mock OPTIONS method answering the CORS headers to every path of the API.
    const cors = properties.Cors;
    if (cors !== undefined && cors !== null) {
      const settings = typeof cors === 'string' || cors instanceof Unknown ? { AllowOrigin: cors } : isObject(cors) ? cors : {};
      const bodyPaths = isObject(body) && isObject(body.paths) ? Object.keys(body.paths) : [];
      // SAM puts the default authorizer on preflights too unless AddDefaultAuthorizerToCorsPreflight is false.
      const [preflightType, preflightAuthorizer] =
        auth.AddDefaultAuthorizerToCorsPreflight === false ? ['NONE', undefined] : this.restAuthorization(auth.DefaultAuthorizer, address, authorizers);
      const preflightAuth: ValueObject = { AuthorizationType: preflightType, ...(preflightAuthorizer ? { AuthorizerId: preflightAuthorizer } : {}) };
      // Preflights go on the paths the API defines (events and the body), not on the intermediate
      // resources (`/webhooks` of `/webhooks/stripe`), which SAM's generated definition does not list.
      const eventPaths = isObject(body) ? [] : routes.map((route) => route.path).filter((path): path is string => typeof path === 'string');
      for (const path of new Set([...eventPaths, ...bodyPaths])) {
        const resourceId = this.resourceFor(api, address, path, paths);
        this.emit(
          api,
          `${address}${path.replace(/[^A-Za-z0-9]/g, '')}OptionsMethod`,
          'AWS::ApiGateway::Method',
          {
            RestApiId: ref(address),
            ResourceId: resourceId,
            HttpMethod: 'OPTIONS',
            ...preflightAuth,
            Integration: {
              Type: 'MOCK',
              IntegrationResponses: [
                {
                  StatusCode: '200',
                  // SAM writes header values as API Gateway mapping text ("'*'"), which is what the adapter reads.
                  ResponseParameters: {
                    ...(settings.AllowOrigin != null ? { 'method.response.header.Access-Control-Allow-Origin': settings.AllowOrigin } : {}),
                    ...(settings.AllowMethods != null ? { 'method.response.header.Access-Control-Allow-Methods': settings.AllowMethods } : {}),
                    ...(settings.AllowHeaders != null ? { 'method.response.header.Access-Control-Allow-Headers': settings.AllowHeaders } : {}),
                    ...(settings.AllowCredentials === true ? { 'method.response.header.Access-Control-Allow-Credentials': "'true'" } : {}),
                  },
                },
              ],
            },
          },
          { Integration: this.prop(api, 'Api', isObject(cors) ? ['Cors', 'AllowOrigin'] : ['Cors']) },
          this.prop(api, 'Api', ['Cors']),
        );
      }
    }

    const plan = isObject(auth.UsagePlan) ? auth.UsagePlan : undefined;
    if (plan && plan.CreateUsagePlan !== 'NONE') {
      this.emit(
        api,
        `${address}UsagePlan`,
        'AWS::ApiGateway::UsagePlan',
        {
          ApiStages: [{ ApiId: ref(address), Stage: stageName }],
          ...(plan.Throttle !== undefined ? { Throttle: plan.Throttle } : {}),
          ...(plan.Quota !== undefined ? { Quota: plan.Quota } : {}),
        },
        { Throttle: ['Auth', 'UsagePlan', 'Throttle'], Quota: ['Auth', 'UsagePlan', 'Quota'] },
        api.locate(['Auth', 'UsagePlan']),
      );
      // The usage plan comes with an API key whose value API Gateway generates.
      const key = plan.CreateUsagePlan === 'SHARED' ? `${this.prefix}ServerlessApiKey` : `${address}ApiKey`;
      if (!this.out.some((resource) => resource.address === key)) {
        this.emit(api, key, 'AWS::ApiGateway::ApiKey', { Enabled: true, StageKeys: [{ RestApiId: ref(address), StageName: stageName }] }, {}, api.locate(['Auth', 'UsagePlan']));
      }
    }

    const responses = properties.GatewayResponses;
    if (isObject(responses)) {
      for (const [type, response] of Object.entries(responses)) {
        const headers = isObject(response) && isObject(response.ResponseParameters) && isObject(response.ResponseParameters.Headers) ? response.ResponseParameters.Headers : {};
        const parameters: ValueObject = {};
        for (const [header, value] of Object.entries(headers)) parameters[`gatewayresponse.header.${header}`] = value;
        this.emit(api, `${address}${type}GatewayResponse`, 'AWS::ApiGateway::GatewayResponse', { RestApiId: ref(address), ResponseType: type, ResponseParameters: parameters }, {}, api.locate(['GatewayResponses', type]));
      }
    }
  }

  /** SAM's authorization for a REST route: NONE, AWS_IAM, or a named Cognito/Lambda authorizer. */
  private restAuthorization(name: Value | undefined, api: string, authorizers: ValueObject): [Value, Value | undefined] {
    if (name === undefined || name === 'NONE') return ['NONE', undefined];
    if (name === 'AWS_IAM') return ['AWS_IAM', undefined];
    if (name instanceof Unknown) return [name, undefined];
    const definition = authorizers[String(name)];
    const lambda = isObject(definition) && definition.FunctionArn !== undefined;
    return [lambda ? 'CUSTOM' : 'COGNITO_USER_POOLS', ref(`${api}${String(name)}Authorizer`)];
  }

  /** The resource chain of a path under a REST API (`/users/{id}`), created once per path. */
  private resourceFor(api: CfnResource, address: string, path: string, paths: Map<string, Value>): Value {
    const segments = path.split('/').filter(Boolean);
    let parent: Value = ref(address, 'RootResourceId');
    let current = '';
    for (const segment of segments) {
      current += `/${segment}`;
      const existing = paths.get(current);
      if (existing) {
        parent = existing;
        continue;
      }
      const resourceAddress = `${address}${current.replace(/[^A-Za-z0-9]/g, '')}Resource`;
      this.emit(api, resourceAddress, 'AWS::ApiGateway::Resource', { RestApiId: ref(address), ParentId: parent, PathPart: segment });
      parent = ref(resourceAddress);
      paths.set(current, parent);
    }
    if (segments.length === 0) paths.set('/', parent);
    return parent;
  }

  /**
   * The OpenAPI definition a `DefinitionUri` names: a local file, read by the template's reader; an S3
   * object (`s3://...` or `Bucket`/`Key`) is not in the repository, which a diagnostic says.
   */
  private definitionFile(api: CfnResource, properties: ValueObject, address: string): Value | undefined {
    const read = api.documents?.DefinitionUri;
    if (read !== undefined) return read as Value;
    if (properties.DefinitionUri === undefined) return undefined;
    this.diagnostics.push({
      severity: 'error',
      code: 'not-scanned',
      message: `the OpenAPI definition of ${address} is in DefinitionUri, an S3 object that only the deployment reads; the routes it defines are not checked. Point DefinitionUri at the file in the repository (sam deploy uploads it), use DefinitionBody with Fn::Transform AWS::Include, or scan that file too`,
      location: api.locate(['DefinitionUri']),
      address,
    });
    return undefined;
  }

  /**
   * What function events do to an API's inline DefinitionBody, as SAM does it before the API's own
   * Auth defaults: with `MergeDefinitions: true`, each event's operation (an `aws_proxy` integration,
   * and a `security` from its `Auth.Authorizer` with `AuthorizationScopes` or the authorizer's, plus
   * `{api_key: []}` for `ApiKeyRequired`) is merged into the body's operation of the same path and
   * method, the event's keys winning (so its `security` replaces the body's); with `Auth.OverrideApiAuth`
   * the event's requirements are appended to the body's operation; otherwise the body is deployed as
   * written and an event whose operation it lacks adds no route (an info diagnostic says so). Where a
   * merged key is read, locations point at the event.
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/eventsources/push.py (`_add_swagger_integration`, `_get_merged_definitions`, `add_auth_to_swagger`)
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/swagger/swagger.py (`_set_method_authorizer`, `_set_method_apikey_handling`)
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/plugins/api/implicit_api_plugin.py ("customers write their own Swagger and manage it")
   */
  private eventsIntoBody(api: CfnResource, body: ValueObject, routes: readonly Route[], authorizers: ValueObject, merge: boolean): { body: ValueObject; locate: LocateInside } {
    const paths: ValueObject = isObject(body.paths) ? { ...body.paths } : {};
    const placed = new Map<string, { route: Route; keys: ReadonlySet<string>; added: boolean }>();
    const neededSchemes = new Set<string>();
    for (const route of routes) {
      if (typeof route.path !== 'string' || typeof route.method !== 'string') continue;
      const methodKey = route.method.toLowerCase() === 'any' ? 'x-amazon-apigateway-any-method' : route.method.toLowerCase();
      const item = paths[route.path];
      const existing = isObject(item) ? item[methodKey] : undefined;
      const hasAuth = route.auth.Authorizer !== undefined || route.auth.ApiKeyRequired !== undefined;
      if (merge) {
        const generated: ValueObject = {
          responses: {},
          'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: ref(route.source.address, 'Arn') },
          ...(hasAuth ? { security: eventSecurity([], route.auth, authorizers, neededSchemes) } : {}),
        };
        paths[route.path] = { ...(isObject(item) ? item : {}), [methodKey]: { ...(isObject(existing) ? existing : {}), ...generated } };
        placed.set(`${route.path} ${methodKey}`, { route, keys: new Set(Object.keys(generated)), added: !isObject(existing) });
      } else if (route.auth.OverrideApiAuth === true && hasAuth && isObject(item) && isObject(existing) && isObject(existing['x-amazon-apigateway-integration'])) {
        // SAM rejects a security that is not a list; the reader reports it where it is written.
        if (existing.security !== undefined && !Array.isArray(existing.security)) continue;
        paths[route.path] = { ...item, [methodKey]: { ...existing, security: eventSecurity(existing.security ?? [], route.auth, authorizers, neededSchemes) } };
        placed.set(`${route.path} ${methodKey}`, { route, keys: new Set(['security']), added: false });
      } else if (!isObject(existing)) {
        this.diagnostics.push({
          severity: 'info',
          code: 'unresolved',
          message: `event ${route.event} of ${route.source.address} is for ${route.method.toUpperCase()} ${route.path}, which the DefinitionBody of ${api.address} does not define: SAM deploys the body as written and adds no route for the event (set MergeDefinitions: true on the API to have it added)`,
          location: route.source.locate(route.eventPath),
          address: route.source.address,
        });
      }
    }
    const isOpenApi3 = typeof body.openapi === 'string';
    const components = isObject(body.components) ? body.components : {};
    const schemes = isOpenApi3 ? (isObject(components.securitySchemes) ? components.securitySchemes : {}) : isObject(body.securityDefinitions) ? body.securityDefinitions : {};
    const added: ValueObject = {};
    if (neededSchemes.has('api_key') && schemes.api_key === undefined) added.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    if (neededSchemes.has('AWS_IAM') && schemes.AWS_IAM === undefined) added.AWS_IAM = this.authorizerScheme('AWS_IAM', undefined);
    const withSchemes = { ...schemes, ...added };
    const merged: ValueObject = {
      ...body,
      ...(placed.size > 0 ? { paths } : {}),
      ...(Object.keys(added).length === 0 ? {} : isOpenApi3 ? { components: { ...components, securitySchemes: withSchemes } } : { securityDefinitions: withSchemes }),
    };
    const locate: LocateInside = (inside) => {
      const [section, path, method, key] = inside;
      const found = section === 'paths' ? placed.get(`${String(path)} ${String(method)}`) : undefined;
      if (found && ((key === undefined && found.added) || (key !== undefined && found.keys.has(String(key))))) {
        const { route } = found;
        const auth = [...route.eventPath, 'Properties', 'Auth'];
        if (key === 'security') return route.source.locate(route.auth.Authorizer !== undefined ? [...auth, 'Authorizer'] : [...auth, 'ApiKeyRequired']);
        return route.source.locate(route.eventPath);
      }
      return api.locate(['DefinitionBody', ...inside]);
    };
    return { body: merged, locate };
  }

  /**
   * What SAM writes into a DefinitionBody before API Gateway imports it: a security scheme for each of
   * Auth.Authorizers, and for every operation with an
   * `x-amazon-apigateway-integration` (and OPTIONS too unless AddDefaultAuthorizerToCorsPreflight is
   * false), SAM appends `{DefaultAuthorizer: scopes}` to the operation's own `security` when none of its
   * requirement objects names an authorizer (AWS_IAM or one of Auth.Authorizers) or the `NONE` marker,
   * and `{api_key: []}` when Auth.ApiKeyRequired is true and none names `api_key`. The entries are
   * separate requirement objects, which API Gateway's import reads as "all of them" (see
   * `awsMethodSecurity`), so an operation's `[{api_key: []}]` becomes a method with the authorizer and
   * the key.
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/swagger/swagger.py (`set_path_default_authorizer`, `set_path_default_apikey_required`)
   */
  private bodyWithAuth(body: Value | undefined, auth: ValueObject): Value | undefined {
    if (!isObject(body)) return body;
    const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' && auth.DefaultAuthorizer !== 'NONE' ? auth.DefaultAuthorizer : undefined;
    const keyRequired = auth.ApiKeyRequired === true;
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    if (defaultAuthorizer === undefined && !keyRequired && Object.keys(authorizers).length === 0) return body;
    const authorizerNames = new Set(['AWS_IAM', ...Object.keys(authorizers)]);
    const isOpenApi3 = typeof body.openapi === 'string';
    const components = isObject(body.components) ? body.components : {};
    const schemes = isOpenApi3 ? (isObject(components.securitySchemes) ? components.securitySchemes : {}) : isObject(body.securityDefinitions) ? body.securityDefinitions : {};
    // SAM defines a scheme for each of Auth.Authorizers (and AWS_IAM when it is the default), unless the body has one.
    const added: ValueObject = {};
    for (const name of [...Object.keys(authorizers), ...(defaultAuthorizer === 'AWS_IAM' ? ['AWS_IAM'] : [])]) {
      if (schemes[name] === undefined) added[name] = this.authorizerScheme(name, authorizers[name]);
    }
    if (keyRequired && schemes.api_key === undefined) added.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
    const definition = isObject(defaultAuthorizer !== undefined ? authorizers[defaultAuthorizer] : undefined) ? (authorizers[defaultAuthorizer!] as ValueObject) : {};
    const scopes: Value = Array.isArray(definition.AuthorizationScopes) ? definition.AuthorizationScopes : [];
    const withPreflight = auth.AddDefaultAuthorizerToCorsPreflight !== false;

    const paths: ValueObject = {};
    for (const [path, item] of Object.entries(isObject(body.paths) ? body.paths : {})) {
      if (!isObject(item)) {
        paths[path] = item;
        continue;
      }
      const methods: ValueObject = {};
      for (const [key, operation] of Object.entries(item)) {
        if (key === 'parameters' || !isObject(operation) || !isObject(operation['x-amazon-apigateway-integration'])) {
          methods[key] = operation;
          continue;
        }
        const existing = Array.isArray(operation.security) ? operation.security : [];
        if (operation.security instanceof Unknown) {
          methods[key] = operation;
          continue;
        }
        const names = (requirement: Value): string[] => (isObject(requirement) ? Object.keys(requirement) : []);
        let security: Value[] = [...existing];
        if (defaultAuthorizer !== undefined && (withPreflight || key.toLowerCase() !== 'options')) {
          const hasNone = security.some((requirement) => names(requirement).includes('NONE'));
          const hasAuthorizer = security.some((requirement) => names(requirement).some((name) => authorizerNames.has(name)));
          if (hasNone) security = security.filter((requirement) => !names(requirement).includes('NONE'));
          else if (!hasAuthorizer) security.push({ [defaultAuthorizer]: scopes });
        }
        if (keyRequired) {
          // An event's `ApiKeyRequired: false` leaves the marker `api_key_false`, which SAM removes.
          const optedOut = security.some((requirement) => names(requirement).includes('api_key_false'));
          security = security.filter((requirement) => !names(requirement).includes('api_key_false'));
          if (!optedOut && !security.some((requirement) => names(requirement).includes('api_key'))) security.push({ api_key: [] });
        }
        const unchanged = security.length === existing.length && security.every((requirement, index) => requirement === existing[index]);
        methods[key] = unchanged ? operation : { ...operation, security };
      }
      paths[path] = methods;
    }
    const withSchemes = { ...schemes, ...added };
    return {
      ...body,
      ...(isObject(body.paths) ? { paths } : {}),
      ...(Object.keys(added).length === 0 ? {} : isOpenApi3 ? { components: { ...components, securitySchemes: withSchemes } } : { securityDefinitions: withSchemes }),
    };
  }

  /** The security scheme SAM writes for an authorizer of Auth.Authorizers (or AWS_IAM). */
  private authorizerScheme(name: string, definition: Value | undefined): ValueObject {
    if (name === 'AWS_IAM') return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
    if (isObject(definition) && definition.FunctionArn !== undefined) {
      return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: definition.FunctionPayloadType === 'REQUEST' ? 'request' : 'token', authorizerUri: definition.FunctionArn } };
    }
    return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [isObject(definition) ? (definition.UserPoolArn ?? null) : null] } };
  }

  private httpApi(api: CfnResource, properties: ValueObject, address: string): void {
    const auth = isObject(properties.Auth) ? properties.Auth : {};
    const eventRoutes = this.httpRoutes.get(address) ?? [];
    // An inline body is what SAM edits: the events become its operations, with the API's authorizers.
    const edited = isObject(properties.DefinitionBody) ? this.httpEventsIntoBody(api, properties.DefinitionBody, eventRoutes, auth) : undefined;
    const body = edited?.body ?? properties.DefinitionBody ?? this.definitionFile(api, properties, address);
    const cors = properties.CorsConfiguration;
    const corsConfiguration =
      cors === true ? { AllowOrigins: ['*'], AllowMethods: ['*'], AllowHeaders: ['*'] } : isObject(cors) || cors instanceof Unknown ? cors : undefined;
    this.emit(
      api,
      address,
      'AWS::ApiGatewayV2::Api',
      {
        Name: properties.Name ?? api.logicalId,
        ProtocolType: 'HTTP',
        // As for a REST API: the stage's tags, on the API as well, for owners.
        ...(properties.Tags !== undefined ? { Tags: properties.Tags } : {}),
        ...(body !== undefined ? { Body: body } : {}),
        ...(corsConfiguration !== undefined ? { CorsConfiguration: corsConfiguration } : {}),
        ...(properties.DisableExecuteApiEndpoint !== undefined ? { DisableExecuteApiEndpoint: properties.DisableExecuteApiEndpoint } : {}),
        // With an inline body its routes are all here; without a definition too, unless the template
        // exports the API's id for other stacks to attach routes (AWS::ApiGatewayV2::Route) to it.
        ...(isObject(properties.DefinitionBody) || (properties.DefinitionBody === undefined && properties.DefinitionUri === undefined && !exportsRef(api)) ? { [ROUTES_ONLY_IN_SOURCE]: true } : {}),
      },
      {
        Body: edited ? edited.locate : [properties.DefinitionBody === undefined && body !== undefined ? 'DefinitionUri' : 'DefinitionBody'],
        CorsConfiguration: this.prop(api, 'HttpApi', ['CorsConfiguration']),
        Name: ['Name'],
        DisableExecuteApiEndpoint: this.executeApiAt(api, 'HttpApi', properties),
      },
    );
    this.emit(
      api,
      `${address}ApiGatewayDefaultStage`,
      'AWS::ApiGatewayV2::Stage',
      {
        ApiId: ref(address),
        StageName: properties.StageName ?? '$default',
        ...(properties.DefaultRouteSettings !== undefined ? { DefaultRouteSettings: properties.DefaultRouteSettings } : {}),
        ...(properties.RouteSettings !== undefined ? { RouteSettings: properties.RouteSettings } : {}),
        ...(properties.AccessLogSettings !== undefined ? { AccessLogSettings: properties.AccessLogSettings } : {}),
        ...(properties.StageVariables !== undefined ? { StageVariables: properties.StageVariables } : {}),
        ...(properties.Tags !== undefined ? { Tags: properties.Tags } : {}),
      },
      {
        // Maps, merged key by key with Globals: a setting is where the API or Globals writes it.
        DefaultRouteSettings: (inside) => this.deepProp(api, 'HttpApi', ['DefaultRouteSettings', ...inside.map(String)]),
        RouteSettings: (inside) => this.deepProp(api, 'HttpApi', ['RouteSettings', ...inside.map(String)]),
        AccessLogSettings: this.prop(api, 'HttpApi', ['AccessLogSettings']),
        StageVariables: (inside) => this.deepProp(api, 'HttpApi', ['StageVariables', ...inside.map(String)]),
      },
    );
    this.domain(api, 'HttpApi', properties, address, properties.StageName ?? '$default');
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    for (const [name, definition] of Object.entries(authorizers)) {
      if (!isObject(definition)) continue;
      const jwt = isObject(definition.JwtConfiguration) ? definition.JwtConfiguration : undefined;
      this.emit(
        api,
        `${address}${name}Authorizer`,
        'AWS::ApiGatewayV2::Authorizer',
        {
          ApiId: ref(address),
          Name: name,
          AuthorizerType: jwt ? 'JWT' : 'REQUEST',
          ...(jwt ? { JwtConfiguration: { Issuer: jwt.issuer ?? jwt.Issuer ?? null, Audience: jwt.audience ?? jwt.Audience ?? [] } } : {}),
          ...(definition.IdentitySource !== undefined ? { IdentitySource: [definition.IdentitySource] } : {}),
          ...(!jwt && isObject(definition.Identity) ? samIdentitySource(definition.Identity, 'http-request') : {}),
          ...(!jwt && isObject(definition.Identity) && definition.Identity.ReauthorizeEvery !== undefined ? { AuthorizerResultTtlInSeconds: definition.Identity.ReauthorizeEvery } : {}),
        },
        {},
        api.locate(['Auth', 'Authorizers', name]),
      );
    }
    for (const route of eventRoutes) {
      // Events SAM put into the inline body are routes of the body, not routes of their own.
      if (edited?.placed.has(route)) continue;
      const method = typeof route.method === 'string' ? (route.method.toLowerCase() === 'x-amazon-apigateway-any-method' ? 'ANY' : route.method.toUpperCase()) : route.method;
      const routeKey = route.path === '$default' ? '$default' : typeof route.path === 'string' && typeof method === 'string' ? `${method} ${route.path}` : new Unknown('the event Path or Method is unknown');
      const name = route.auth.Authorizer ?? auth.DefaultAuthorizer;
      const definition = typeof name === 'string' ? authorizers[name] : undefined;
      const type = name === undefined || name === 'NONE' ? 'NONE' : name === 'AWS_IAM' ? 'AWS_IAM' : isObject(definition) && definition.JwtConfiguration !== undefined ? 'JWT' : 'CUSTOM';
      this.emit(
        route.source,
        `${route.source.address}.${route.event}`,
        'AWS::ApiGatewayV2::Route',
        {
          ApiId: ref(address),
          RouteKey: routeKey,
          AuthorizationType: type,
          ...(type === 'JWT' || type === 'CUSTOM' ? { AuthorizerId: ref(`${address}${String(name)}Authorizer`) } : {}),
          ...(route.auth.AuthorizationScopes !== undefined ? { AuthorizationScopes: route.auth.AuthorizationScopes } : {}),
        },
        {
          AuthorizationType: route.auth.Authorizer !== undefined ? [...route.eventPath, 'Properties', 'Auth', 'Authorizer'] : [...route.eventPath],
          RouteKey: [...route.eventPath, 'Properties', 'Path'],
        },
        route.source.locate(route.eventPath),
      );
    }
  }

  /**
   * What SAM does to an HttpApi's inline DefinitionBody before API Gateway imports it: each function
   * event's path and method get its Lambda integration (created when the body lacks them, so the event
   * is a route of the body, never a second route), with the event's `Auth.Authorizer` appended to the
   * operation's `security`; then every operation that has an integration and no `security`, OPTIONS
   * excepted, gets `Auth.DefaultAuthorizer`; and each of `Auth.Authorizers` is defined as a security
   * scheme unless the body defines it. Without this, an operation SAM protects with the default
   * authorizer read as open. Where a key SAM added is read, locations point at the event or at
   * `Auth.DefaultAuthorizer`. Events whose path or method is unknown stay routes of their own.
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/eventsources/push.py (`HttpApi._add_openapi_integration`, `_add_auth_to_openapi_integration`)
   * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/open_api/open_api.py (`add_lambda_integration`, `set_path_default_authorizer`, `add_auth_to_method`)
   */
  private httpEventsIntoBody(api: CfnResource, body: ValueObject, routes: readonly Route[], auth: ValueObject): { body: ValueObject; locate: LocateInside; placed: ReadonlySet<Route> } {
    const authorizers = isObject(auth.Authorizers) ? auth.Authorizers : {};
    const paths: ValueObject = isObject(body.paths) ? { ...body.paths } : {};
    const fromEvent = new Map<string, { route: Route; keys: ReadonlySet<string>; added: boolean }>();
    const placed = new Set<Route>();
    const scopesOf = (name: string, own: Value | undefined): Value => {
      const definition = authorizers[name];
      if (name === 'NONE' || name === 'AWS_IAM' || !isObject(definition)) return [];
      return own ?? definition.AuthorizationScopes ?? [];
    };
    for (const route of routes) {
      if (typeof route.path !== 'string' || typeof route.method !== 'string') continue;
      const methodKey = route.method.toLowerCase() === 'any' || route.method.toLowerCase() === 'x-amazon-apigateway-any-method' ? 'x-amazon-apigateway-any-method' : route.method.toLowerCase();
      const item = paths[route.path];
      if (item !== undefined && !isObject(item)) continue;
      const existing = isObject(item) ? item[methodKey] : undefined;
      if (existing !== undefined && !isObject(existing)) continue;
      const keys = new Set<string>();
      const operation: ValueObject = { ...(existing ?? { responses: {} }) };
      if (!isObject(operation['x-amazon-apigateway-integration'])) {
        operation['x-amazon-apigateway-integration'] = { type: 'aws_proxy', httpMethod: 'POST', uri: ref(route.source.address, 'Arn'), payloadFormatVersion: '2.0' };
        keys.add('x-amazon-apigateway-integration');
      }
      const name = route.auth.Authorizer;
      if (typeof name === 'string') {
        // SAM rejects a security that is not a list; the reader reports it where it is written.
        if (operation.security !== undefined && !Array.isArray(operation.security)) continue;
        // NONE opens the route: nothing is required, and the default authorizer is not added.
        operation.security = [...((operation.security as Value[] | undefined) ?? []), ...(name === 'NONE' ? [] : [{ [name]: scopesOf(name, route.auth.AuthorizationScopes) }])];
        if (name === 'NONE') operation[SAM_NO_DEFAULT_AUTHORIZER] = true;
        keys.add('security');
      } else if (name instanceof Unknown) {
        operation.security = name;
        keys.add('security');
      }
      paths[route.path] = { ...(isObject(item) ? item : {}), [methodKey]: operation };
      fromEvent.set(`${route.path} ${methodKey}`, { route, keys, added: existing === undefined });
      placed.add(route);
    }
    const defaultAuthorizer = typeof auth.DefaultAuthorizer === 'string' && auth.DefaultAuthorizer !== 'NONE' ? auth.DefaultAuthorizer : undefined;
    const withDefault = new Set<string>();
    for (const [path, item] of Object.entries(paths)) {
      if (!isObject(item)) continue;
      const methods: ValueObject = { ...item };
      for (const [key, operation] of Object.entries(item)) {
        if (key === 'parameters' || !isObject(operation)) continue;
        const { [SAM_NO_DEFAULT_AUTHORIZER]: optedOut, ...rest } = operation;
        methods[key] = rest;
        // SAM adds no default authorizer to OPTIONS (set_path_default_authorizer).
        if (key.toLowerCase() === 'options' || defaultAuthorizer === undefined || optedOut === true || !isObject(rest['x-amazon-apigateway-integration'])) continue;
        if (rest.security instanceof Unknown || (Array.isArray(rest.security) && rest.security.length > 0)) continue;
        methods[key] = { ...rest, security: [{ [defaultAuthorizer]: scopesOf(defaultAuthorizer, undefined) }] };
        withDefault.add(`${path} ${key}`);
      }
      paths[path] = methods;
    }
    const components = isObject(body.components) ? body.components : {};
    const schemes = isObject(components.securitySchemes) ? components.securitySchemes : {};
    const added: ValueObject = {};
    for (const name of [...Object.keys(authorizers), ...(defaultAuthorizer === 'AWS_IAM' ? ['AWS_IAM'] : [])]) {
      if (schemes[name] === undefined) added[name] = httpAuthorizerScheme(name, authorizers[name]);
    }
    const edited: ValueObject = {
      ...body,
      paths,
      ...(Object.keys(added).length > 0 ? { components: { ...components, securitySchemes: { ...schemes, ...added } } } : {}),
    };
    const locate: LocateInside = (inside) => {
      const [section, path, method, key] = inside;
      if (section === 'paths') {
        const found = fromEvent.get(`${String(path)} ${String(method)}`);
        if (found && ((key === undefined && found.added) || (key !== undefined && found.keys.has(String(key))))) {
          const { route } = found;
          if (key === 'security') return route.source.locate([...route.eventPath, 'Properties', 'Auth', 'Authorizer']);
          return route.source.locate(route.eventPath);
        }
        if (key === 'security' && withDefault.has(`${String(path)} ${String(method)}`)) return this.prop(api, 'HttpApi', ['Auth', 'DefaultAuthorizer']);
      }
      return api.locate(['DefinitionBody', ...inside]);
    };
    return { body: edited, locate, placed };
  }
}

/** Where something inside a generated property is written, given the path under that property. */
type LocateInside = (inside: ReadonlyArray<string | number>) => SourceLocation;

function isPath(value: readonly string[] | SourceLocation): value is readonly string[] {
  return Array.isArray(value);
}

/**
 * The requirements an event's `Auth` adds to an operation's `security`, as SAM appends them: its
 * authorizer (`NONE` and `AWS_IAM` included) with the event's `AuthorizationScopes`, else the
 * authorizer's own; `{api_key: []}` for `ApiKeyRequired: true`, SAM's `api_key_false` marker for false.
 * The schemes this needs (`api_key`, `AWS_IAM`) are added to `needed`.
 */
function eventSecurity(existing: Value, auth: ValueObject, authorizers: ValueObject, needed: Set<string>): Value[] {
  const security: Value[] = Array.isArray(existing) ? [...existing] : [];
  const name = auth.Authorizer;
  if (typeof name === 'string') {
    const definition = authorizers[name];
    const own = isObject(definition) ? definition.AuthorizationScopes : undefined;
    const scopes = name !== 'NONE' && isObject(definition) ? (auth.AuthorizationScopes ?? own ?? []) : [];
    security.push({ [name]: scopes });
    if (name === 'AWS_IAM') needed.add('AWS_IAM');
  } else if (name instanceof Unknown) {
    security.push(name);
  }
  const key = auth.ApiKeyRequired;
  if (key === true) {
    security.push({ api_key: [] });
    needed.add('api_key');
  } else if (key === false) {
    security.push({ api_key_false: [] });
  } else if (key instanceof Unknown) {
    security.push(key);
  }
  return security;
}

/**
 * A marker left on an operation whose event says `Authorizer: NONE`, so that the default authorizer
 * is not added to it; removed before the body is read.
 */
const SAM_NO_DEFAULT_AUTHORIZER = 'x-gatewarden-sam-authorizer-none';

/**
 * The security scheme SAM defines for an HttpApi authorizer: a JWT authorizer as `oauth2` with
 * `x-amazon-apigateway-authorizer` of type `jwt`, a Lambda authorizer as type `request`, `AWS_IAM` as
 * a signature (`awsSigv4`).
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/model/apigatewayv2.py (`ApiGatewayV2Authorizer.generate_openapi`)
 */
function httpAuthorizerScheme(name: string, definition: Value | undefined): ValueObject {
  if (name === 'AWS_IAM') return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  const config = isObject(definition) ? definition : {};
  if (config.FunctionArn !== undefined) {
    return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: config.FunctionArn, authorizerPayloadFormatVersion: config.AuthorizerPayloadFormatVersion ?? null } };
  }
  const jwt = isObject(config.JwtConfiguration) ? config.JwtConfiguration : {};
  return { type: 'oauth2', 'x-amazon-apigateway-authorizer': { type: 'jwt', jwtConfiguration: { issuer: jwt.issuer ?? jwt.Issuer ?? null, audience: jwt.audience ?? jwt.Audience ?? [] }, identitySource: config.IdentitySource ?? '$request.header.Authorization' } };
}

function apiAddress(value: Value | undefined, implicit: string): string {
  if (value === undefined || value === null) return implicit;
  if (value instanceof Unknown && value.ref) return value.ref.address;
  return typeof value === 'string' ? value : implicit;
}

/** One `ResourcePolicy` of a SAM API: the API's own (every route) or a function event's (its route). */
export interface SamPolicyPart {
  readonly policy: Value;
  /** The routes its generated statements cover, as an execute-api resource. */
  readonly resource: Value;
  /** Where a path inside the `ResourcePolicy` is written. */
  locate(inside: ReadonlyArray<string | number>): SourceLocation;
}

/**
 * The resource SAM scopes an event's policy statements to, `execute-api:/${Stage}/METHOD/path` with
 * path parameters as `*` and ANY as `*` (read here on every stage, which can only look more open).
 */
function eventPolicyResource(method: Value, path: Value): Value {
  if (typeof method !== 'string' || typeof path !== 'string') return new Unknown("the event's method or path is not known, so the routes its ResourcePolicy covers are not");
  const verb = method.toLowerCase() === 'any' ? '*' : method.toUpperCase();
  const route = path.replace(/\{[^}]*\}/g, '*').replace(/(.)\/$/, '$1');
  return `execute-api:/*/${verb}${route}`;
}

/**
 * The resource policy SAM writes for an API's `Auth.ResourcePolicy`: an Allow to everyone plus a Deny
 * for each IP range or VPC list (NotIpAddress / StringNotEquals for a whitelist, IpAddress /
 * StringEquals for a blacklist), an Allow or Deny to the accounts listed, and the custom statements as
 * they are. SAM scopes the API's statements to the methods of its paths on its stage, and a function
 * event's to its own method; they are read here on every stage (the API's on every route), which can
 * only make the policy look more open. `locate` says which property made a statement.
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-resourcepolicystatement.html
 * @see https://github.com/aws/serverless-application-model/blob/develop/samtranslator/swagger/swagger.py (`add_resource_policy`)
 */
export function samResourcePolicy(parts: readonly SamPolicyPart[]): { document: Value; locate(inside: ReadonlyArray<string | number>): SourceLocation } {
  const statements: Value[] = [];
  const origins: Array<{ readonly part: SamPolicyPart; readonly path: Array<string | number> }> = [];
  for (const part of parts) {
    const { policy, resource } = part;
    const push = (statement: Value, path: Array<string | number>): void => {
      statements.push(statement);
      origins.push({ part, path });
    };
    if (!isObject(policy)) {
      push(policy instanceof Unknown ? policy : new Unknown('a ResourcePolicy is not an object'), []);
      continue;
    }
    const listOf = (value: Value | undefined): Value[] => (Array.isArray(value) ? value : value === undefined ? [] : [value]);
    const restrict = (key: string, listed: 'allow' | 'deny', conditionKey: (item: Value) => string | undefined, operators: readonly [string, string]): void => {
      const items = policy[key];
      if (items === undefined) return;
      if (items instanceof Unknown) {
        push({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: resource, Condition: items }, [key]);
        return;
      }
      const condition: ValueObject = {};
      for (const item of listOf(items)) {
        const name = conditionKey(item);
        if (name === undefined) continue;
        const list = (condition[name] ??= []) as Value[];
        list.push(item);
      }
      if (Object.keys(condition).length === 0) return;
      push({ Effect: 'Allow', Principal: '*', Action: 'execute-api:Invoke', Resource: resource }, [key]);
      // A whitelist denies everyone not listed; a blacklist denies those listed.
      push({ Effect: 'Deny', Principal: '*', Action: 'execute-api:Invoke', Resource: resource, Condition: { [listed === 'allow' ? operators[1] : operators[0]]: condition } }, [key]);
    };
    const ip = (): string => 'aws:SourceIp';
    const vpcOrVpce = (item: Value): string | undefined => (typeof item === 'string' ? (item.startsWith('vpce-') ? 'aws:SourceVpce' : item.startsWith('vpc-') ? 'aws:SourceVpc' : undefined) : 'aws:SourceVpce');
    for (const [key, effect] of [['AwsAccountWhitelist', 'Allow'], ['AwsAccountBlacklist', 'Deny']] as const) {
      if (policy[key] !== undefined) push({ Effect: effect, Principal: { AWS: policy[key] }, Action: 'execute-api:Invoke', Resource: resource }, [key]);
    }
    const strings = ['StringEquals', 'StringNotEquals'] as const;
    restrict('IpRangeWhitelist', 'allow', ip, ['IpAddress', 'NotIpAddress']);
    restrict('IpRangeBlacklist', 'deny', ip, ['IpAddress', 'NotIpAddress']);
    restrict('SourceVpcWhitelist', 'allow', vpcOrVpce, strings);
    restrict('SourceVpcBlacklist', 'deny', vpcOrVpce, strings);
    restrict('IntrinsicVpcWhitelist', 'allow', () => 'aws:SourceVpc', strings);
    restrict('IntrinsicVpcBlacklist', 'deny', () => 'aws:SourceVpc', strings);
    restrict('IntrinsicVpceWhitelist', 'allow', () => 'aws:SourceVpce', strings);
    restrict('IntrinsicVpceBlacklist', 'deny', () => 'aws:SourceVpce', strings);
    const custom = policy.CustomStatements;
    if (custom instanceof Unknown) push(custom, ['CustomStatements']);
    else listOf(custom).forEach((statement, index) => push(statement, Array.isArray(custom) ? ['CustomStatements', index] : ['CustomStatements']));
  }
  return {
    document: { Version: '2012-10-17', Statement: statements },
    locate: (inside) => {
      const origin = inside[0] === 'Statement' && typeof inside[1] === 'number' ? origins[inside[1]] : undefined;
      return origin ? origin.part.locate([...origin.path, ...inside.slice(2)]) : parts[0]!.locate([]);
    },
  };
}

/**
 * The identity sources SAM derives from an authorizer's `Identity`: a TOKEN authorizer's `Header`
 * (Authorization by default), a REQUEST authorizer's `Headers`, `QueryStrings`, `StageVariables` and
 * `Context`, in REST (`method.request.header.X`) or HTTP API (`$request.header.X`) syntax. Nothing
 * when a REQUEST authorizer lists none or a list is not a list of names.
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-api-lambdarequestauthorizationidentity.html
 * @see https://docs.aws.amazon.com/serverless-application-model/latest/developerguide/sam-property-httpapi-lambdaauthorizationidentity.html
 */
function samIdentitySource(identity: Record<string, Value>, style: 'rest-token' | 'rest-request' | 'http-request'): { IdentitySource?: Value } {
  if (style === 'rest-token') return { IdentitySource: `method.request.header.${typeof identity.Header === 'string' ? identity.Header : 'Authorization'}` };
  const prefixes =
    style === 'rest-request'
      ? { Headers: 'method.request.header.', QueryStrings: 'method.request.querystring.', StageVariables: 'stageVariables.', Context: 'context.' }
      : { Headers: '$request.header.', QueryStrings: '$request.querystring.', StageVariables: '$stageVariables.', Context: '$context.' };
  const sources: string[] = [];
  for (const [key, prefix] of Object.entries(prefixes)) {
    const names = identity[key];
    if (names === undefined) continue;
    if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return {};
    for (const name of names) sources.push(`${prefix}${name as string}`);
  }
  if (sources.length === 0) return {};
  // REST authorizers take one comma-separated string, HTTP API authorizers a list.
  return { IdentitySource: style === 'rest-request' ? sources.join(', ') : sources };
}
