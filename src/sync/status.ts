// The sync status the badge and the sync screen show: live from the database (so service-worker syncs count) plus the running flag.
import { liveQuery } from 'dexie';
import { useEffect, useState } from 'preact/hooks';
import { db as appDb, type LkDb, type RejectedEntry } from '../data/db';
import type { User } from './api';
import { EMPTY_STATE, readSyncState, type HeldChange, type SyncProblem } from './state';

export type SyncStateName = 'idle' | 'syncing' | 'offline' | 'error' | 'needs-login' | 'needs-password';

export interface SyncStatus {
  /** False until the database was read once: nothing may look "synced" before we know. */
  loaded: boolean;
  state: SyncStateName;
  lastSyncedAt: number | null;
  /** Changes in the outbox, not yet acknowledged by the server. */
  waiting: number;
  /** When the oldest waiting change was written. */
  oldestWaitingAt: number | null;
  /** Changes the server refused for good, with its reason. */
  rejected: RejectedEntry[];
  /** Changes the server will take later, with its reason (e.g. the phone's clock is far ahead). */
  held: HeldChange[];
  lastProblem: SyncProblem | null;
  /** Server time minus phone time at the last sync. */
  clockOffset: number | null;
  user: User | null;
  /** Logged out on this phone: no group data is shown until the next login. */
  loggedOut: boolean;
  nextRetryAt: number | null;
}

interface Stored {
  loaded: boolean;
  waiting: number;
  oldestWaitingAt: number | null;
  rejected: RejectedEntry[];
  user: User | null;
  sync: typeof EMPTY_STATE;
}

const EMPTY_STORED: Stored = { loaded: false, waiting: 0, oldestWaitingAt: null, rejected: [], user: null, sync: EMPTY_STATE };

let stored: Stored = EMPTY_STORED;
let runningNow = false;
let nextRetryAt: number | null = null;
let online = true;
const subscribers = new Set<(s: SyncStatus) => void>();
let watched: { d: LkDb; stop: () => void } | null = null;

export function deriveState(s: { running: boolean; online: boolean; needsLogin: boolean; lastProblem: SyncProblem | null }): SyncStateName {
  if (s.running) return 'syncing';
  if (s.needsLogin) return 'needs-login';
  // Logged in with a one-time code: nothing is wrong, the person has one step to take.
  if (s.lastProblem?.code === 'password') return 'needs-password';
  if (!s.online || s.lastProblem?.code === 'offline') return 'offline';
  if (s.lastProblem) return 'error';
  return 'idle';
}

export function getStatus(): SyncStatus {
  const { sync } = stored;
  // A phone that has never logged in nor synced has nothing to be up to date with: it needs a login before the
  // engine's first try says so (the engine starts a few seconds after the app opens).
  const neverSignedIn = stored.loaded && stored.user === null && sync.lastSyncedAt === null;
  return {
    loaded: stored.loaded,
    state: deriveState({ running: runningNow, online, needsLogin: sync.needsLogin || neverSignedIn, lastProblem: sync.lastProblem }),
    lastSyncedAt: sync.lastSyncedAt,
    waiting: stored.waiting,
    oldestWaitingAt: stored.oldestWaitingAt,
    rejected: stored.rejected,
    held: sync.held,
    lastProblem: sync.lastProblem,
    clockOffset: sync.clockOffset,
    user: stored.user,
    loggedOut: sync.loggedOut,
    nextRetryAt,
  };
}

function emit(): void {
  const s = getStatus();
  for (const fn of subscribers) fn(s);
}

/** The scheduler reports whether a sync is under way and when it retries. */
export function reportRunning(value: boolean, retryAt: number | null = nextRetryAt): void {
  runningNow = value;
  nextRetryAt = retryAt;
  emit();
}

export function reportOnline(value: boolean): void {
  online = value;
  emit();
}

async function readStored(d: LkDb): Promise<Stored> {
  // Held changes are queued again under a new mid, so the lowest mid is not always the oldest change: ask the
  // time index. Both reads are cheap, so a write (an attendance tap) never waits behind a scan of the outbox.
  const [waiting, oldestEntry, rejected, user, sync] = await Promise.all([
    d.outbox.count(),
    d.outbox.orderBy('at').first(),
    d.rejected.orderBy('mid').toArray(),
    d.meta.get('user'),
    readSyncState(d),
  ]);
  return { loaded: true, waiting, oldestWaitingAt: oldestEntry?.at ?? null, rejected, user: (user?.value as User | undefined) ?? null, sync };
}

/** Follows a database; switching to another (tests, multi-device) drops the previous one. */
export function watchStatus(d: LkDb = appDb()): () => void {
  if (watched?.d === d) return watched.stop;
  watched?.stop();
  stored = EMPTY_STORED;
  const sub = liveQuery(() => readStored(d)).subscribe({
    next: (s) => {
      stored = s;
      emit();
    },
  });
  const stop = () => {
    sub.unsubscribe();
    if (watched?.d === d) watched = null;
  };
  watched = { d, stop };
  return stop;
}

export function subscribeStatus(fn: (s: SyncStatus) => void): () => void {
  subscribers.add(fn);
  return () => void subscribers.delete(fn);
}

export function useSyncStatus(): SyncStatus {
  const [status, setStatus] = useState(getStatus);
  useEffect(() => {
    watchStatus();
    setStatus(getStatus());
    return subscribeStatus(setStatus);
  }, []);
  return status;
}
