// The report benchmark's organisation: 10 years of 30 groups, deterministic, pure (bundled into the page for the phone run too).
import type { ReportInput } from '../src/shared/report';
import { DEFAULT_PLAN, DEFAULT_STRATEGIES, DEFAULT_THEMES, FOUND_VIA } from '../src/shared/method';
import { formatHlc } from '../src/shared/hlc';
import { roundId, attendanceId } from '../src/shared/ids';
import { REPORT_TABLES } from '../src/shared/report-tables';

export const GROUPS = 30;
export const YEARS = 10;
/** Rounds per group per year: a mix of fortnightly and monthly groups gives ≈ 8,000 rounds in 10 years. */
const ROUNDS_PER_YEAR = 27;
const PRESENT = 10;
const POOL = 16;
export const FILTER = { from: '2017-01-01', to: '2026-12-31' };
export const TODAY = '2027-01-01';

/** A deterministic generator, so every run measures the same data (and a failing test seed can be replayed). */
export function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

type Input = { [K in keyof ReportInput]: ReportInput[K] extends readonly (infer R)[] ? R[] : never };

export function benchData(): ReportInput {
  const rand = rng(42);
  const input: Input = { locations: [], groups: [], participants: [], rounds: [], attendance: [], evaluations: [], stories: [], categories: [] };
  for (let l = 0; l < 12; l++) input.locations.push({ id: `l${l}`, groupId: null, _h: {}, name: `Buurthuis ${l}`, wijk: `Wijk ${l % 6}` });
  const startYear = 2017;
  let personSeq = 0;
  for (let g = 0; g < GROUPS; g++) {
    const gid = `g${g}`;
    input.groups.push({ id: gid, groupId: gid, _h: {}, name: `Luistergroep ${g}`, locationId: `l${g % 12}`, plan: DEFAULT_PLAN, active: true, begeleiders: [], rhythm: 'tweewekelijks' });
    let pool: string[] = [];
    for (let y = 0; y < YEARS; y++) {
      for (let n = 0; n < ROUNDS_PER_YEAR; n++) {
        const day = 1 + Math.floor((n * 365) / ROUNDS_PER_YEAR);
        const date = new Date(Date.UTC(startYear + y, 0, day)).toISOString().slice(0, 10);
        const id = roundId(gid, date);
        const startedAt = Date.UTC(startYear + y, 0, day, 17);
        const cancelled = rand() < 0.03;
        input.rounds.push({
          id, groupId: gid, _h: {}, date, locationId: null, plan: DEFAULT_PLAN,
          status: cancelled ? 'geannuleerd' : 'afgerond',
          startedAt: cancelled ? null : startedAt,
          endedAt: cancelled || rand() < 0.2 ? null : startedAt + (120 + Math.floor(rand() * 40)) * 60_000,
          chosenTheme: DEFAULT_THEMES[Math.floor(rand() * DEFAULT_THEMES.length)],
          themesRaised: { [DEFAULT_THEMES[Math.floor(rand() * 14)]]: 2, [DEFAULT_THEMES[Math.floor(rand() * 14)]]: 1 },
          strategies: [DEFAULT_STRATEGIES[Math.floor(rand() * DEFAULT_STRATEGIES.length)]],
        });
        if (cancelled) continue;
        // The group's regulars slowly change: now and then someone leaves and a newcomer joins.
        while (pool.length < POOL) {
          const pid = `p${personSeq++}`;
          const linked = rand() < 0.05 && personSeq > 100 ? `p${Math.floor(rand() * (personSeq - 50))}` : null;
          input.participants.push({ id: pid, groupId: gid, _h: {}, name: pid, firstVisit: date, foundVia: FOUND_VIA[Math.floor(rand() * FOUND_VIA.length)], status: 'actief', personId: linked });
          pool.push(pid);
        }
        if (rand() < 0.3) {
          // One leaves; drawn once, or the pool could shrink below PRESENT and list someone twice in a round.
          const leaves = Math.floor(rand() * pool.length);
          pool = pool.filter((_, i) => i !== leaves);
        }
        for (let i = 0; i < PRESENT; i++) {
          const pid = pool[(n + i) % pool.length];
          input.attendance.push({ id: attendanceId(id, pid), groupId: gid, _h: {}, roundId: id, participantId: pid, present: true });
        }
        if (rand() < 0.7) input.evaluations.push({ id: `${id}|eval`, groupId: gid, _h: {}, roundId: id, atmosphere: 3 + Math.floor(rand() * 3), safety: 3 + Math.floor(rand() * 3) });
      }
    }
  }
  return input;
}

type AnyRow = { id: string; groupId: string | null; _h: Record<string, string> } & Record<string, unknown>;

/** The rows as a device or the server stores them: every field carries the HLC of its write, so reading a row
 * costs what it costs in real use (the report itself never looks at `_h`). */
export function stampedTables(input: ReportInput): Record<(typeof REPORT_TABLES)[number], AnyRow[]> {
  let n = 0;
  const stamp = (row: AnyRow): AnyRow => {
    const hlc = formatHlc(1_500_000_000_000 + n++ * 1000, 0, 'benchdevice0');
    const _h: Record<string, string> = {};
    for (const k of Object.keys(row)) if (k !== 'id' && k !== 'groupId' && k !== '_h') _h[k] = hlc;
    return { ...row, _h };
  };
  return Object.fromEntries(REPORT_TABLES.map((t) => [t, (input[t] as unknown as AnyRow[]).map(stamp)])) as Record<(typeof REPORT_TABLES)[number], AnyRow[]>;
}

export function median(times: number[]): number {
  const s = [...times].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
