import { z } from 'zod';

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const HOUR_ONLY = /^\d{4}-\d{2}-\d{2}T\d{2}$/;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * A point in time given as a date (`2026-11-01`, midnight UTC), an hour (`2026-11-01T13`) or
 * an ISO time (`2026-11-01T13:05:00Z`; no offset means UTC). Parses to a Date.
 */
export const isoTime = z
  .union([z.date(), z.string()])
  .transform((value, ctx) => {
    if (value instanceof Date) return value;
    const s = value.trim();
    let text: string | undefined;
    if (DATE_ONLY.test(s)) text = `${s}T00:00:00Z`;
    else if (HOUR_ONLY.test(s)) text = `${s}:00:00Z`;
    else if (ISO_TIME.test(s)) text = /(Z|[+-]\d{2}:?\d{2})$/.test(s) ? s : `${s}Z`;
    const date = text === undefined ? new Date(Number.NaN) : new Date(text);
    if (Number.isNaN(date.getTime()) || (text !== undefined && !sameCalendarDay(s, date, text))) {
      ctx.addIssue({
        code: 'custom',
        message: `"${value}" is not a date (YYYY-MM-DD), an hour (YYYY-MM-DDTHH) or an ISO time`,
      });
      return z.NEVER;
    }
    return date;
  })
  .describe('date (YYYY-MM-DD), hour (YYYY-MM-DDTHH) or ISO time, UTC');

/** JavaScript rolls 2026-02-30 over to March; reject such dates instead. */
function sameCalendarDay(input: string, date: Date, text: string): boolean {
  if (!/(Z)$/.test(text)) return true;
  return date.toISOString().slice(0, 10) === input.slice(0, 10);
}

/** A 12-digit AWS account id. */
export const accountId = z
  .string()
  .regex(/^\d{12}$/, 'an AWS account id has 12 digits')
  .describe('AWS account id (12 digits)');

/** A window `[from, to)`: `from` must come before `to`. */
export function timeWindow<S extends z.ZodRawShape>(extra: S) {
  return z
    .object({
      from: isoTime.describe('start of the window, inclusive (date, hour or ISO time, UTC)'),
      to: isoTime.describe('end of the window, exclusive (date, hour or ISO time, UTC)'),
      ...extra,
    })
    .strict()
    .refine((p) => (p as { from: Date }).from < (p as { to: Date }).to, {
      message: '"from" must be before "to" (the window is [from, to))',
      path: ['to'],
    });
}
