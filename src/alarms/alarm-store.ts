import { randomUUID } from 'node:crypto';
import { appendFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AlarmState } from './alarm-state.ts';

/** One alarm's last evaluation, kept between evaluations. */
export interface StoredAlarmState {
  readonly state: AlarmState;
  /** When the alarm entered `state`. */
  readonly since: string;
  readonly evaluatedAt: string;
  readonly value: number | null;
  readonly reason: string;
  /** The datapoints of the last evaluation periods, by period start (ISO), for M-of-N evaluation. */
  readonly datapoints: readonly { readonly period: string; readonly value: number | null }[];
}

/** `<dataDir>/alarms/state.json`. */
export interface AlarmStateFile {
  readonly version: 1;
  /** The evaluation time of the last recorded evaluation. */
  readonly evaluatedAt: string;
  readonly alarms: Readonly<Record<string, StoredAlarmState>>;
}

/** A state change, one line of `<dataDir>/alarms/history.ndjson`. */
export interface AlarmTransition {
  readonly at: string;
  readonly alarm: string;
  readonly from: AlarmState;
  readonly to: AlarmState;
  readonly value: number | null;
  readonly threshold: number;
  readonly reason: string;
}

/**
 * The alarm folder of a data folder, holding `state.json` and `history.ndjson`.
 *
 * @example
 * ```ts
 * alarmsDir('./lakeq-data') // 'lakeq-data/alarms'
 * ```
 */
export function alarmsDir(dataDir: string): string {
  return path.join(dataDir, 'alarms');
}

/** `<dataDir>/alarms/state.json`. */
export function alarmStatePath(dataDir: string): string {
  return path.join(alarmsDir(dataDir), 'state.json');
}

/** `<dataDir>/alarms/history.ndjson`. */
export function alarmHistoryPath(dataDir: string): string {
  return path.join(alarmsDir(dataDir), 'history.ndjson');
}

/**
 * Reads the alarm states; `undefined` when no evaluation was recorded yet. A file that is not
 * lakeq's state (edited by hand, another program) is an error naming it: replacing it silently
 * would lose every alarm's `since`.
 *
 * @example
 * ```ts
 * (await readAlarmState('./lakeq-data'))?.alarms['loads-stopped']?.state // 'OK'
 * ```
 */
export async function readAlarmState(dataDir: string): Promise<AlarmStateFile | undefined> {
  const file = alarmStatePath(dataDir);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not valid JSON (${(error as Error).message}); remove it to start over`);
  }
  const f = json as Partial<AlarmStateFile> | null;
  if (
    f?.version !== 1 ||
    typeof f.alarms !== 'object' ||
    f.alarms === null ||
    typeof f.evaluatedAt !== 'string'
  ) {
    throw new Error(`${file} is not a lakeq alarm state file (version 1); remove it to start over`);
  }
  return f as AlarmStateFile;
}

/**
 * Replaces the state file as a whole: written to a temporary file beside it, then renamed over
 * it, so a reader or a crash sees the old states or the new ones.
 *
 * @example
 * ```ts
 * await writeAlarmState(dataDir, { version: 1, evaluatedAt: at.toISOString(), alarms });
 * ```
 */
export async function writeAlarmState(dataDir: string, state: AlarmStateFile): Promise<void> {
  const file = alarmStatePath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}

/**
 * Appends transitions to the history, in one write, so a killed process loses at most its last
 * line (which `readAlarmHistory` skips).
 *
 * @example
 * ```ts
 * await appendAlarmHistory(dataDir, [{ at, alarm: 'loads-stopped', from: 'OK', to: 'ALARM', value: 5, threshold: 3, reason }]);
 * ```
 */
export async function appendAlarmHistory(dataDir: string, rows: readonly AlarmTransition[]): Promise<void> {
  if (rows.length === 0) return;
  const file = alarmHistoryPath(dataDir);
  await mkdir(path.dirname(file), { recursive: true });
  await appendFile(file, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
}

/**
 * Reads the transitions, oldest first; a line cut short by a crash is skipped and counted.
 *
 * @example
 * ```ts
 * const { rows } = await readAlarmHistory(dataDir);
 * rows.at(-1) // { at: '2026-11-27T14:05:00.000Z', alarm: 'loads-stopped', from: 'OK', to: 'ALARM', ... }
 * ```
 */
export async function readAlarmHistory(
  dataDir: string,
): Promise<{ rows: AlarmTransition[]; damagedLines: number }> {
  let text: string;
  try {
    text = await readFile(alarmHistoryPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { rows: [], damagedLines: 0 };
    throw error;
  }
  const rows: AlarmTransition[] = [];
  let damagedLines = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    try {
      rows.push(JSON.parse(line) as AlarmTransition);
    } catch {
      damagedLines++;
    }
  }
  return { rows, damagedLines };
}
