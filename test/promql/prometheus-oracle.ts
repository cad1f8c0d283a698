import { spawn, execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from '../collector/collector-process.ts';

// Debian's Prometheus (2.42) as the reference: the OpenMetrics text becomes a
// TSDB block (`promtool tsdb create-blocks-from openmetrics`), and a Prometheus
// of our own serves it: a free port on 127.0.0.1, its own storage directory,
// no scrape jobs, stopped (and the directory removed) by stop(). Never the
// packaged service's :9090.

const run = promisify(execFile);

export interface OraclePrometheus {
  url: string;
  stop(): Promise<void>;
}

export async function startOraclePrometheus(openMetrics: string): Promise<OraclePrometheus> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tracehouse-prom-'));
  let child: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child?.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const input = path.join(dir, 'data.om');
    const tsdb = path.join(dir, 'tsdb');
    await writeFile(input, openMetrics);
    await writeFile(path.join(dir, 'prometheus.yml'), 'global:\n  scrape_interval: 1h\n');
    await run('promtool', ['tsdb', 'create-blocks-from', 'openmetrics', input, tsdb], { maxBuffer: 16 << 20 });
    const [port] = await freePorts(1);
    let stderr = '';
    child = spawn(
      'prometheus',
      [
        `--storage.tsdb.path=${tsdb}`,
        `--web.listen-address=127.0.0.1:${port}`,
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        '--storage.tsdb.retention.time=30d',
        '--log.level=warn',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const url = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 30_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`prometheus exited: ${stderr}`);
      try {
        const res = await fetch(`${url}/-/ready`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new Error(`prometheus not ready in 30 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return { url, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
