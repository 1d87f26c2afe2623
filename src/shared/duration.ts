// The duration the close of a round proposes to the begeleider: what was measured, unless that cannot be the real round.
import { DEFAULT_PLAN, type StepPlan } from './method';
import { localDate } from './ids';

export function planMinutes(plan: Partial<StepPlan> | undefined): number {
  const p = plan ?? DEFAULT_PLAN;
  return (p.inloop ?? 0) + (p.opening ?? 0) + (p.verhaalkeuze ?? 0) + (p.verdieping ?? 0) + (p.verbreding ?? 0) + (p.afsluiting ?? 0) + (p.uitloop ?? 0);
}

/** The longest duration a round can be confirmed with; the schema's rule for `durationMin`. */
export const MAX_DURATION = 600;
export const validDuration = (m: number) => Number.isInteger(m) && m >= 1 && m <= MAX_DURATION;

export type DurationSource = 'measured' | 'plan-short' | 'plan-long' | 'plan-afterwards';

export interface DurationProposal {
  minutes: number;
  source: DurationSource;
  /** What the clocks said, rounded; null without a start. */
  measured: number | null;
  planned: number;
}

/** From the first timer start (or the round's start) to `end`. A measured time under half or over 1.5 × the plan,
 * or a round started or closed on another day than its date (filled in afterwards), proposes the plan. */
export function proposeDuration(
  round: { date: string; startedAt: number | null; plan?: Partial<StepPlan> },
  firstTimerStart: number | null,
  end: number,
): DurationProposal {
  const planned = planMinutes(round.plan);
  const start = firstTimerStart ?? round.startedAt;
  const measured = start === null ? null : Math.max(0, Math.round((end - start) / 60_000));
  if (measured === null || localDate(start!) !== round.date || localDate(end) !== round.date) return { minutes: planned, source: 'plan-afterwards', measured, planned };
  if (measured < planned / 2) return { minutes: planned, source: 'plan-short', measured, planned };
  if (measured > planned * 1.5) return { minutes: planned, source: 'plan-long', measured, planned };
  return { minutes: measured, source: 'measured', measured, planned };
}
