import { runCli } from './cli/run.ts';

// Process entry: the only place that exits the process.
const code = await runCli(process.argv.slice(2), process.env);
if (code !== undefined) process.exit(code);
