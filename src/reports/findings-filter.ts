import { LakeqError } from '../engines/engine.ts';
import { isoTime } from '../query/param-types.ts';
import { type FindingRow, SEVERITY_LABELS, type SeverityLabel } from './findings-row.ts';

/**
 * Which findings the report keeps: active ones (RecordState ACTIVE) last observed in `[from, to)`
 * when a window is given, of the given severities when some are.
 *
 * @example
 * ```ts
 * const filter: FindingsFilter = { from: new Date('2026-11-23'), to: new Date('2026-11-30'), severities: ['CRITICAL', 'HIGH'] };
 * ```
 */
export interface FindingsFilter {
  readonly from?: Date;
  readonly to?: Date;
  /** Empty or absent: every severity. */
  readonly severities?: readonly SeverityLabel[];
}

/**
 * The filter from the command line's (or a state machine input's) strings: times as dates,
 * hours or ISO times (UTC), severities comma-separated in any case. Bad input fails with one
 * line naming the option.
 *
 * @example
 * ```ts
 * parseFindingsFilter({ from: '2026-11-23', severity: 'critical,HIGH' })
 * // { from: 2026-11-23T00:00:00.000Z, severities: ['CRITICAL', 'HIGH'] }
 * ```
 */
export function parseFindingsFilter(input: {
  readonly from?: string | undefined;
  readonly to?: string | undefined;
  readonly severity?: string | readonly string[] | undefined;
}): FindingsFilter {
  const time = (name: 'from' | 'to', value: string | undefined) => {
    if (value === undefined) return undefined;
    const parsed = isoTime.safeParse(value);
    if (!parsed.success)
      throw new LakeqError(
        'BAD_OPTION',
        `--${name} must be a date (YYYY-MM-DD), an hour (YYYY-MM-DDTHH) or an ISO time (got "${value}")`,
        { usage: true },
      );
    return parsed.data;
  };
  const from = time('from', input.from);
  const to = time('to', input.to);
  if (from && to && from >= to)
    throw new LakeqError('BAD_OPTION', '--from must be before --to (the window is [from, to))', {
      usage: true,
    });
  const given = input.severity === undefined ? [] : [input.severity].flat();
  const severities: SeverityLabel[] = [];
  for (const part of given.flatMap((s) => s.split(','))) {
    const label = part.trim().toUpperCase();
    if (label === '') continue;
    if (!(SEVERITY_LABELS as readonly string[]).includes(label))
      throw new LakeqError(
        'BAD_OPTION',
        `--severity must be among ${SEVERITY_LABELS.join(', ')} (got "${part.trim()}")`,
        { usage: true },
      );
    if (!severities.includes(label as SeverityLabel)) severities.push(label as SeverityLabel);
  }
  return {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(severities.length > 0 ? { severities } : {}),
  };
}

/**
 * True when a row is in the report: active, of a chosen severity, last observed in the window
 * (a finding without a last-observed time is kept only when there is no window).
 *
 * @example
 * ```ts
 * keepsFinding({ severities: ['HIGH'] }, row) // row.record_state === 'ACTIVE' && row.severity === 'HIGH'
 * ```
 */
export function keepsFinding(filter: FindingsFilter, row: FindingRow): boolean {
  if (row.record_state !== 'ACTIVE') return false;
  if (filter.severities && !filter.severities.includes(row.severity as SeverityLabel)) return false;
  if (filter.from || filter.to) {
    const at = row.last_observed === null ? Number.NaN : Date.parse(row.last_observed);
    if (Number.isNaN(at)) return false;
    if (filter.from && at < filter.from.getTime()) return false;
    if (filter.to && at >= filter.to.getTime()) return false;
  }
  return true;
}

/** A Security Hub `StringFilter`/`DateFilter` map, as GetFindings takes it. */
export interface SecurityHubFilters {
  RecordState: { Value: string; Comparison: 'EQUALS' }[];
  SeverityLabel?: { Value: string; Comparison: 'EQUALS' }[];
  LastObservedAt?: { Start: string; End: string }[];
}

/**
 * The GetFindings `Filters` of a report filter: Security Hub selects the findings, so only the
 * report's pages cross the wire. Its DateFilter end is inclusive, so `to` is moved back a
 * millisecond to keep the window half-open; a window open on one side gets the other from
 * the epoch or the far future.
 *
 * @example
 * ```ts
 * securityHubFilters({ severities: ['CRITICAL'] })
 * // { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }], SeverityLabel: [{ Value: 'CRITICAL', Comparison: 'EQUALS' }] }
 * ```
 */
export function securityHubFilters(filter: FindingsFilter): SecurityHubFilters {
  const out: SecurityHubFilters = { RecordState: [{ Value: 'ACTIVE', Comparison: 'EQUALS' }] };
  if (filter.severities && filter.severities.length > 0)
    out.SeverityLabel = filter.severities.map((Value) => ({ Value, Comparison: 'EQUALS' as const }));
  if (filter.from || filter.to) {
    const start = filter.from ?? new Date(0);
    const end = filter.to ? new Date(filter.to.getTime() - 1) : new Date('9999-12-31T23:59:59.999Z');
    out.LastObservedAt = [{ Start: start.toISOString(), End: end.toISOString() }];
  }
  return out;
}
