import type { LoadProgress } from '../ingest/local-load.ts';
import type { CliIO } from './io.ts';

/**
 * Progress of a load on stderr: a bar with rate and ETA redrawn in place on a terminal,
 * one plain line per batch otherwise (logs and CI).
 */
export function progressReporter(
  io: CliIO,
  now: () => number = () => performance.now(),
): (p: LoadProgress) => void {
  const started = new Map<string, number>();
  return (p) => {
    if (!started.has(p.table)) started.set(p.table, now());
    const seconds = Math.max(0.001, (now() - (started.get(p.table) ?? now())) / 1000);
    const rate = p.partitionsDone / seconds;
    const left = p.partitionsTotal - p.partitionsDone;
    const eta = rate > 0 ? left / rate : 0;
    const stats = `${p.partitionsDone}/${p.partitionsTotal} partitions  ${rate.toFixed(1)}/s  ETA ${formatSeconds(eta)}`;
    if (io.isTTY) {
      const width = 24;
      const filled = Math.round((p.partitionsDone / Math.max(1, p.partitionsTotal)) * width);
      const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
      process.stderr.write(`\r${p.table.padEnd(38)} ${bar} ${stats}   `);
      if (p.partitionsDone === p.partitionsTotal) process.stderr.write('\n');
    } else {
      io.err(`${p.table}: ${stats} (last ${p.lastPartition})`);
    }
  };
}

export function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  const m = Math.floor(s / 60);
  return m < 60
    ? `${m}m${String(Math.round(s % 60)).padStart(2, '0')}s`
    : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
