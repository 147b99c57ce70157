import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time of the three parties of a run (the service, PostgreSQL, this load
 * generator) and of the whole machine, read from /proc: Linux only. Where /proc
 * is missing the figures are simply not shown.
 */
export interface CpuSnapshot {
  at: bigint;
  /** seconds of CPU (user + system) */
  service: number;
  /** every postgres process, including the exited children the postmaster reaped */
  postgres: number;
  /** by pid: the backends serving the benchmark's own database */
  backends: Map<string, number>;
  bench: number;
  /** whole machine, seconds summed over all cores */
  machineBusy: number;
  machineIowait: number;
}

/** Average use over an interval, in % of one core (2 cores fully busy = 200 %). */
export interface CpuUse {
  service: number;
  postgres: number;
  /** the part of `postgres` spent by the backends of the benchmark's database */
  backends: number;
  bench: number;
  machineBusy: number;
  machineIowait: number;
}

const ticksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

export const procAvailable = (() => {
  try {
    readFileSync('/proc/stat', 'utf8');
    return true;
  } catch {
    return false;
  }
})();

/** [comm, own CPU (utime + stime), CPU of its exited children (cutime + cstime)] in seconds, or undefined if it is gone. */
function processCpu(pid: string): [string, number, number] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // comm is in parentheses and may contain spaces; the fields after it are fixed
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const fields = stat.slice(close + 2).split(' ');
    // fields[0] is field 3 (state); utime, stime, cutime, cstime are fields 14 to 17
    const [utime, stime, cutime, cstime] = fields.slice(11, 15).map(Number);
    return [comm, (utime + stime) / ticksPerSecond, (cutime + cstime) / ticksPerSecond];
  } catch {
    return undefined;
  }
}

function machineCpu(): { busy: number; iowait: number } {
  const line = readFileSync('/proc/stat', 'utf8').split('\n')[0];
  const [user, nice, system, , iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  return { busy: (user + nice + system + irq + softirq + steal) / ticksPerSecond, iowait: iowait / ticksPerSecond };
}

/**
 * Every `postgres` process on the machine (backends, WAL writer, checkpointer …)
 * plus what its exited children used: the postmaster reaps backends that close
 * (the service's pool closes idle connections), so their CPU moves into its
 * children's time and the sum stays continuous.
 */
function postgresCpu(): number {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cpu = processCpu(entry);
    if (cpu && cpu[0] === 'postgres') total += cpu[1] + cpu[2];
  }
  return total;
}

/**
 * `backendPids`: the PostgreSQL backends of the benchmark's database (from
 * pg_stat_activity), so that other work on the same server can be told apart.
 */
export function snapshot(servicePid: number, backendPids: readonly string[]): CpuSnapshot | undefined {
  if (!procAvailable) return undefined;
  const backends = new Map<string, number>();
  for (const pid of backendPids) {
    const cpu = processCpu(pid);
    if (cpu) backends.set(pid, cpu[1]);
  }
  const usage = process.cpuUsage();
  const machine = machineCpu();
  return {
    at: process.hrtime.bigint(),
    service: processCpu(String(servicePid))?.[1] ?? Number.NaN,
    postgres: postgresCpu(),
    backends,
    bench: (usage.user + usage.system) / 1e6,
    machineBusy: machine.busy,
    machineIowait: machine.iowait,
  };
}

export function cpuUse(from: CpuSnapshot | undefined, to: CpuSnapshot | undefined): CpuUse | undefined {
  if (!from || !to) return undefined;
  const seconds = Number(to.at - from.at) / 1e9;
  const percent = (before: number, after: number) => (100 * (after - before)) / seconds;
  return {
    service: percent(from.service, to.service),
    postgres: percent(from.postgres, to.postgres),
    // a backend that started within the interval counts from zero; one that ended is not seen (it was idle)
    backends: percent(0, [...to.backends].reduce((total, [pid, after]) => total + after - (from.backends.get(pid) ?? 0), 0)),
    bench: percent(from.bench, to.bench),
    machineBusy: percent(from.machineBusy, to.machineBusy),
    machineIowait: percent(from.machineIowait, to.machineIowait),
  };
}
