import { ConfigError } from '../config/collector-config.ts';
import { defaultCollectorConfig, printConfig } from '../config/default-config.ts';
import { describeSettings, OptionsError, resolveOptions } from '../config/options.ts';
import { ListenError } from '../lib/listen.ts';
import { createLogger } from '../lib/log.ts';
import { loadServiceConfig, startTracehouse } from '../server.ts';
import { runUserCommand } from './user.ts';
import { runMcpCommand } from './mcp.ts';

const usage = `Usage: tracehouse [command] [options]

Receives OpenTelemetry traces, metrics and logs over OTLP (gRPC and HTTP), runs
them through Collector-style pipelines, stores them in ClickHouse (embedded by
default) and serves a JSON query API.

Commands:
  start                           run Tracehouse (the default)
  validate --config FILE          check a Collector-style config file and exit
  print-config                    print the built-in pipeline as YAML, to start a config from
  user add|remove|list NAME       manage the users who may log in (tracehouse user --help)
  mcp [--url URL]                 MCP tools over stdio, relayed to a running Tracehouse (tracehouse mcp --help)

Options (each also read from the environment variable shown):
${describeSettings()}
  -h, --help                      show this help
  -v, --version                   show the version
`;

/**
 * Runs the command line and resolves to the exit code: at once for validate,
 * print-config, --help and bad options; for start, when the server has stopped
 * after SIGINT or SIGTERM.
 */
export async function runCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<number> {
  if (argv[0] === 'user') return runUserCommand(argv.slice(1), env);
  if (argv[0] === 'mcp') return runMcpCommand(argv.slice(1), env);
  const command = ['start', 'validate', 'print-config'].includes(argv[0] ?? '') ? argv[0]! : 'start';
  const args = command === argv[0] ? argv.slice(1) : [...argv];
  if (args.includes('-h') || args.includes('--help')) {
    process.stdout.write(usage);
    return 0;
  }
  if (args.includes('-v') || args.includes('--version')) {
    const { default: pkg } = await import('../../package.json', { with: { type: 'json' } });
    process.stdout.write(`tracehouse ${pkg.version}\n`);
    return 0;
  }
  let options;
  try {
    options = resolveOptions(args, env);
  } catch (error) {
    if (!(error instanceof OptionsError)) throw error;
    process.stderr.write(`tracehouse: ${error.message}\nRun 'tracehouse --help' for the options.\n`);
    return 2;
  }
  if (command === 'print-config') {
    // The token itself stays out of what may be pasted into a ticket.
    const shown = options.ingestToken === undefined ? options : { ...options, ingestToken: '${env:TRACEHOUSE_INGEST_TOKEN}' };
    process.stdout.write(printConfig(defaultCollectorConfig(shown)));
    return 0;
  }
  if (command === 'validate') {
    if (options.configFile === undefined) {
      process.stderr.write('tracehouse: validate needs --config FILE\n');
      return 2;
    }
    try {
      const config = await loadServiceConfig(options, env);
      process.stdout.write(`${options.configFile}: valid (${config.pipelines.map((p) => p.id).join(', ')})\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      return reportConfigProblems(error);
    }
  }
  const logger = createLogger(options.logLevel);
  let server;
  try {
    server = await startTracehouse(options, logger, env);
  } catch (error) {
    if (error instanceof ListenError) {
      process.stderr.write(`tracehouse: ${error.message}\n`);
      return 1;
    }
    if (error instanceof ConfigError) return reportConfigProblems(error);
    throw error;
  }
  // The server runs until SIGINT or SIGTERM; the exit code comes back to main.ts,
  // the only place that exits.
  const running = server;
  return new Promise<number>((resolve) => {
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) {
        logger.info(`received ${signal}: already shutting down`, { timeout: `${options.shutdownTimeoutSeconds}s` });
        return;
      }
      stopping = true;
      logger.info(`received ${signal}: flushing and shutting down`);
      // Last resort, should something never return: the grace period, then a
      // query still running in the engine (bounded by --query-timeout; chDB
      // cannot interrupt one), then a margin for the final flush.
      const backstopMs = (options.shutdownTimeoutSeconds + options.queryTimeoutSeconds + 10) * 1000;
      const backstop = setTimeout(() => {
        logger.error('shutdown did not finish in time; exiting', { afterMs: backstopMs });
        resolve(1);
      }, backstopMs);
      running.close().then(
        () => {
          clearTimeout(backstop);
          logger.info('stopped');
          resolve(0);
        },
        (error: unknown) => {
          clearTimeout(backstop);
          logger.error('shutdown failed', { error });
          resolve(1);
        },
      );
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** One line per problem, each naming its YAML path; exit code 1. */
function reportConfigProblems(error: ConfigError): number {
  process.stderr.write(`${error.problems.map((p) => `tracehouse: ${p}`).join('\n')}\n`);
  return 1;
}
