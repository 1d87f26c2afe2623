import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fileName, periodProblem, presetPeriod } from '../../../src/app/reports/period';

test('this year and last year are calendar years of the Dutch today', () => {
  const custom = { from: '2026-03-01', to: '2026-03-31' };
  assert.equal(presetPeriod('thisYear', custom, '2026-01-01'), { from: '2026-01-01', to: '2026-12-31' });
  assert.equal(presetPeriod('lastYear', custom, '2026-01-01'), { from: '2025-01-01', to: '2025-12-31' });
  assert.equal(presetPeriod('custom', custom, '2026-01-01'), custom);
});

test('a chosen period must be two real dates in order, within 2000–2100', () => {
  assert.is(periodProblem({ from: '2026-01-01', to: '2026-01-01' }), null, 'a single day is a period');
  assert.is(periodProblem({ from: '', to: '2026-01-01' }), 'fromInvalid');
  assert.is(periodProblem({ from: '2026-02-30', to: '2026-03-01' }), 'fromInvalid', '30 February does not exist');
  assert.is(periodProblem({ from: '2026-01-01', to: '2026-13-01' }), 'toInvalid');
  assert.is(periodProblem({ from: '2026-02-01', to: '2026-01-31' }), 'order');
  assert.is(periodProblem({ from: '0202-01-01', to: '2026-01-31' }), 'range');
});

test('file names say the year for a calendar year, else both dates', () => {
  assert.is(fileName('rapport', { from: '2026-01-01', to: '2026-12-31' }), 'luisterkring-rapport-2026.csv');
  assert.is(fileName('per-groep', { from: '2026-01-01', to: '2026-06-30' }), 'luisterkring-per-groep-2026-01-01-tot-2026-06-30.csv');
});

test.run();
