import { parseArgs } from 'node:util';
import type { LogLevel } from '../lib/log.ts';
import { parseBytes, parseDurationNs } from '../lib/units.ts';
import { isTenantName, tenantNameRule } from '../tenancy/tenant-context.ts';

// Server settings from command-line flags and TRACEHOUSE_* environment variables,
// resolved once into a frozen ServerOptions (flags win over the environment).
// The table below is the single source for parsing, `--help` and the README table.

export interface ListenAddress {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface ServerOptions {
  /** A Collector YAML file; undefined runs the built-in pipeline (default-config.ts). */
  configFile: string | undefined;
  otlpGrpc: ListenAddress;
  otlpHttp: ListenAddress;
  api: ListenAddress;
  dataDir: string;
  clickhouse: { url: string; username: string; password: string; database: string } | undefined;
  retentionHours: number;
  maxRequestBodyBytes: number;
  maxRecvMsgSizeMib: number;
  /** Origins allowed to send OTLP/HTTP from a browser; empty means CORS is off. */
  corsOrigins: string[];
  queryTimeoutSeconds: number;
  /** SIGTERM/SIGINT: how long in-flight requests may run before their connections are cut. */
  shutdownTimeoutSeconds: number;
  logLevel: LogLevel;
  /** Senders must present `Authorization: Bearer <token>` (the built-in pipeline's bearertokenauth). */
  ingestToken: string | undefined;
  /** The same, one token per line, re-read when the file changes. */
  ingestTokenFile: string | undefined;
  /** --ingest-tenant-tokens: tenant to the ingest tokens that write to it (tenancy/). */
  ingestTenantTokens: Readonly<Record<string, readonly string[]>>;
  /** TLS for every listener (certificate and key), and mutual TLS for the receivers (client CA). */
  tls: { certFile: string; keyFile: string; clientCaFile: string | undefined } | undefined;
  /** `auto`: the query API asks for a login or token once a user exists; `required`: always. */
  apiAuth: 'auto' | 'required';
  /** How long a login lasts. */
  sessionTtlSeconds: number;
  /** `authenticated`: /metrics needs a token while API authentication is on; `public`: never. */
  metricsAccess: 'authenticated' | 'public';
  /** Host header names the query API answers while no authentication is on (DNS rebinding); besides the loopback names. */
  allowedHosts: string[];
  /** OpenID Connect single sign-on for the UI. */
  oidc: { issuer: string; clientId: string; clientSecret: string | undefined; admins: string[]; readers: string[] } | undefined;
}

export class OptionsError extends Error {
  readonly code = 'invalid_option';
}

interface Setting {
  flag: string;
  env: string;
  defaultValue: string;
  help: string;
}

export const settings = [
  { flag: 'config', env: 'TRACEHOUSE_CONFIG', defaultValue: '', help: 'Collector-style YAML with receivers, processors, exporters and service.pipelines (replaces the built-in pipeline and the receiver settings below)' },
  { flag: 'otlp-grpc-host', env: 'TRACEHOUSE_OTLP_GRPC_HOST', defaultValue: 'localhost', help: 'bind address of the OTLP/gRPC receiver (0.0.0.0: all interfaces)' },
  { flag: 'otlp-grpc-port', env: 'TRACEHOUSE_OTLP_GRPC_PORT', defaultValue: '4317', help: 'port of the OTLP/gRPC receiver (0: any free port)' },
  { flag: 'otlp-http-host', env: 'TRACEHOUSE_OTLP_HTTP_HOST', defaultValue: 'localhost', help: 'bind address of the OTLP/HTTP receiver (0.0.0.0: all interfaces)' },
  { flag: 'otlp-http-port', env: 'TRACEHOUSE_OTLP_HTTP_PORT', defaultValue: '4318', help: 'port of the OTLP/HTTP receiver (0: any free port)' },
  { flag: 'api-host', env: 'TRACEHOUSE_API_HOST', defaultValue: 'localhost', help: 'bind address of the query API and web UI (0.0.0.0: all interfaces)' },
  { flag: 'api-port', env: 'TRACEHOUSE_API_PORT', defaultValue: '8080', help: 'port of the query API (0: any free port)' },
  { flag: 'data-dir', env: 'TRACEHOUSE_DATA_DIR', defaultValue: './data', help: 'where the embedded ClickHouse keeps its data' },
  { flag: 'clickhouse-url', env: 'TRACEHOUSE_CLICKHOUSE_URL', defaultValue: '', help: 'use this ClickHouse server (http://host:8123) instead of the embedded engine' },
  { flag: 'clickhouse-user', env: 'TRACEHOUSE_CLICKHOUSE_USER', defaultValue: 'default', help: 'ClickHouse server user' },
  { flag: 'clickhouse-password', env: 'TRACEHOUSE_CLICKHOUSE_PASSWORD', defaultValue: '', help: 'ClickHouse server password' },
  { flag: 'clickhouse-database', env: 'TRACEHOUSE_CLICKHOUSE_DATABASE', defaultValue: 'tracehouse', help: 'ClickHouse database to create and use' },
  { flag: 'retention', env: 'TRACEHOUSE_RETENTION', defaultValue: '7d', help: 'how long telemetry is kept (TTL), e.g. 72h, 30d' },
  { flag: 'max-request-body-size', env: 'TRACEHOUSE_MAX_REQUEST_BODY_SIZE', defaultValue: '20MiB', help: 'largest OTLP/HTTP body accepted, after decompression' },
  { flag: 'max-recv-msg-size-mib', env: 'TRACEHOUSE_MAX_RECV_MSG_SIZE_MIB', defaultValue: '4', help: 'largest OTLP/gRPC message accepted, in MiB' },
  { flag: 'cors-origins', env: 'TRACEHOUSE_CORS_ORIGINS', defaultValue: '', help: 'comma-separated origins allowed to send OTLP/HTTP from browsers (* for any); empty: CORS off' },
  { flag: 'query-timeout', env: 'TRACEHOUSE_QUERY_TIMEOUT', defaultValue: '30s', help: 'longest a query API request may run (max_execution_time)' },
  { flag: 'shutdown-timeout', env: 'TRACEHOUSE_SHUTDOWN_TIMEOUT', defaultValue: '10s', help: 'on SIGTERM or SIGINT, how long in-flight requests may take before their connections are closed' },
  { flag: 'log-level', env: 'TRACEHOUSE_LOG_LEVEL', defaultValue: 'info', help: 'debug, info, warn or error' },
  { flag: 'ingest-token', env: 'TRACEHOUSE_INGEST_TOKEN', defaultValue: '', help: 'OTLP senders must send Authorization: Bearer <token> (built-in pipeline; with --config use the bearertokenauth extension)' },
  { flag: 'ingest-tenant-tokens', env: 'TRACEHOUSE_INGEST_TENANT_TOKENS', defaultValue: '', help: 'comma-separated TENANT=TOKEN: a sender with that token writes to that tenant (bearertokenauth tenants; built-in pipeline)' },
  { flag: 'ingest-token-file', env: 'TRACEHOUSE_INGEST_TOKEN_FILE', defaultValue: '', help: 'the same, tokens read from this file (one a line) and re-read when it changes' },
  { flag: 'tls-cert-file', env: 'TRACEHOUSE_TLS_CERT_FILE', defaultValue: '', help: 'serve TLS with this PEM certificate on the query API and the built-in receivers' },
  { flag: 'tls-key-file', env: 'TRACEHOUSE_TLS_KEY_FILE', defaultValue: '', help: 'the PEM private key of --tls-cert-file' },
  { flag: 'tls-client-ca-file', env: 'TRACEHOUSE_TLS_CLIENT_CA_FILE', defaultValue: '', help: 'mutual TLS on the built-in receivers: senders need a certificate signed by this CA' },
  { flag: 'api-auth', env: 'TRACEHOUSE_API_AUTH', defaultValue: 'auto', help: 'auto: the query API and UI ask for a login or token once a user exists (tracehouse user add); required: always' },
  { flag: 'session-ttl', env: 'TRACEHOUSE_SESSION_TTL', defaultValue: '12h', help: 'how long a UI login lasts' },
  { flag: 'metrics-access', env: 'TRACEHOUSE_METRICS_ACCESS', defaultValue: 'authenticated', help: 'authenticated: GET /metrics needs a token while API authentication is on; public: open' },
  { flag: 'oidc-issuer', env: 'TRACEHOUSE_OIDC_ISSUER', defaultValue: '', help: 'OpenID Connect provider for UI login (authorization code flow with PKCE), e.g. https://accounts.example.com' },
  { flag: 'oidc-client-id', env: 'TRACEHOUSE_OIDC_CLIENT_ID', defaultValue: '', help: 'the client id registered at the provider (redirect URI: <UI URL>/api/v1/auth/oidc/callback)' },
  { flag: 'oidc-client-secret', env: 'TRACEHOUSE_OIDC_CLIENT_SECRET', defaultValue: '', help: 'its client secret; empty for a public client' },
  { flag: 'oidc-admins', env: 'TRACEHOUSE_OIDC_ADMINS', defaultValue: '', help: 'comma-separated emails, subjects or @domains that log in as admin' },
  { flag: 'oidc-readers', env: 'TRACEHOUSE_OIDC_READERS', defaultValue: '', help: 'comma-separated emails, subjects or @domains (* for anyone) that log in with the read role' },
  { flag: 'allowed-hosts', env: 'TRACEHOUSE_ALLOWED_HOSTS', defaultValue: '', help: 'comma-separated Host names the query API answers without authentication, besides localhost and the bound address (DNS rebinding protection)' },
] as const satisfies readonly Setting[];

type SettingName = (typeof settings)[number]['flag'];

/** Parses flags and environment; throws OptionsError naming the flag or variable at fault. */
export function resolveOptions(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): ServerOptions {
  const { values } = parseArgsStrict(args);
  const raw = (name: SettingName): { text: string; source: string } => {
    const setting = settings.find((s) => s.flag === name)!;
    const fromFlag = values[name];
    if (typeof fromFlag === 'string') return { text: fromFlag, source: `--${name}` };
    const fromEnv = env[setting.env];
    if (fromEnv !== undefined && fromEnv !== '') return { text: fromEnv, source: setting.env };
    return { text: setting.defaultValue, source: `--${name}` };
  };

  const port = (name: SettingName): number => {
    const { text, source } = raw(name);
    const n = Number(text);
    if (!/^\d+$/.test(text) || n > 65535) throw new OptionsError(`${source}: expected a port number 0-65535, got "${text}"`);
    return n;
  };
  const durationSeconds = (name: SettingName): number => {
    const { text, source } = raw(name);
    const ns = parseDurationNs(text);
    if (ns === undefined || ns <= 0n) throw new OptionsError(`${source}: expected a duration such as 30s or 7d, got "${text}"`);
    return Number(ns) / 1e9;
  };

  const bodySize = raw('max-request-body-size');
  const maxRequestBodyBytes = parseBytes(bodySize.text);
  if (maxRequestBodyBytes === undefined || maxRequestBodyBytes <= 0) {
    throw new OptionsError(`${bodySize.source}: expected a size such as 20MiB, got "${bodySize.text}"`);
  }
  const logLevel = raw('log-level');
  if (!['debug', 'info', 'warn', 'error'].includes(logLevel.text)) {
    throw new OptionsError(`${logLevel.source}: expected debug, info, warn or error, got "${logLevel.text}"`);
  }
  const clickhouseUrl = raw('clickhouse-url').text;
  if (clickhouseUrl !== '' && !URL.canParse(clickhouseUrl)) {
    throw new OptionsError(`${raw('clickhouse-url').source}: expected a URL such as http://localhost:8123, got "${clickhouseUrl}"`);
  }

  const recvMsg = raw('max-recv-msg-size-mib');
  if (!/^\d+$/.test(recvMsg.text) || Number(recvMsg.text) < 1) {
    throw new OptionsError(`${recvMsg.source}: expected a whole number of MiB, got "${recvMsg.text}"`);
  }
  const configFile = raw('config').text;
  const optionalText = (name: SettingName): string | undefined => (raw(name).text === '' ? undefined : raw(name).text);
  const oneOf = <T extends string>(name: SettingName, allowed: readonly T[]): T => {
    const { text, source } = raw(name);
    if (!(allowed as readonly string[]).includes(text)) throw new OptionsError(`${source}: expected ${allowed.join(' or ')}, got "${text}"`);
    return text as T;
  };
  const certFile = optionalText('tls-cert-file');
  const keyFile = optionalText('tls-key-file');
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new OptionsError(`${raw(certFile === undefined ? 'tls-cert-file' : 'tls-key-file').source}: TLS needs both --tls-cert-file and --tls-key-file`);
  }
  const clientCaFile = optionalText('tls-client-ca-file');
  if (clientCaFile !== undefined && certFile === undefined) {
    throw new OptionsError(`${raw('tls-client-ca-file').source}: mutual TLS needs --tls-cert-file and --tls-key-file too`);
  }
  const list = (name: SettingName) => raw(name).text.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const oidcIssuer = optionalText('oidc-issuer');
  const oidcClientId = optionalText('oidc-client-id');
  if (oidcIssuer !== undefined && !URL.canParse(oidcIssuer)) throw new OptionsError(`${raw('oidc-issuer').source}: expected the provider's URL, got "${oidcIssuer}"`);
  if ((oidcIssuer === undefined) !== (oidcClientId === undefined)) {
    throw new OptionsError(`${raw(oidcIssuer === undefined ? 'oidc-issuer' : 'oidc-client-id').source}: OpenID Connect needs both --oidc-issuer and --oidc-client-id`);
  }
  const tenantTokens = (name: SettingName): Readonly<Record<string, readonly string[]>> => {
    const out: Record<string, string[]> = {};
    for (const pair of list(name)) {
      const [tenant = '', token = '', ...rest] = pair.split('=');
      if (!isTenantName(tenant) || token === '' || rest.length > 0 || /[\s\0]/.test(token)) {
        throw new OptionsError(`${raw(name).source}: expected TENANT=TOKEN pairs (${tenantNameRule}; a token without whitespace or =), got "${pair}"`);
      }
      (out[tenant] ??= []).push(token);
    }
    return Object.freeze(out);
  };
  const ingestToken = optionalText('ingest-token');
  if (ingestToken !== undefined && /[\s\0]/.test(ingestToken)) {
    throw new OptionsError(`${raw('ingest-token').source}: a token must not contain whitespace`);
  }

  return Object.freeze({
    configFile: configFile === '' ? undefined : configFile,
    otlpGrpc: Object.freeze({ host: raw('otlp-grpc-host').text, port: port('otlp-grpc-port') }),
    otlpHttp: Object.freeze({ host: raw('otlp-http-host').text, port: port('otlp-http-port') }),
    api: Object.freeze({ host: raw('api-host').text, port: port('api-port') }),
    dataDir: raw('data-dir').text,
    clickhouse:
      clickhouseUrl === ''
        ? undefined
        : Object.freeze({
            url: clickhouseUrl,
            username: raw('clickhouse-user').text,
            password: raw('clickhouse-password').text,
            database: raw('clickhouse-database').text,
          }),
    retentionHours: durationSeconds('retention') / 3600,
    maxRequestBodyBytes,
    maxRecvMsgSizeMib: Number(recvMsg.text),
    corsOrigins: raw('cors-origins')
      .text.split(',')
      .map((s) => s.trim())
      .filter((s) => s !== ''),
    queryTimeoutSeconds: durationSeconds('query-timeout'),
    shutdownTimeoutSeconds: durationSeconds('shutdown-timeout'),
    logLevel: logLevel.text as LogLevel,
    ingestToken,
    ingestTokenFile: optionalText('ingest-token-file'),
    ingestTenantTokens: tenantTokens('ingest-tenant-tokens'),
    tls: certFile === undefined || keyFile === undefined ? undefined : Object.freeze({ certFile, keyFile, clientCaFile }),
    apiAuth: oneOf('api-auth', ['auto', 'required'] as const),
    sessionTtlSeconds: durationSeconds('session-ttl'),
    metricsAccess: oneOf('metrics-access', ['authenticated', 'public'] as const),
    oidc:
      oidcIssuer === undefined || oidcClientId === undefined
        ? undefined
        : Object.freeze({ issuer: oidcIssuer, clientId: oidcClientId, clientSecret: optionalText('oidc-client-secret'), admins: list('oidc-admins'), readers: list('oidc-readers') }),
    allowedHosts: raw('allowed-hosts')
      .text.split(',')
      .map((s) => s.trim().toLowerCase())
      .filter((s) => s !== ''),
  });
}

function parseArgsStrict(args: readonly string[]) {
  try {
    return parseArgs({
      args: [...args],
      options: Object.fromEntries(settings.map((s) => [s.flag, { type: 'string' as const }])),
      strict: true,
      allowPositionals: false,
    });
  } catch (error) {
    throw new OptionsError((error as Error).message.replace(/\. To specify.*$/s, ''), { cause: error });
  }
}

/** The flags part of `tracehouse --help`. */
export function describeSettings(): string {
  return settings
    .map((s) => {
      const left = `  --${s.flag} <value>`.padEnd(34);
      const def = s.defaultValue === '' ? '' : ` (default: ${s.defaultValue})`;
      return `${left}${s.help}${def}\n${''.padEnd(34)}env: ${s.env}`;
    })
    .join('\n');
}
