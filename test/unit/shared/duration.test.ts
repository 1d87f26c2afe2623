// The close of a round proposes the measured duration, or the plan when the measurement cannot be the real round.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { proposeDuration } from '../../../src/shared/duration';
import { DEFAULT_PLAN } from '../../../src/shared/method';

const M = 60_000;
// 3 March 2026, 19:00 in Amsterdam.
const START = Date.UTC(2026, 2, 3, 18);
const round = { date: '2026-03-03', startedAt: START, plan: DEFAULT_PLAN };

test('a plausible measured time is proposed, from the first timer start when there is one', () => {
  assert.equal(proposeDuration(round, null, START + 140 * M), { minutes: 140, source: 'measured', measured: 140, planned: 150 });
  assert.is(proposeDuration(round, START + 10 * M, START + 140 * M).minutes, 130);
});

test('under half or over 1.5 × the plan proposes the plan', () => {
  assert.equal(proposeDuration(round, null, START + 4 * M), { minutes: 150, source: 'plan-short', measured: 4, planned: 150 });
  assert.is(proposeDuration(round, null, START + 5_000).source, 'plan-short');
  assert.is(proposeDuration(round, null, START + 226 * M).source, 'plan-long');
  assert.is(proposeDuration(round, null, START + 75 * M).source, 'measured');
  assert.is(proposeDuration(round, null, START + 225 * M).source, 'measured');
});

test('a round started on a later day than its date (filled in afterwards) proposes the plan', () => {
  const later = START + 24 * 60 * M;
  assert.is(proposeDuration(round, null, later + 150 * M).source, 'plan-afterwards');
  assert.is(proposeDuration({ ...round, startedAt: null }, null, START).source, 'plan-afterwards');
});

test.run();
