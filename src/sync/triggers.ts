// When the page syncs: on start, coming online, becoming visible, every 3 minutes, after local writes; one at a time, with backoff.
import type { LkDb } from '../data/db';
import { onLockChange } from '../data/lock-state';
import { onLocalWrite } from '../data/write';
import type { Transport } from './api';
import { SYNC_TAG, syncOnce, type SyncOptions, type SyncOutcome } from './engine';
import { BACKOFF_MAX_MS, backoffDelay } from './policy';
import { reportOnline, reportRunning, watchStatus } from './status';

export const INTERVAL_MS = 3 * 60_000;
export const WRITE_DEBOUNCE_MS = 1_500;

/** Why a sync was asked for. After a 401 (or a password still to choose) only a person (start, manual, login) may try
 * again: no loop. */
export type Reason = 'start' | 'manual' | 'login' | 'online' | 'visible' | 'interval' | 'write' | 'retry';
const BY_PERSON: ReadonlySet<Reason> = new Set(['start', 'manual', 'login']);

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
  now(): number;
  random(): number;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
  now: () => Date.now(),
  random: Math.random,
};

/** Single-flight runner: a request during a sync runs one more sync right after it, never a second one beside it. */
export class Scheduler {
  private running: Promise<SyncOutcome> | null = null;
  private again: Reason | null = null;
  private attempt = 0;
  private retry: unknown = null;
  private debounce: unknown = null;
  private blocked = false;
  private stopped = false;

  constructor(
    private readonly sync: () => Promise<SyncOutcome>,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Resolves with the outcome of the sync that covers this request, or null when skipped. */
  request(reason: Reason): Promise<SyncOutcome | null> {
    if (this.stopped) return Promise.resolve(null);
    if (this.blocked && !BY_PERSON.has(reason)) return Promise.resolve(null);
    if (BY_PERSON.has(reason) || reason === 'online') this.attempt = 0;
    if (this.running) {
      this.again = this.again && BY_PERSON.has(this.again) ? this.again : reason;
      return this.running.then((outcome) => this.running ?? outcome);
    }
    return this.start();
  }

  /** After a local write: wait a moment so a burst of taps goes out in one request. */
  soon(): void {
    if (this.stopped) return;
    if (this.debounce !== null) this.timers.clearTimeout(this.debounce);
    this.debounce = this.timers.setTimeout(() => {
      this.debounce = null;
      void this.request('write');
    }, WRITE_DEBOUNCE_MS);
  }

  stop(): void {
    this.stopped = true;
    if (this.retry !== null) this.timers.clearTimeout(this.retry);
    if (this.debounce !== null) this.timers.clearTimeout(this.debounce);
    this.retry = this.debounce = null;
  }

  private start(): Promise<SyncOutcome> {
    if (this.retry !== null) {
      this.timers.clearTimeout(this.retry);
      this.retry = null;
    }
    reportRunning(true, null);
    const p = this.sync()
      .catch((e: unknown): SyncOutcome => ({ kind: 'failed', problem: { code: 'bad-response', message: (e as Error).message } }))
      .then((outcome) => {
        this.running = null;
        this.settle(outcome);
        return outcome;
      });
    this.running = p;
    return p;
  }

  private settle(outcome: SyncOutcome): void {
    this.blocked = outcome.kind === 'needs-login' || outcome.kind === 'needs-password';
    let retryAt: number | null = null;
    if (outcome.kind === 'failed' && !this.stopped) {
      // A busy server's Retry-After is a floor: retrying sooner only earns another 429 (capped at the backoff maximum).
      const asked = outcome.problem.code === 'http' && outcome.problem.retryAfter ? Math.min(outcome.problem.retryAfter * 1000, BACKOFF_MAX_MS) : 0;
      const delay = Math.max(asked, backoffDelay(this.attempt++, this.timers.random));
      retryAt = this.timers.now() + delay;
      this.retry = this.timers.setTimeout(() => {
        this.retry = null;
        void this.request('retry');
      }, delay);
    } else if (outcome.kind === 'ok') {
      this.attempt = 0;
    }
    reportRunning(false, retryAt);
    const next = this.again;
    this.again = null;
    if (next && outcome.kind !== 'failed' && !this.stopped) void this.request(next);
  }
}

let active: { scheduler: Scheduler; stop: () => void } | null = null;

/** Starts syncing for the open page. Returns a function that stops it. */
export function startSyncTriggers(opts: Transport & { db: LkDb }): () => void {
  active?.stop();
  const scheduler = new Scheduler(() => syncOnce(opts));
  const onOnline = () => {
    reportOnline(true);
    void scheduler.request('online');
  };
  const onOffline = () => reportOnline(false);
  const onVisible = () => {
    if (document.visibilityState === 'visible') void scheduler.request('visible');
  };
  const offWrite = onLocalWrite(() => {
    scheduler.soon();
    void registerBackgroundSync();
  });
  // Locked, a sync returns at once without sending; unlocking sends what waited.
  const offLock = onLockChange(() => void scheduler.request('start'));
  const interval = setInterval(() => {
    if (document.visibilityState !== 'hidden') void scheduler.request('interval');
  }, INTERVAL_MS);
  addEventListener('online', onOnline);
  addEventListener('offline', onOffline);
  document.addEventListener('visibilitychange', onVisible);
  const stopWatching = watchStatus(opts.db);
  reportOnline(navigator.onLine !== false);
  void scheduler.request('start');
  const stop = () => {
    scheduler.stop();
    offWrite();
    offLock();
    clearInterval(interval);
    removeEventListener('online', onOnline);
    removeEventListener('offline', onOffline);
    document.removeEventListener('visibilitychange', onVisible);
    stopWatching();
    if (active?.scheduler === scheduler) active = null;
  };
  active = { scheduler, stop };
  return stop;
}

/** A sync now (the "Nu synchroniseren" button, after login): through the page's scheduler when it runs, so it
 * never overlaps another, else directly. */
export function requestSync(reason: Reason, direct: SyncOptions): Promise<SyncOutcome | null> {
  return active ? active.scheduler.request(reason) : syncOnce(direct);
}

/** Lets the service worker sync once the connection is back, even after the page is closed (not in Safari). */
async function registerBackgroundSync(): Promise<void> {
  // Without a controlling worker `ready` would never settle.
  if (!navigator.serviceWorker?.controller) return;
  try {
    const reg = await navigator.serviceWorker.ready;
    const sync = (reg as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)?.sync;
    await sync?.register(SYNC_TAG);
  } catch {
    // Background Sync is an extra; the page triggers still sync.
  }
}
