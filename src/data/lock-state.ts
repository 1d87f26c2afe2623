// Whether the app is locked, and the lock itself: what the app shell needs at start-up. Setting, changing and
// removing the PIN, unlocking and the passkey are in lock.ts, which only the lock screens load.
import type Dexie from 'dexie';
import type { SecretWrappedKey, WrappedKey } from './crypto';
import { db as appDb, type LkDb } from './db';
import type { PasskeyRef } from './passkey';
import { followLock, keyState } from './sealed';

export const DEFAULT_IDLE_MINUTES = 5;

export type SecretKind = 'pin' | 'passphrase';

export interface LockConfig {
  key: WrappedKey;
  /** What wraps `key`; absent on phones locked before passphrases existed, which all have a PIN. */
  kind?: SecretKind;
  idleMinutes: number;
  /** The same data key, wrapped a second time with a passkey's PRF secret. */
  passkey?: PasskeyRef & SecretWrappedKey;
}

export type LockStatus = 'none' | 'locked' | 'unlocked';

const listeners = new Set<() => void>();
/** Other tabs of the app on this phone hear a lock or a PIN change and follow it. */
const channels = new Map<string, BroadcastChannel>();

/** 'lock': every tab drops its key; 'changed': the PIN or its settings changed, every tab reads them again. */
type Message = 'lock' | 'changed';

export function notify(d: Dexie, broadcast: Message | null): void {
  if (broadcast) channelFor(d)?.postMessage(broadcast);
  for (const fn of listeners) fn();
}

function channelFor(d: Dexie): BroadcastChannel | null {
  if (typeof BroadcastChannel === 'undefined') return null;
  let ch = channels.get(d.name);
  if (!ch) {
    ch = new BroadcastChannel(`lk-lock:${d.name}`);
    ch.onmessage = (e: MessageEvent<Message>) => {
      if (e.data === 'lock') dropKey(d);
      for (const fn of listeners) fn();
    };
    // Node (tests) would otherwise stay alive for the channel.
    (ch as { unref?: () => void }).unref?.();
    channels.set(d.name, ch);
  }
  return ch;
}

export function onLockChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function readLockConfig(d: LkDb = appDb()): Promise<LockConfig | null> {
  return ((await d.meta.get('lock'))?.value as LockConfig | undefined) ?? null;
}

/** Reads the stored setting afresh, so a page or service worker that opened the database earlier is not fooled. */
export async function lockStatus(d: LkDb = appDb()): Promise<LockStatus> {
  channelFor(d);
  const config = await readLockConfig(d);
  await followLock(d, config !== null);
  if (!config) return 'none';
  return keyState(d).cipher ? 'unlocked' : 'locked';
}

export function dropKey(d: Dexie): void {
  const s = keyState(d);
  const c = s.cipher;
  s.cipher = null;
  s.source = undefined;
  c?.forget();
}

export function lock(d: LkDb = appDb()): void {
  dropKey(d);
  notify(d, 'lock');
}
