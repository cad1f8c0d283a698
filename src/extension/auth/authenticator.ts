import type { Component, CreateSettings } from '../../component/component.ts';

// The Collector's extensionauth interfaces (extension/extensionauth): a server
// authenticator checks the headers (HTTP) or metadata (gRPC) of an incoming
// request before the receiver reads its body; a client authenticator adds
// credentials to what an exporter sends. Receivers and exporters find them by
// the extension id named in `auth.authenticator`, as the Collector's
// configauth.Config does through component.Host.GetExtensions().

/** The request's header or metadata value for a lowercase name; the first one when repeated. */
export type RequestHeaders = (lowercaseName: string) => string | undefined;

/** The credentials were missing or wrong: HTTP 401, gRPC UNAUTHENTICATED, the pipeline never sees the request. */
export class UnauthenticatedError extends Error {
  readonly code = 'unauthenticated';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnauthenticatedError';
  }
}

/**
 * What an accepted credential says about its sender (the Collector's client.AuthData):
 * `tenant`, when the credential belongs to one, is the tenant the request's data
 * is stored under (tenancy/).
 */
export interface AuthInfo {
  tenant?: string | undefined;
}

export interface ServerAuthenticator {
  /** Resolves when the request may go on; rejects with UnauthenticatedError otherwise. */
  authenticate(headers: RequestHeaders): Promise<AuthInfo | void>;
}

export interface ClientAuthenticator {
  /** Headers (gRPC metadata) to add to the next request; read per request, as a token file may change. */
  requestHeaders(): Readonly<Record<string, string>>;
}

export type AuthExtension = Component & Partial<ServerAuthenticator> & Partial<ClientAuthenticator>;

/** The Collector's message when an id names something else: "requested authenticator is not a server authenticator". */
export function serverAuthenticator(settings: CreateSettings, key: string): ServerAuthenticator {
  const extension = settings.extensions?.get(key) as AuthExtension | undefined;
  if (extension === undefined) throw new Error(`failed to resolve authenticator "${key}": authenticator not found`);
  if (typeof extension.authenticate !== 'function') {
    throw new Error(`failed to resolve authenticator "${key}": requested authenticator is not a server authenticator`);
  }
  return { authenticate: extension.authenticate.bind(extension) };
}

export function clientAuthenticator(settings: CreateSettings, key: string): ClientAuthenticator {
  const extension = settings.extensions?.get(key) as AuthExtension | undefined;
  if (extension === undefined) throw new Error(`failed to resolve authenticator "${key}": authenticator not found`);
  if (typeof extension.requestHeaders !== 'function') {
    throw new Error(`failed to resolve authenticator "${key}": requested authenticator is not a client authenticator`);
  }
  return { requestHeaders: extension.requestHeaders.bind(extension) };
}

/** Headers of a Fetch API request as RequestHeaders. */
export function fetchHeaders(headers: Headers): RequestHeaders {
  return (name) => headers.get(name) ?? undefined;
}
