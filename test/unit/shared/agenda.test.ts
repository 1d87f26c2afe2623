// planDates: the agenda of planned rounds per rhythm.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { addDays, nthWeekdayOfMonth, occurrenceOf, planDates, weekdayOf, MAX_PLANNED } from '../../../src/shared/agenda';

test('wekelijks gives the same weekday every 7 days, starting on the start date', () => {
  assert.equal(planDates('wekelijks', '2026-11-24', 4), ['2026-11-24', '2026-12-01', '2026-12-08', '2026-12-15']);
});

test('tweewekelijks on a chosen weekday starts at the first such day on or after the start', () => {
  // 2026-11-23 is a Monday; Thursday is weekday 4.
  assert.equal(planDates('tweewekelijks', '2026-11-23', 3, { weekday: 4 }), ['2026-11-26', '2026-12-10', '2026-12-24']);
});

test('maandelijks keeps "2e dinsdag" across months, over a year end', () => {
  // 2026-11-10 is the 2nd Tuesday of November.
  const dates = planDates('maandelijks', '2026-11-10', 4);
  assert.equal(dates, ['2026-11-10', '2026-12-08', '2027-01-12', '2027-02-09']);
  for (const d of dates) {
    assert.is(weekdayOf(d), 2);
    assert.is(occurrenceOf(d).nth, 2);
  }
});

test('maandelijks from a fifth weekday means the last one of each month', () => {
  // 2026-12-29 is the 5th (and last) Tuesday of December; February 2027 has only four.
  assert.equal(planDates('maandelijks', '2026-12-29', 3), ['2026-12-29', '2027-01-26', '2027-02-23']);
});

test('maandelijks skips the start month when its occurrence is already past', () => {
  assert.equal(planDates('maandelijks', '2026-11-20', 2, { weekday: 2, nth: 1 }), ['2026-12-01', '2027-01-05']);
});

test('an end date instead of a count stops on or before it', () => {
  assert.equal(planDates('wekelijks', '2026-11-24', '2026-12-08'), ['2026-11-24', '2026-12-01', '2026-12-08']);
  assert.equal(planDates('wekelijks', '2026-11-24', '2026-11-23'), []);
});

test('"anders" has no pattern, and a runaway count is capped', () => {
  assert.equal(planDates('anders', '2026-11-24', 5), []);
  assert.is(planDates('wekelijks', '2026-01-01', 10_000).length, MAX_PLANNED);
});

test('an impossible start date is refused', () => {
  assert.throws(() => planDates('wekelijks', '2026-02-30', 2), /Geen datum/);
});

test('property: dates are increasing, on or after the start, on the weekday, and spaced per rhythm', () => {
  const day = fc.integer({ min: 0, max: 3000 }).map((n) => addDays('2024-01-01', n));
  fc.assert(
    fc.property(day, fc.constantFrom('wekelijks', 'tweewekelijks', 'maandelijks') as fc.Arbitrary<'wekelijks' | 'tweewekelijks' | 'maandelijks'>, fc.integer({ min: 1, max: 30 }), (from, rhythm, n) => {
      const dates = planDates(rhythm, from, n);
      assert.is(dates.length, n);
      assert.ok(dates[0] >= from);
      for (let i = 1; i < dates.length; i++) {
        assert.ok(dates[i] > dates[i - 1]);
        assert.is(weekdayOf(dates[i]), weekdayOf(from));
        const gap = (Date.parse(dates[i]) - Date.parse(dates[i - 1])) / 86_400_000;
        if (rhythm === 'wekelijks') assert.is(gap, 7);
        if (rhythm === 'tweewekelijks') assert.is(gap, 14);
        if (rhythm === 'maandelijks') assert.ok(gap === 28 || gap === 35, `gap ${gap}`);
      }
    }),
  );
});

test('nthWeekdayOfMonth finds first and last weekdays', () => {
  assert.is(nthWeekdayOfMonth('2026-11', 2, 1), '2026-11-03');
  assert.is(nthWeekdayOfMonth('2026-11', 2, -1), '2026-11-24');
  assert.is(nthWeekdayOfMonth('2026-03', 0, -1), '2026-03-29');
});

test.run();
