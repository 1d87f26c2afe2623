// The report's period: presets by calendar year, checks on a chosen range, and file names that say which period.
import { localDate } from '../../shared/ids';

export type PeriodKind = 'thisYear' | 'lastYear' | 'custom';

export interface Period {
  from: string;
  to: string;
}

export function yearPeriod(year: number): Period {
  return { from: `${year}-01-01`, to: `${year}-12-31` };
}

/** This or last calendar year in the Netherlands; for 'custom' the typed dates. */
export function presetPeriod(kind: PeriodKind, custom: Period, today = localDate()): Period {
  const year = Number(today.slice(0, 4));
  if (kind === 'thisYear') return yearPeriod(year);
  if (kind === 'lastYear') return yearPeriod(year - 1);
  return custom;
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

function isDate(s: string): boolean {
  if (!ISO.test(s)) return false;
  const d = new Date(`${s}T12:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

export type PeriodProblem = 'fromInvalid' | 'toInvalid' | 'order' | 'range' | null;

/** Years the organisation can have data for; a typo like 0202 would otherwise chart two thousand empty years. */
export const FIRST_YEAR = 2000;
export const LAST_YEAR = 2100;

export function periodProblem(p: Period): PeriodProblem {
  if (!isDate(p.from)) return 'fromInvalid';
  if (!isDate(p.to)) return 'toInvalid';
  if (p.from > p.to) return 'order';
  const inRange = (d: string) => Number(d.slice(0, 4)) >= FIRST_YEAR && Number(d.slice(0, 4)) <= LAST_YEAR;
  return inRange(p.from) && inRange(p.to) ? null : 'range';
}

/** "luisterkring-rapport-2026.csv" for a calendar year, else the dates: the file name alone tells what is inside. */
export function fileName(what: string, p: Period): string {
  const year = p.from.slice(0, 4);
  const span = p.from === `${year}-01-01` && p.to === `${year}-12-31` ? year : `${p.from}-tot-${p.to}`;
  return `luisterkring-${what}-${span}.csv`;
}
