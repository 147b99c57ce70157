import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { CpuUse } from './cpu.js';

/* Small helpers the benchmarks share: database URLs, the build's version, CPU and sizes for their reports. */

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export function redact(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = '***';
  return parsed.toString();
}

/** The commit the service was built from, and whether its code differed from that commit. */
export function sourceVersion(repositoryRoot: string): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: repositoryRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = git('status', '--porcelain', '--untracked-files=no', '--', 'apps', 'libs', 'migrations', 'package.json', 'package-lock.json') !== '';
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' + uncommitted changes to the service' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function cpuLine(cpu: CpuUse | undefined): string {
  if (!cpu) return 'n/a (no /proc)';
  const percent = (value: number) => `${value.toFixed(0)} %`;
  return [
    `service ${percent(cpu.service)}`,
    `PostgreSQL ${percent(cpu.postgres)} (this database's backends ${percent(cpu.backends)})`,
    `load generator ${percent(cpu.bench)}`,
    `other ${percent(Math.max(0, cpu.machineBusy - cpu.service - cpu.postgres - cpu.bench))}`,
    `machine busy ${percent(cpu.machineBusy)} of ${os.cpus().length * 100} %`,
    `iowait ${percent(cpu.machineIowait)}`,
  ].join(', ');
}

/** `1 h 02 min`, `3 min 05 s`, `42 s` */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'n/a';
  const whole = Math.round(seconds);
  if (whole < 60) return `${whole} s`;
  if (whole < 3_600) return `${Math.floor(whole / 60)} min ${(whole % 60).toString().padStart(2, '0')} s`;
  return `${Math.floor(whole / 3_600)} h ${Math.floor((whole % 3_600) / 60).toString().padStart(2, '0')} min`;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(2)} GiB`;
  return `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

/** Resident memory of a process, from /proc (Linux); undefined elsewhere. */
export function residentBytes(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+)\s+kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1_024 : undefined;
  } catch {
    return undefined;
  }
}
