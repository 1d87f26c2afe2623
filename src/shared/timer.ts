// Timer maths for a round: from the plan and the append-only start/stop events of any number of phones to the time per step.
import { TIMER_STEPS, type StepPlan, type TimerStep } from './method';

export interface TimerEvent {
  /** Only breaks ties between events with the same `at`, so every phone reads the same story. */
  id?: string;
  step: TimerStep;
  kind: 'start' | 'stop';
  at: number;
}

export interface StepTime {
  step: TimerStep;
  plannedMs: number;
  elapsedMs: number;
  /** How far past the plan the step is; 0 while within it. */
  overMs: number;
  running: boolean;
  started: boolean;
}

export interface TimerState {
  steps: StepTime[];
  /** The step whose time is running now, or null when paused or not yet started. */
  running: TimerStep | null;
  /** The running step, or when paused the step that was last started (the one "Hervat" continues). */
  current: TimerStep | null;
  /** The last step was started and is stopped now: the timer has reached its end. */
  finished: boolean;
  /** When the current step's latest interval began (changes only when a step starts or resumes). */
  currentSince: number | null;
  totalElapsedMs: number;
  totalPlannedMs: number;
  /** The first start of any step; null before the timer was used. */
  startedAt: number | null;
  /** First start + the whole plan: when the round would end if every step kept to its minutes. */
  plannedEnd: number | null;
  /** Now + what is left of the current step and the steps after it: the end as things stand. */
  expectedEnd: number | null;
}

const MINUTE = 60_000;

function byTimeThenId(a: TimerEvent, b: TimerEvent): number {
  if (a.at !== b.at) return a.at - b.at;
  const ai = a.id ?? '';
  const bi = b.id ?? '';
  if (ai !== bi) return ai < bi ? -1 : 1;
  if (a.kind !== b.kind) return a.kind < b.kind ? -1 : 1;
  return a.step < b.step ? -1 : a.step > b.step ? 1 : 0;
}

/**
 * Reads the events in time order (ties by id) as one story:
 * - a start of the running step changes nothing (two phones pressed the same button);
 * - a start of another step ends the running one at that moment;
 * - a stop ends the step only if that step is running (a late stop from a second phone is ignored);
 * - an interval still open runs to `now`, and never counts below zero when a phone's clock is ahead.
 */
export function computeTimer(plan: StepPlan, events: readonly TimerEvent[], now: number): TimerState {
  const elapsed = new Map<TimerStep, number>();
  const started = new Set<TimerStep>();
  let running: { step: TimerStep; since: number } | null = null;
  let last: TimerStep | null = null;
  let lastSince: number | null = null;
  let startedAt: number | null = null;

  const add = (r: { step: TimerStep; since: number }, until: number) =>
    elapsed.set(r.step, (elapsed.get(r.step) ?? 0) + Math.max(0, until - r.since));

  for (const e of [...events].sort(byTimeThenId)) {
    if (!TIMER_STEPS.includes(e.step) || !Number.isFinite(e.at)) continue;
    if (e.kind === 'start') {
      if (running && running.step === e.step) continue;
      if (running) add(running, e.at);
      running = { step: e.step, since: e.at };
      started.add(e.step);
      last = e.step;
      lastSince = e.at;
      startedAt ??= e.at;
    } else if (running && running.step === e.step) {
      add(running, e.at);
      running = null;
    }
  }

  const runningStep = running ? running.step : null;
  if (running) add(running, now);

  const steps = TIMER_STEPS.map((step): StepTime => {
    const plannedMs = Math.max(0, plan[step] ?? 0) * MINUTE;
    const elapsedMs = elapsed.get(step) ?? 0;
    return {
      step,
      plannedMs,
      elapsedMs,
      overMs: Math.max(0, elapsedMs - plannedMs),
      running: step === runningStep,
      started: started.has(step),
    };
  });

  const totalPlannedMs = steps.reduce((s, x) => s + x.plannedMs, 0);
  const totalElapsedMs = steps.reduce((s, x) => s + x.elapsedMs, 0);
  let expectedEnd: number | null = null;
  if (last) {
    const from = TIMER_STEPS.indexOf(last);
    expectedEnd = now + steps.slice(from).reduce((s, x) => s + Math.max(0, x.plannedMs - x.elapsedMs), 0);
  }

  return {
    steps,
    running: runningStep,
    current: last,
    finished: last === TIMER_STEPS[TIMER_STEPS.length - 1] && runningStep === null,
    currentSince: last ? lastSince : null,
    totalElapsedMs,
    totalPlannedMs,
    startedAt,
    plannedEnd: startedAt === null ? null : startedAt + totalPlannedMs,
    expectedEnd,
  };
}

/** The step after `step` in the round's order, or null after the last one. */
export function nextStep(step: TimerStep | null): TimerStep | null {
  if (step === null) return TIMER_STEPS[0];
  const i = TIMER_STEPS.indexOf(step);
  return i >= 0 && i < TIMER_STEPS.length - 1 ? TIMER_STEPS[i + 1] : null;
}

/** "mm:ss" with minutes not capped at 59, so a long overrun stays readable. Left time rounds up, so a fresh
 * 20-minute step reads 20:00 and 00:00 appears only when the time is really up. */
export function formatClock(ms: number, roundUp = false): string {
  const total = Math.max(0, roundUp ? Math.ceil(ms / 1000) : Math.floor(ms / 1000));
  const m = Math.floor(total / 60);
  const s = total % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}
