import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { computeTimer, formatClock, nextStep, type TimerEvent } from '../../../src/shared/timer';
import { DEFAULT_PLAN, TIMER_STEPS, type TimerStep } from '../../../src/shared/method';

const S = 1000;
const M = 60 * S;
const T0 = 1_780_000_000_000;
const at = (ms: number) => T0 + ms;
let seq = 0;
const start = (step: TimerStep, ms: number, id = `e${++seq}`): TimerEvent => ({ id, step, kind: 'start', at: at(ms) });
const stop = (step: TimerStep, ms: number, id = `e${++seq}`): TimerEvent => ({ id, step, kind: 'stop', at: at(ms) });
const el = (s: ReturnType<typeof computeTimer>, step: TimerStep) => s.steps.find((x) => x.step === step)!;

test('before any event nothing runs and the plan totals 2.5 hours', () => {
  const s = computeTimer(DEFAULT_PLAN, [], at(0));
  assert.is(s.running, null);
  assert.is(s.current, null);
  assert.is(s.startedAt, null);
  assert.is(s.plannedEnd, null);
  assert.is(s.expectedEnd, null);
  assert.is(s.totalPlannedMs, 150 * M);
  assert.is(s.totalElapsedMs, 0);
  assert.equal(s.steps.map((x) => x.step), [...TIMER_STEPS]);
  assert.ok(s.steps.every((x) => x.elapsedMs === 0 && !x.running && !x.started));
});

test('a running step counts up to now and the round ends 150 minutes after the first start', () => {
  const s = computeTimer(DEFAULT_PLAN, [start('inloop', 0)], at(10 * M));
  assert.is(s.running, 'inloop');
  assert.is(el(s, 'inloop').elapsedMs, 10 * M);
  assert.is(el(s, 'inloop').plannedMs, 15 * M);
  assert.is(el(s, 'inloop').overMs, 0);
  assert.is(s.plannedEnd, at(150 * M));
  // 5 minutes left of inloop + 135 planned after it
  assert.is(s.expectedEnd, at(10 * M + 140 * M));
});

test('starting the next step ends the previous one at that moment; overrun is measured per step', () => {
  const s = computeTimer(DEFAULT_PLAN, [start('inloop', 0), start('opening', 17 * M)], at(30 * M));
  assert.is(el(s, 'inloop').elapsedMs, 17 * M);
  assert.is(el(s, 'inloop').overMs, 2 * M);
  assert.not.ok(el(s, 'inloop').running);
  assert.is(el(s, 'opening').elapsedMs, 13 * M);
  assert.is(s.running, 'opening');
  assert.is(s.currentSince, at(17 * M));
  assert.is(s.totalElapsedMs, 30 * M);
  // opening has 7 left, then 25+30+30+15+15 planned
  assert.is(s.expectedEnd, at(30 * M + 122 * M));
});

test('pause and resume add up only the running intervals', () => {
  const ev = [start('opening', 0), stop('opening', 5 * M), start('opening', 8 * M)];
  const s = computeTimer(DEFAULT_PLAN, ev, at(10 * M));
  assert.is(el(s, 'opening').elapsedMs, 7 * M);
  assert.is(s.running, 'opening');
  assert.is(s.currentSince, at(8 * M));
});

test('while paused the time stands still and the paused step stays current', () => {
  const ev = [start('opening', 0), stop('opening', 5 * M)];
  const s = computeTimer(DEFAULT_PLAN, ev, at(60 * M));
  assert.is(el(s, 'opening').elapsedMs, 5 * M);
  assert.is(s.running, null);
  assert.is(s.current, 'opening');
  assert.ok(el(s, 'opening').started);
});

test('two phones starting the same step count it once, from the first press', () => {
  const ev = [start('opening', 0, 'phoneA'), start('opening', 2 * S, 'phoneB')];
  const s = computeTimer(DEFAULT_PLAN, ev, at(60 * S));
  assert.is(el(s, 'opening').elapsedMs, 60 * S);
});

test('two phones pausing the same step: the first stop counts, the second changes nothing', () => {
  const ev = [start('opening', 0), stop('opening', 10 * S, 'a'), stop('opening', 12 * S, 'b')];
  const s = computeTimer(DEFAULT_PLAN, ev, at(60 * S));
  assert.is(el(s, 'opening').elapsedMs, 10 * S);
  assert.is(s.running, null);
});

test("a second phone's late stop of the previous step does not stop the step now running", () => {
  const ev = [start('opening', 0), start('verhaalkeuze', 100 * S), stop('opening', 101 * S)];
  const s = computeTimer(DEFAULT_PLAN, ev, at(200 * S));
  assert.is(el(s, 'opening').elapsedMs, 100 * S);
  assert.is(el(s, 'verhaalkeuze').elapsedMs, 100 * S);
  assert.is(s.running, 'verhaalkeuze');
});

test('"Volgende stap" as a stop and a start at the same moment reads the same whatever their ids', () => {
  for (const [a, b] of [
    ['x1', 'x2'],
    ['x2', 'x1'],
  ]) {
    const ev = [start('opening', 0, 'x0'), stop('opening', 20 * M, a), start('verhaalkeuze', 20 * M, b)];
    const s = computeTimer(DEFAULT_PLAN, ev, at(25 * M));
    assert.is(el(s, 'opening').elapsedMs, 20 * M);
    assert.is(el(s, 'verhaalkeuze').elapsedMs, 5 * M);
    assert.is(s.running, 'verhaalkeuze');
  }
});

test('events out of order in the array give the same result as sorted ones', () => {
  const ev = [start('inloop', 0), start('opening', 15 * M), stop('opening', 20 * M), start('opening', 22 * M)];
  const a = computeTimer(DEFAULT_PLAN, ev, at(30 * M));
  const b = computeTimer(DEFAULT_PLAN, [ev[3], ev[1], ev[0], ev[2]], at(30 * M));
  assert.equal(a, b);
  assert.is(el(a, 'opening').elapsedMs, 13 * M);
});

test('a phone whose clock runs ahead shows its fresh start as 0:00, never negative', () => {
  const s = computeTimer(DEFAULT_PLAN, [start('opening', 5 * S)], at(0));
  assert.is(s.running, 'opening');
  assert.is(el(s, 'opening').elapsedMs, 0);
  assert.is(s.totalElapsedMs, 0);
});

test('a stop stamped just before its start (a slow clock) leaves the step running', () => {
  const s = computeTimer(DEFAULT_PLAN, [start('opening', 10 * S), stop('opening', 9 * S)], at(70 * S));
  assert.is(s.running, 'opening');
  assert.is(el(s, 'opening').elapsedMs, 60 * S);
});

test('the step plan decides the planned and over times', () => {
  const plan = { ...DEFAULT_PLAN, opening: 1 };
  const s = computeTimer(plan, [start('opening', 0)], at(90 * S));
  assert.is(el(s, 'opening').plannedMs, 60 * S);
  assert.is(el(s, 'opening').overMs, 30 * S);
  assert.is(s.totalPlannedMs, 131 * M);
});

test('the order of steps: next after each, none after uitloop, inloop first', () => {
  assert.is(nextStep(null), 'inloop');
  assert.is(nextStep('inloop'), 'opening');
  assert.is(nextStep('afsluiting'), 'uitloop');
  assert.is(nextStep('uitloop'), null);
});

test('clock text: time left rounds up, minutes go past 59', () => {
  assert.is(formatClock(20 * M, true), '20:00');
  assert.is(formatClock(20 * M - 1, true), '20:00');
  assert.is(formatClock(20 * M - 1000, true), '19:59');
  assert.is(formatClock(1, true), '00:01');
  assert.is(formatClock(0, true), '00:00');
  assert.is(formatClock(61 * S + 999), '01:01');
  assert.is(formatClock(75 * M + 3 * S), '75:03');
  assert.is(formatClock(-5 * S), '00:00');
});

// Random histories: a few steps, start/stop, times within ten minutes, ids sometimes missing or shared.
const eventArb = fc.record(
  {
    id: fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'),
    step: fc.constantFrom<TimerStep>('inloop', 'opening', 'verhaalkeuze', 'uitloop'),
    kind: fc.constantFrom<'start' | 'stop'>('start', 'stop'),
    at: fc.integer({ min: 0, max: 10 * M }).map(at),
  },
  { requiredKeys: ['step', 'kind', 'at'] },
);
const nowArb = fc.integer({ min: -M, max: 12 * M }).map(at);

test('property: elapsed and over time are never negative, and at most one step runs', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 30 }), nowArb, (ev, now) => {
      const s = computeTimer(DEFAULT_PLAN, ev, now);
      if (s.steps.some((x) => x.elapsedMs < 0 || x.overMs < 0)) return false;
      const running = s.steps.filter((x) => x.running);
      if (running.length > 1) return false;
      return running.length === 0 ? s.running === null : s.running === running[0].step && s.current === s.running;
    }),
    { numRuns: 1000 },
  );
});

test('property: the order of the events in the array does not matter', () => {
  fc.assert(
    fc.property(
      fc.array(eventArb, { maxLength: 30 }).chain((ev) => fc.tuple(fc.constant(ev), fc.shuffledSubarray(ev, { minLength: ev.length, maxLength: ev.length }))),
      nowArb,
      ([ev, shuffled], now) => {
        assert.equal(computeTimer(DEFAULT_PLAN, shuffled, now), computeTimer(DEFAULT_PLAN, ev, now));
      },
    ),
    { numRuns: 1000 },
  );
});

test('property: a row applied twice (same event twice) changes nothing', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { minLength: 1, maxLength: 20 }), fc.nat(), nowArb, (ev, i, now) => {
      const twice = [...ev, ev[i % ev.length]];
      assert.equal(computeTimer(DEFAULT_PLAN, twice, now), computeTimer(DEFAULT_PLAN, ev, now));
    }),
    { numRuns: 1000 },
  );
});

test('property: with every event in the past, the steps together never run longer than the clock since the first start', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 30 }), fc.integer({ min: 10 * M, max: 20 * M }).map(at), (ev, now) => {
      const s = computeTimer(DEFAULT_PLAN, ev, now);
      return s.startedAt === null ? s.totalElapsedMs === 0 : s.totalElapsedMs <= now - s.startedAt;
    }),
    { numRuns: 1000 },
  );
});

test('property: later, only the running step has gained time, exactly the time that passed', () => {
  fc.assert(
    fc.property(fc.array(eventArb, { maxLength: 30 }), fc.integer({ min: 0, max: 5 * M }), (ev, wait) => {
      const now = at(10 * M);
      const a = computeTimer(DEFAULT_PLAN, ev, now);
      const b = computeTimer(DEFAULT_PLAN, ev, now + wait);
      return a.steps.every((x, i) => b.steps[i].elapsedMs - x.elapsedMs === (x.running ? wait : 0));
    }),
    { numRuns: 1000 },
  );
});

test.run();
