import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { BACKOFF_MAX_MS, backoffDelay, clockIsOff, settle, tooLarge } from '../../../src/sync/policy';
import { Scheduler, type Timers } from '../../../src/sync/triggers';
import { retryAfterSeconds, type SyncOutcome } from '../../../src/sync/engine';
import { duration } from '../../../src/app/sync/format';

test('a 413 halves the batch down to one change; one change too large is set aside, an empty request fails', () => {
  const sizes = [500];
  while (sizes.at(-1)! > 1) {
    const next = tooLarge(sizes.at(-1)!);
    assert.is(next.kind, 'split');
    sizes.push((next as { size: number }).size);
  }
  assert.equal(sizes, [500, 250, 125, 63, 32, 16, 8, 4, 2, 1]);
  assert.equal(tooLarge(1), { kind: 'set-aside' });
  assert.equal(tooLarge(0), { kind: 'fail' });
});

test('retries wait 1–2 s at first, double each time, and never more than 5 minutes', () => {
  assert.ok(backoffDelay(0, () => 0) >= 1000 && backoffDelay(0, () => 0.999) <= 2000);
  assert.is(backoffDelay(3, () => 1), 16_000);
  assert.is(backoffDelay(30, () => 1), BACKOFF_MAX_MS);
  assert.ok(backoffDelay(30, () => 0) >= BACKOFF_MAX_MS / 2, 'jitter spreads phones without dropping to zero');
});

test('only sent changes are settled: acknowledged, refused for good, or held; later ones are untouched', () => {
  const s = settle([3, 4, 5, 6], 9, [
    { table: 'notes', id: 'a', mid: 4, reason: 'geen rechten', permanent: true },
    { table: 'notes', id: 'b', mid: 5, reason: 'klok', permanent: false },
    { table: 'notes', id: 'c', mid: 8, reason: 'niet verstuurd', permanent: true },
  ]);
  assert.equal(s.acked, [3, 6]);
  assert.equal(s.permanent.map((r) => r.mid), [4]);
  assert.equal(s.held.map((r) => r.mid), [5]);
  assert.equal(settle([7, 8], 7, []).acked, [7], 'a change above the acknowledged id stays');
});

test('a clock off by more than ten minutes is worth a warning', () => {
  assert.not.ok(clockIsOff(5 * 60_000));
  assert.ok(clockIsOff(-23 * 3600_000));
});

test('ages read as whole minutes, hours or days', () => {
  assert.is(duration(30_000, 'nl'), 'zojuist');
  assert.is(duration(60_000, 'nl'), '1 minuut');
  assert.is(duration(5 * 3600_000 + 1, 'nl'), '5 uur');
  assert.is(duration(3 * 86_400_000 + 7200_000, 'nl'), '3 dagen');
  assert.is(duration(86_400_000, 'en'), '1 day');
});

/** Timers the test moves by hand. */
function fakeTimers() {
  let now = 0;
  let seq = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      due.set(++seq, { at: now + ms, fn });
      return seq;
    },
    clearTimeout: (h) => void due.delete(h as number),
    now: () => now,
    random: () => 1,
  };
  return {
    timers,
    pending: () => [...due.values()].map((d) => d.at - now),
    async advance(ms: number) {
      now += ms;
      for (const [k, d] of [...due.entries()].sort((a, b) => a[1].at - b[1].at)) {
        if (d.at <= now) {
          due.delete(k);
          d.fn();
        }
      }
      await new Promise((r) => setTimeout(r, 0));
    },
  };
}

const ok: SyncOutcome = { kind: 'ok', pushed: 0, pulled: 0, rejected: 0, held: 0, clockOffset: 0 };
const offline: SyncOutcome = { kind: 'failed', problem: { code: 'offline', message: 'x' } };

test('requests during a sync never start a second one beside it, but one more runs after it', async () => {
  const f = fakeTimers();
  let active = 0;
  let most = 0;
  let runs = 0;
  const s = new Scheduler(async () => {
    runs++;
    most = Math.max(most, ++active);
    await new Promise((r) => setTimeout(r, 5));
    active--;
    return ok;
  }, f.timers);
  await Promise.all([s.request('start'), s.request('write'), s.request('visible'), s.request('online')]);
  assert.is(most, 1);
  assert.is(runs, 2, 'the first sync, then one for everything asked meanwhile');
});

test('a failed sync retries with growing delays; success resets them', async () => {
  const f = fakeTimers();
  const outcomes = [offline, offline, ok];
  let runs = 0;
  const s = new Scheduler(async () => outcomes[runs++], f.timers);
  await s.request('start');
  assert.equal(f.pending(), [2000]);
  await f.advance(2000);
  assert.equal(f.pending(), [4000]);
  await f.advance(4000);
  assert.is(runs, 3);
  assert.equal(f.pending(), [], 'nothing scheduled after success');
});

test("a server's Retry-After is waited out before the retry, never less; a shorter one leaves the backoff", async () => {
  const f = fakeTimers();
  const busy = (retryAfter: number): SyncOutcome => ({ kind: 'failed', problem: { code: 'http', status: 429, retryAfter } });
  const outcomes = [busy(30), busy(1), ok];
  let runs = 0;
  const s = new Scheduler(async () => outcomes[runs++], f.timers);
  await s.request('start');
  assert.equal(f.pending(), [30_000]);
  await f.advance(30_000);
  assert.equal(f.pending(), [4000], 'one second asked, but the backoff is longer');
  await f.advance(4000);
  assert.is(runs, 3);
});

test('Retry-After reads as seconds or as an HTTP date', () => {
  const now = Date.UTC(2026, 10, 23, 12, 0, 0);
  assert.is(retryAfterSeconds('7', now), 7);
  assert.is(retryAfterSeconds(new Date(now + 90_000).toUTCString(), now), 90);
  assert.is(retryAfterSeconds(new Date(now - 5000).toUTCString(), now), 0);
  assert.is(retryAfterSeconds('morgen', now), null);
  assert.is(retryAfterSeconds(null, now), null);
});

test('after a 401 no automatic trigger tries again until a person asks', async () => {
  const f = fakeTimers();
  let runs = 0;
  const s = new Scheduler(async () => {
    runs++;
    return { kind: 'needs-login' };
  }, f.timers);
  await s.request('start');
  assert.equal(f.pending(), [], 'no retry timer');
  assert.is(await s.request('interval'), null);
  assert.is(await s.request('online'), null);
  s.soon();
  await f.advance(1500);
  assert.is(runs, 1);
  await s.request('login');
  assert.is(runs, 2);
});

test('a burst of local writes becomes one sync 1.5 s after the last', async () => {
  const f = fakeTimers();
  let runs = 0;
  const s = new Scheduler(async () => {
    runs++;
    return ok;
  }, f.timers);
  s.soon();
  await f.advance(1000);
  s.soon();
  await f.advance(1000);
  assert.is(runs, 0);
  await f.advance(500);
  assert.is(runs, 1);
});

test.run();
