import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fastapiExampleDir } from './python-venv.ts';
import type { PythonVenv } from './python-venv.ts';

// Starts examples/fastapi-payment-api under uvicorn, instrumented one of the
// seed's two ways, exporting to Tracehouse. Used by `npm run demo` and the
// end-to-end tests, so both run the app exactly as its README tells users to.

export type InstrumentationMode = 'programmatic' | 'zero-code';
export type OtlpProtocol = 'http/protobuf' | 'grpc';

export interface PaymentApiOptions {
  venv: PythonVenv;
  mode: InstrumentationMode;
  protocol: OtlpProtocol;
  /** Base URL of the receiver for `protocol`: http://127.0.0.1:4318 or http://127.0.0.1:4317. */
  otlpEndpoint: string;
  host?: string;
  /** 0 (the default): any free port. */
  port?: number;
  /** Added to OTEL_RESOURCE_ATTRIBUTES, e.g. a service.instance.id per test run. */
  resourceAttributes?: Record<string, string>;
  /** How often metrics are exported, and spans and logs at most held (OTEL_METRIC_EXPORT_INTERVAL...). */
  exportIntervalMs?: number;
  /** More environment, over the defaults (e.g. OTEL_PYTHON_FASTAPI_EXCLUDED_URLS: ''). */
  env?: Record<string, string>;
  /** Everything uvicorn and the app write, as it comes. */
  onOutput?: (text: string) => void;
  /** In its own process group, so a Ctrl-C in the terminal reaches only the parent (the demo). */
  detached?: boolean;
}

export interface RunningPaymentApi {
  /** http://host:port */
  url: string;
  child: ChildProcess;
  /** Everything written so far. */
  output(): string;
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>;
  /** SIGTERM: uvicorn finishes requests, the SDK flushes at exit. SIGKILL after `graceMs`. */
  stop(graceMs?: number): Promise<number | string>;
}

/** What a user would set for the seed's zero-code run (Step 2B), corrected; see the example's README. */
export function zeroCodeEnv(protocol: OtlpProtocol, otlpEndpoint: string): Record<string, string> {
  return {
    OTEL_SERVICE_NAME: 'payment-api',
    OTEL_RESOURCE_ATTRIBUTES: 'service.version=1.0.0,deployment.environment=production',
    OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_TRACES_EXPORTER: 'otlp',
    OTEL_METRICS_EXPORTER: 'otlp',
    OTEL_LOGS_EXPORTER: 'otlp',
    OTEL_PYTHON_LOGGING_AUTO_INSTRUMENTATION_ENABLED: 'true',
    OTEL_SEMCONV_STABILITY_OPT_IN: 'http',
    OTEL_PYTHON_FASTAPI_EXCLUDED_URLS: 'health,readyz,livez,metrics',
  };
}

export async function startPaymentApi(options: PaymentApiOptions): Promise<RunningPaymentApi> {
  const { venv, mode, protocol, otlpEndpoint } = options;
  const host = options.host ?? '127.0.0.1';
  const port = String(options.port ?? 0);
  const base: Record<string, string> =
    mode === 'zero-code'
      ? zeroCodeEnv(protocol, otlpEndpoint)
      : {
          OTEL_EXPORTER_OTLP_ENDPOINT: otlpEndpoint,
          OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
          OTEL_PYTHON_FASTAPI_EXCLUDED_URLS: 'health,readyz,livez,metrics',
        };
  const extra = Object.entries(options.resourceAttributes ?? {}).map(([k, v]) => `${k}=${v}`);
  if (extra.length > 0) {
    base['OTEL_RESOURCE_ATTRIBUTES'] = [base['OTEL_RESOURCE_ATTRIBUTES'], ...extra].filter(Boolean).join(',');
  }
  if (options.exportIntervalMs !== undefined) {
    const ms = String(options.exportIntervalMs);
    Object.assign(base, { OTEL_METRIC_EXPORT_INTERVAL: ms, OTEL_BSP_SCHEDULE_DELAY: ms, OTEL_BLRP_SCHEDULE_DELAY: ms });
  }

  // OTEL_* from the caller's shell would change what is being shown or tested.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const env = {
    ...inherited,
    ...base,
    ...options.env,
    PATH: `${path.dirname(venv.bin('python'))}${path.delimiter}${process.env['PATH'] ?? ''}`,
    VIRTUAL_ENV: venv.dir,
    PYTHONUNBUFFERED: '1',
    PYTHONDONTWRITEBYTECODE: '1',
  };
  const uvicornArgs = ['--host', host, '--port', port, '--no-use-colors'];
  const [command, args] =
    mode === 'zero-code'
      ? [venv.bin('opentelemetry-instrument'), ['uvicorn', 'app_zero_code:app', ...uvicornArgs]]
      : [venv.bin('uvicorn'), ['main:app', ...uvicornArgs]];

  const child = spawn(command, args, {
    cwd: fastapiExampleDir,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? -1));
    child.once('error', () => resolve(-1));
  });
  const url = await new Promise<string>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      const text = chunk.toString();
      output += text;
      options.onOutput?.(text);
      const running = /Uvicorn running on (http:\/\/\S+)/.exec(output);
      if (running) resolve(running[1]!);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.once('error', (error) => reject(new Error(`${command}: ${error.message}`, { cause: error })));
    void exited.then((code) => reject(new Error(`payment-api (${mode}) exited (${code}) before listening:\n${output}`)));
  });

  return {
    url,
    child,
    output: () => output,
    exited,
    async stop(graceMs = 10_000) {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
        try {
          return await exited;
        } finally {
          clearTimeout(timer);
        }
      }
      return exited;
    },
  };
}
