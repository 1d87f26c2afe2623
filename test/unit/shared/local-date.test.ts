// localDate: the EU clock rule gives the same Amsterdam calendar day as the zone data, to the hour.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkLocalDateRule, localDate } from '../../../src/shared/ids';

const zone = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });
const HOUR = 3_600_000;

test('every hour from 2020 to 2035 falls on the same day as the zone data says', () => {
  const start = Date.UTC(2020, 0, 1);
  const end = Date.UTC(2035, 11, 31, 23);
  let checked = 0;
  for (let t = start; t <= end; t += HOUR) {
    const want = zone.format(t);
    if (localDate(t) !== want) assert.unreachable(`${new Date(t).toISOString()}: ${localDate(t)} ≠ ${want}`);
    checked++;
  }
  assert.ok(checked > 130_000);
});

test('the minutes around midnight on the days the clocks change', () => {
  // 2026-03-29 and 2026-10-25: CET↔CEST at 01:00 UTC; Amsterdam midnight is 22:00 or 23:00 UTC.
  const cases: [string, string][] = [
    ['2026-03-28T22:59:59Z', '2026-03-28'],
    ['2026-03-28T23:00:00Z', '2026-03-29'],
    ['2026-03-29T21:59:59Z', '2026-03-29'],
    ['2026-03-29T22:00:00Z', '2026-03-30'],
    ['2026-10-24T21:59:59Z', '2026-10-24'],
    ['2026-10-24T22:00:00Z', '2026-10-25'],
    ['2026-10-25T22:59:59Z', '2026-10-25'],
    ['2026-10-25T23:00:00Z', '2026-10-26'],
  ];
  for (const [iso, day] of cases) {
    assert.is(localDate(Date.parse(iso)), day, iso);
    assert.is(localDate(new Date(iso)), day, iso);
  }
});

test('the rule holds against this runtime\'s zone data now and around this year\'s changes', () => {
  assert.ok(checkLocalDateRule(Date.UTC(2026, 10, 23, 12)));
  assert.ok(checkLocalDateRule(Date.UTC(2031, 5, 1)));
});

test('when the zone data disagrees (no more summer time), localDate follows the zone data', () => {
  const noSummerTime = (ms: number) => new Date(ms + HOUR).toISOString().slice(0, 10);
  const summerEvening = Date.UTC(2027, 6, 1, 22, 30); // 00:30 CEST, 23:30 CET
  assert.is(localDate(summerEvening), '2027-07-02');
  assert.not.ok(checkLocalDateRule(Date.UTC(2027, 0, 10), noSummerTime));
  assert.is(localDate(summerEvening), '2027-07-01');
  assert.ok(checkLocalDateRule(Date.UTC(2027, 0, 10)));
  assert.is(localDate(summerEvening), '2027-07-02');
});

test.run();
