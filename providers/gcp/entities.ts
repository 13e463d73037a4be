import type { Diagnostic } from '../../src/model/diagnostic.js';
import type { Authorizer, EntityBase, Route } from '../../src/model/entities.js';
import type { SourceLocation } from '../../src/model/location.js';
import type { DocPath } from '../openapi/reader.js';
import type { GoogleOpenApi } from './openapi.js';
import { suppressionsField, suppressionsFromExtensions } from '../openapi/ignore.js';

/** Builds route entities from a spec read with Google's semantics. */
export function googleRoutes(
  spec: GoogleOpenApi,
  locate: (pointer: DocPath) => SourceLocation,
  base: (id: string, location: SourceLocation, fieldLocations: Record<string, SourceLocation>) => EntityBase<'route'>,
  idPrefix: string,
  address: string,
): Route[] {
  return spec.operations.map((operation) => {
    const key = `${operation.method} ${operation.path}`;
    // A document that defines no quota limit (x-google-management) limits no operation: the fix is
    // one quota for the document, so its operations' missing limit is the document's setting (one
    // finding on the API, listing them). With limits defined, an operation that charges none is its own.
    const documentAtFault = !operation.rateLimit && !spec.definesQuotaLimits;
    const routeBase = base(`${idPrefix}/${key}`, locate(operation.pointer), {
      auth: locate(operation.authPointer),
      ...(operation.rateLimit
        ? { rateLimit: locate(operation.rateLimit.pointer) }
        : { rateLimit: documentAtFault ? locate(spec.quotaPointers?.limits ?? ['x-google-management']) : locate(spec.quotaPointers?.metricRules ?? [...operation.pointer, 'x-google-quota']) }),
      ...(operation.backend.pointer ? { backendAddress: locate(operation.backend.pointer), backendUrl: locate(operation.backend.pointer) } : {}),
      ...(operation.requestBody?.pointer ? { declaresRequestBody: locate(operation.requestBody.pointer) } : {}),
    });
    return {
      ...routeBase,
      ...(documentAtFault && routeBase.parentId !== null ? { fieldOwners: { ...routeBase.fieldOwners, rateLimit: routeBase.parentId } } : {}),
      ...suppressionsField([...(routeBase.suppressions ?? []), ...suppressionsFromExtensions(operation.ignore, locate)]),
      address: `${address}/${key}`,
      method: operation.method as Route['method'],
      path: operation.path,
      key,
      auth: {
        kind: operation.security.kind,
        apiKeyRequired: operation.security.apiKeyRequired,
        source: operation.authSource,
        scopes: operation.security.scopes,
      },
      integration: 'http',
      ...(operation.backend.address !== undefined ? { backendUrl: operation.backend.address } : {}),
      isCorsPreflight: false,
      ...(operation.rateLimit ? { rateLimit: operation.rateLimit.limit } : {}),
      ...(operation.requestBody ? { declaresRequestBody: operation.requestBody.declaresBody, requestBodySchema: operation.requestBody.bodySchema } : {}),
      gcp: {
        ...(operation.backend.address !== undefined ? { backendAddress: operation.backend.address } : {}),
        backendAuthDisabled: operation.backend.disableAuth,
        quotaMetrics: operation.quotaMetrics,
      },
    } satisfies Route;
  });
}

/** The spec's own problems (a misspelled quota metric, a `$ref` not followed) as diagnostics at their lines. */
export function specDiagnostics(spec: GoogleOpenApi, locate: (pointer: DocPath) => SourceLocation, address: string): Diagnostic[] {
  return spec.problems.map((problem) => ({ severity: 'warning', code: problem.code ?? 'unsupported', message: problem.message, location: locate(problem.pointer), address }));
}

/**
 * Builds authorizer entities from a spec's JWT providers (`x-google-issuer`), so that their issuer
 * and audiences are checked once, where they are written. Without `x-google-audiences` the
 * authorizer has no `jwtAudiences`: the proxy then accepts the service's default audience only (see
 * `GoogleJwtProvider`).
 */
export function googleAuthorizers(
  spec: GoogleOpenApi,
  locate: (pointer: DocPath) => SourceLocation,
  base: (id: string, location: SourceLocation, fieldLocations: Record<string, SourceLocation>) => EntityBase<'authorizer'>,
  idPrefix: string,
  address: string,
): Authorizer[] {
  return (spec.jwtProviders ?? []).map((provider) => ({
    ...base(`${idPrefix}/authorizer/${provider.name}`, locate(provider.pointer), {
      jwtIssuer: locate([...provider.pointer, 'x-google-issuer']),
      jwtAudiences: provider.audiences !== undefined ? locate([...provider.pointer, 'x-google-audiences']) : locate(provider.pointer),
    }),
    address: `${address}/authorizer/${provider.name}`,
    name: provider.name,
    type: 'jwt',
    attached: provider.used,
    identitySources: [],
    ...(provider.issuer !== undefined ? { jwtIssuer: provider.issuer } : {}),
    ...(provider.audiences !== undefined ? { jwtAudiences: provider.audiences } : {}),
  }));
}
