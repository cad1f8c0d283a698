import { runCli } from './cli/run.ts';

// Process entry: the only place that exits the process. Exiting explicitly also
// ends whatever the embedded engine's threads still hold open.
process.exit(await runCli(process.argv.slice(2), process.env));
