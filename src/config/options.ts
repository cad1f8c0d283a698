import { parseArgs } from 'node:util';
import type { LogLevel } from '../lib/log.ts';
import { parseBytes, parseDurationNs } from '../lib/units.ts';

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
  { flag: 'otlp-grpc-host', env: 'TRACEHOUSE_OTLP_GRPC_HOST', defaultValue: '0.0.0.0', help: 'bind address of the OTLP/gRPC receiver' },
  { flag: 'otlp-grpc-port', env: 'TRACEHOUSE_OTLP_GRPC_PORT', defaultValue: '4317', help: 'port of the OTLP/gRPC receiver (0: any free port)' },
  { flag: 'otlp-http-host', env: 'TRACEHOUSE_OTLP_HTTP_HOST', defaultValue: '0.0.0.0', help: 'bind address of the OTLP/HTTP receiver' },
  { flag: 'otlp-http-port', env: 'TRACEHOUSE_OTLP_HTTP_PORT', defaultValue: '4318', help: 'port of the OTLP/HTTP receiver (0: any free port)' },
  { flag: 'api-host', env: 'TRACEHOUSE_API_HOST', defaultValue: '0.0.0.0', help: 'bind address of the query API' },
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
