// Benchmark: the annual report over 10 years of a 30-group organisation (DESIGN §6 budget < 100 ms).
import { computeReport, type ReportInput } from '../src/shared/report';
import { DEFAULT_PLAN, DEFAULT_STRATEGIES, DEFAULT_THEMES, FOUND_VIA } from '../src/shared/method';
import { roundId, attendanceId } from '../src/shared/ids';

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  budget: number;
}

const GROUPS = 30;
const YEARS = 10;
/** Rounds per group per year: a mix of fortnightly and monthly groups gives ≈ 8,000 rounds in 10 years. */
const ROUNDS_PER_YEAR = 27;
const PRESENT = 10;
const POOL = 16;

/** A deterministic generator, so every run measures the same data. */
function rng(seed: number) {
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
        if (rand() < 0.3) pool = pool.filter((_, i) => i !== Math.floor(rand() * pool.length));
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

/** Median time of computeReport over the whole ten years, no filter, in milliseconds. */
export async function benchReport(): Promise<BenchResult> {
  const input = benchData();
  const filter = { from: '2017-01-01', to: '2026-12-31' };
  // A few warm-up runs let the JIT optimise first, as it will have in a screen that recomputes on every filter change.
  for (let i = 0; i < 3; i++) computeReport(input, filter, { today: '2027-01-01' });
  const times: number[] = [];
  for (let i = 0; i < 20; i++) {
    const t0 = performance.now();
    computeReport(input, filter, { today: '2027-01-01' });
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const median = (times[9] + times[10]) / 2;
  return {
    name: `report over ${YEARS} years × ${GROUPS} groups (${input.rounds.length} rounds, ${input.attendance.length} attendance)`,
    value: Math.round(median * 10) / 10,
    unit: 'ms',
    budget: 100,
  };
}
