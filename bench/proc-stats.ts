import { readdir, readFile } from 'node:fs/promises';
import os from 'node:os';

// CPU and memory of a server process from /proc (proc(5)): utime + stime of the
// process counts every thread it has had, the embedded ClickHouse's included (chDB
// runs in-process); the per-thread figures (/proc/<pid>/task/<tid>/stat, grouped by
// thread name) say where it went.

const USER_HZ = 100; // sysconf(_SC_CLK_TCK) on Linux

/** utime + stime in seconds, from a stat line (fields 14 and 15; the name may hold spaces). */
function cpuSecondsOf(stat: string): { name: string; seconds: number } {
  const close = stat.lastIndexOf(')');
  const name = stat.slice(stat.indexOf('(') + 1, close);
  const fields = stat.slice(close + 2).split(' ');
  return { name, seconds: (Number(fields[11]) + Number(fields[12])) / USER_HZ };
}

export interface CpuSnapshot {
  totalSeconds: number;
  /** thread name -> CPU seconds of the threads alive at the snapshot */
  byThreadName: Map<string, number>;
}

export async function cpuSnapshot(pid: number): Promise<CpuSnapshot> {
  const totalSeconds = cpuSecondsOf(await readFile(`/proc/${pid}/stat`, 'utf8')).seconds;
  const byThreadName = new Map<string, number>();
  for (const tid of await readdir(`/proc/${pid}/task`).catch(() => [])) {
    const stat = await readFile(`/proc/${pid}/task/${tid}/stat`, 'utf8').catch(() => undefined);
    if (stat === undefined) continue; // the thread ended meanwhile
    const { name, seconds } = cpuSecondsOf(stat);
    // Numbered pools (e.g. "QueryPipelineEx", "BgSchPool") stay one row each. The
    // event loop is told apart from the other threads named "node" (libuv's pool,
    // where chDB runs each insert's parse, and V8's GC helpers), which it was
    // lumped with.
    const group = tid === String(pid) ? 'node main thread' : name.replace(/\d+$/, '');
    byThreadName.set(group, (byThreadName.get(group) ?? 0) + seconds);
  }
  return { totalSeconds, byThreadName };
}

/** CPU used between two snapshots: the total, and the thread groups' shares (threads that ended in between are missing from them). */
export function cpuBetween(before: CpuSnapshot, after: CpuSnapshot): { seconds: number; byThreadName: Record<string, number> } {
  const byThreadName: Record<string, number> = {};
  for (const [name, seconds] of after.byThreadName) {
    const used = seconds - (before.byThreadName.get(name) ?? 0);
    if (used > 0) byThreadName[name] = Math.round(used * 100) / 100;
  }
  return { seconds: after.totalSeconds - before.totalSeconds, byThreadName };
}

/** Samples VmRSS every `intervalMs` until stopped; returns the peak in bytes. */
export function rssSampler(pid: number, intervalMs = 100): { stop(): number } {
  let peak = 0;
  const sample = () =>
    void readFile(`/proc/${pid}/status`, 'utf8').then(
      (status) => (peak = Math.max(peak, Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) * 1024)),
      () => {},
    );
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}

/**
 * The machine a figure was taken on. A cloud VM's model name can be generic
 * ("Intel(R) Xeon(R) Processor"), so the clock and the newest vector extensions
 * are recorded too: they tell CPU generations apart (the same tree ran ~65K
 * spans/s on one host of this kind and ~90K on another, AVX-512/AMX, one).
 */
export interface MachineInfo {
  cpus: number;
  cpu: string;
  mhz: number;
  extensions: string[];
  node: string;
}

export async function machineInfo(): Promise<MachineInfo> {
  const info = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const field = (name: string) => new RegExp(`^${name}\\s*: (.*)$`, 'm').exec(info)?.[1] ?? '';
  const flags = new Set(field('flags').split(' '));
  return {
    cpus: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    mhz: Math.round(Number(field('cpu MHz')) || 0),
    extensions: ['avx2', 'avx512f', 'avx512_fp16', 'amx_tile'].filter((f) => flags.has(f)),
    node: process.version,
  };
}

/** The `machine:` line the benchmarks print. */
export function machineLine(m: MachineInfo): string {
  return `machine: ${m.cpus} x ${m.cpu}, ${m.mhz} MHz, ${m.extensions.join(' ') || 'no AVX2'}; node ${m.node}.`;
}
