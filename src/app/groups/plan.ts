// Checking the step plan form: whole minutes 0–240 per step, as the schema demands, with a reason per field.
import { TIMER_STEPS, type TimerStep } from '../../shared/method';

export type PlanInput = Record<TimerStep, string>;
export type PlanError = 'empty' | 'whole' | 'max';

export function planError(raw: string): PlanError | null {
  const s = raw.trim();
  if (s === '') return 'empty';
  if (!/^\d+$/.test(s)) return 'whole';
  return Number(s) > 240 ? 'max' : null;
}

/** The total of the minutes that are valid so far, so the sum stays meaningful while typing. */
export function planTotal(values: PlanInput): number {
  return TIMER_STEPS.reduce((sum, s) => sum + (planError(values[s]) ? 0 : Number(values[s].trim())), 0);
}
