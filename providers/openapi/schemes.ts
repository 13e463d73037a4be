import { Unknown } from '../../src/model/unknown.js';
import { isData, text, type SchemeKind } from './reader.js';

/**
 * How a security scheme authenticates when no gateway-specific extension says otherwise (plain
 * OpenAPI, GCP API Gateway and Cloud Endpoints):
 * - `apiKey` is a static key, not identity;
 * - `oauth2` with Google's `x-google-issuer`/`x-google-jwks_uri`, `openIdConnect` and `http bearer`
 *   with `bearerFormat: JWT` are tokens (jwt); other OAuth 2.0 flows and bearer tokens are oauth2;
 * - `http basic` sends a fixed user name and password: a static credential (basic), weak like a key;
 * - `mutualTLS` (OpenAPI 3.1) is a client certificate.
 * @see https://spec.openapis.org/oas/v3.1.0#security-scheme-object
 * @see https://cloud.google.com/api-gateway/docs/authenticating-users-jwt
 */
export function readGenericScheme(name: string, scheme: unknown): SchemeKind {
  if (scheme instanceof Unknown) return { kind: scheme, isApiKey: false };
  if (!isData(scheme)) return { kind: new Unknown(`security scheme "${name}" is not defined`), isApiKey: false };
  const type = text(scheme.type);
  if (type instanceof Unknown) return { kind: type, isApiKey: false };
  switch (type?.toLowerCase()) {
    case 'apikey':
      return { kind: 'api-key', isApiKey: true };
    case 'oauth2':
      return { kind: scheme['x-google-issuer'] !== undefined || scheme['x-google-jwks_uri'] !== undefined ? 'jwt' : 'oauth2', isApiKey: false };
    case 'openidconnect':
      return { kind: 'jwt', isApiKey: false };
    case 'mutualtls':
      return { kind: 'mtls', isApiKey: false };
    case 'basic':
      // OpenAPI 2.0 writes HTTP basic as its own type.
      return { kind: 'basic', isApiKey: false };
    case 'http': {
      const httpScheme = text(scheme.scheme);
      if (httpScheme instanceof Unknown) return { kind: httpScheme, isApiKey: false };
      if (httpScheme?.toLowerCase() === 'basic') return { kind: 'basic', isApiKey: false };
      if (httpScheme?.toLowerCase() === 'bearer') return { kind: text(scheme.bearerFormat)?.toString().toUpperCase() === 'JWT' ? 'jwt' : 'oauth2', isApiKey: false };
      return { kind: new Unknown(`security scheme "${name}" uses HTTP ${String(httpScheme)} authentication, which gatewarden does not classify`), isApiKey: false };
    }
    default:
      return { kind: new Unknown(`security scheme "${name}" has no type gatewarden knows`), isApiKey: false };
  }
}
