// Planned round dates for a group's rhythm: weekly, fortnightly, or the same weekday of every month ("2e dinsdag").
import type { RHYTHMS } from './method';

export type Rhythm = (typeof RHYTHMS)[number];

/** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface PlanOptions {
  /** The weekday rounds fall on; default: the weekday of `from`. */
  weekday?: Weekday;
  /** maandelijks: which occurrence of the weekday in the month, 1–4, or -1 for the last one.
   * Default: the occurrence of `from` itself, where a fifth occurrence means "the last". */
  nth?: 1 | 2 | 3 | 4 | -1;
}

/** Planning further ahead than this is never meant; it also keeps a typo from producing thousands of rounds. */
export const MAX_PLANNED = 104;
const MAX_DAYS_AHEAD = 3 * 366;

const DAY = 86_400_000;
const ISO_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toMs(date: string): number {
  const m = ISO_RE.exec(date);
  if (!m) throw new RangeError(`Geen datum: ${date}`);
  const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (new Date(ms).toISOString().slice(0, 10) !== date) throw new RangeError(`Geen datum: ${date}`);
  return ms;
}

function toIso(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return toIso(toMs(date) + days * DAY);
}

export function weekdayOf(date: string): Weekday {
  return new Date(toMs(date)).getUTCDay() as Weekday;
}

/** Which occurrence of its weekday a date is in its month: 1–5, and whether it is the month's last one. */
export function occurrenceOf(date: string): { nth: number; last: boolean; weekday: Weekday } {
  const day = Number(date.slice(8, 10));
  return { nth: Math.ceil(day / 7), last: addDays(date, 7).slice(0, 7) !== date.slice(0, 7), weekday: weekdayOf(date) };
}

/** The `nth` (or last, -1) `weekday` of a month; `month` is 'YYYY-MM'. */
export function nthWeekdayOfMonth(month: string, weekday: Weekday, nth: number): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7)) - 1;
  if (nth === -1) {
    const lastDay = Date.UTC(y, m + 1, 0);
    const back = (new Date(lastDay).getUTCDay() - weekday + 7) % 7;
    return toIso(lastDay - back * DAY);
  }
  const first = Date.UTC(y, m, 1);
  const ahead = (weekday - new Date(first).getUTCDay() + 7) % 7;
  return toIso(first + (ahead + (nth - 1) * 7) * DAY);
}

function nextMonth(month: string): string {
  let y = Number(month.slice(0, 4));
  let m = Number(month.slice(5, 7)) + 1;
  if (m > 12) {
    m = 1;
    y++;
  }
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
}

/** The default monthly occurrence for a start date: its own, with a fifth occurrence read as "the last". */
export function defaultNth(from: string): 1 | 2 | 3 | 4 | -1 {
  const { nth } = occurrenceOf(from);
  return nth >= 5 ? -1 : (nth as 1 | 2 | 3 | 4);
}

/**
 * The dates of the next rounds from `from` (inclusive) for a rhythm: `limit` is a count, or an end date
 * (inclusive, 'YYYY-MM-DD'). The first date is the first matching day on or after `from`.
 * 'anders' has no regular pattern and yields no dates; the coördinator plans such rounds one by one.
 */
export function planDates(rhythm: Rhythm, from: string, limit: number | string, opts: PlanOptions = {}): string[] {
  const start = toMs(from);
  const count = typeof limit === 'number' ? Math.max(0, Math.min(MAX_PLANNED, Math.floor(limit))) : MAX_PLANNED;
  const until = typeof limit === 'string' ? toMs(limit) : start + MAX_DAYS_AHEAD * DAY;
  if (rhythm === 'anders' || count === 0 || until < start) return [];
  const weekday = opts.weekday ?? weekdayOf(from);
  const out: string[] = [];
  const push = (ms: number) => {
    if (ms < start || ms > until || out.length >= count) return false;
    out.push(toIso(ms));
    return true;
  };
  if (rhythm === 'maandelijks') {
    const nth = opts.nth ?? defaultNth(from);
    let month = from.slice(0, 7);
    for (let i = 0; i < 12 * 4 && out.length < count; i++, month = nextMonth(month)) {
      const ms = toMs(nthWeekdayOfMonth(month, weekday, nth));
      if (ms > until) break;
      push(ms);
    }
    return out;
  }
  const step = rhythm === 'wekelijks' ? 7 : 14;
  let ms = start + ((weekday - new Date(start).getUTCDay() + 7) % 7) * DAY;
  while (out.length < count && ms <= until) {
    push(ms);
    ms += step * DAY;
  }
  return out;
}
