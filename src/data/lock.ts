// The app lock: set, change or remove the PIN, unlock with it, lock, and wipe the phone when the PIN is forgotten.
import { db as appDb, type LkDb } from './db';
import { DEFAULT_IDLE_MINUTES, dropKey, lockStatus, notify, readLockConfig, type LockConfig, type SecretKind } from './lock-state';
import { plainKeyStore } from './device-key';
import { createPasskey, passkeySecret, type PasskeyProblem } from './passkey';
import { keyState, learnTags, resealAll, resealIfOutdated } from './sealed';

/** A new PIN: 6 to 8 digits. Four digits are 10,000 guesses, which a copied profile gives up offline within minutes
 * despite PBKDF2; a PIN set when 4 was allowed still unlocks. */
export const PIN_RE = /^\d{6,8}$/;
/** A passphrase instead of a PIN: at least this many characters (four words are easy to remember). Each guess costs
 * the same PBKDF2 run as a PIN's, but there are 26^12 or more of them instead of 10^6 (`npm run bench -- lock-guess`). */
export const PASSPHRASE_MIN = 12;
const SECRET_PROBLEM = `Kies 6 tot 8 cijfers, of een wachtwoordzin van minstens ${PASSPHRASE_MIN} tekens.`;

/** Whether a new secret is a PIN, a passphrase, or neither (too short, or digits of the wrong length). */
export function secretKind(secret: string): SecretKind | null {
  if (PIN_RE.test(secret)) return 'pin';
  const s = secret.normalize('NFC').trim().replace(/\s+/g, ' ');
  return s.length >= PASSPHRASE_MIN && !/^[\d ]+$/.test(s) ? 'passphrase' : null;
}
export const IDLE_CHOICES = [1, 2, 5, 10, 15] as const;
/** Wrong PINs allowed before each further try has to wait. */
export const FREE_ATTEMPTS = 5;
const MAX_WAIT_MS = 15 * 60_000;

// The key maths (and @noble/ciphers) load when a PIN is set or used, not with the lock settings screen.
const keys = () => import('./crypto');

export type UnlockResult = { kind: 'ok' } | { kind: 'wrong'; failures: number; waitUntil: number | null } | { kind: 'wait'; until: number };

interface Failures {
  count: number;
  until: number | null;
}

export interface KeyOptions {
  /** PBKDF2 rounds for a new wrap; the stored key keeps its own count. Tests lower it to stay fast. */
  iterations?: number;
  now?: number;
}

/** Web Locks make a sync in the page or the service worker finish before the data changes shape under it. */
function exclusive<T>(d: LkDb, fn: () => Promise<T>): Promise<T> {
  const locks = (globalThis.navigator as { locks?: { request(name: string, fn: () => Promise<T>): Promise<T> } } | undefined)?.locks;
  return locks ? locks.request(`lk-sync:${d.name}`, fn) : fn();
}

/** Sets the first PIN. The rows are already sealed under the device key (from their first write), so only that key
 * is wrapped with the PIN and its plain copy deleted. Where no plain key store exists (no Cache Storage) a new data
 * key is made and every row sealed in one transaction, as before. */
export async function setPin(pin: string, d: LkDb = appDb(), opts: KeyOptions = {}): Promise<void> {
  const { newDataKey, wrapDataKey, fieldCipher } = await keys();
  const kind = secretKind(pin);
  if (!kind) throw new Error(SECRET_PROBLEM);
  if ((await lockStatus(d)) !== 'none') throw new Error('Er is al een pincode ingesteld.');
  const store = plainKeyStore();
  const held = await store?.get(d.name);
  const dek = held ?? newDataKey();
  const key = await wrapDataKey(dek, pin, opts.iterations);
  const cipher = await fieldCipher(dek);
  dek.fill(0);
  const s = keyState(d);
  const config = { key, kind, idleMinutes: DEFAULT_IDLE_MINUTES } satisfies LockConfig;
  await exclusive(d, async () => {
    const before = { enabled: s.enabled, cipher: s.cipher, source: s.source };
    s.enabled = true;
    s.cipher = cipher;
    s.source = 'pin';
    try {
      if (held) await d.meta.put({ key: 'lock', value: config });
      else await resealAll(d, () => d.meta.put({ key: 'lock', value: config }));
    } catch (e) {
      Object.assign(s, before);
      cipher.forget();
      throw e;
    }
    before.cipher?.forget();
  });
  // Only once the wrapped key is stored: a crash in between leaves the plain copy, which the next start deletes.
  await store?.delete(d.name);
  notify(d, 'changed');
}

function waitAfter(count: number): number {
  return count < FREE_ATTEMPTS ? 0 : Math.min(30_000 * 2 ** (count - FREE_ATTEMPTS), MAX_WAIT_MS);
}

/** Wrong PINs are counted in the database, so a reload does not reset the wait. */
export async function failures(d: LkDb = appDb()): Promise<Failures> {
  return ((await d.meta.get('lockFailures'))?.value as Failures | undefined) ?? { count: 0, until: null };
}

export async function unlock(pin: string, d: LkDb = appDb(), opts: KeyOptions = {}): Promise<UnlockResult> {
  const { unwrapDataKey } = await keys();
  const now = opts.now ?? Date.now();
  const config = await readLockConfig(d);
  if (!config) return { kind: 'ok' };
  const f = await failures(d);
  if (f.until !== null && f.until > now) return { kind: 'wait', until: f.until };
  const dek = await unwrapDataKey(config.key, pin);
  if (!dek) {
    const count = f.count + 1;
    const wait = waitAfter(count);
    const until = wait ? now + wait : null;
    await d.meta.put({ key: 'lockFailures', value: { count, until } satisfies Failures });
    return { kind: 'wrong', failures: count, waitUntil: until };
  }
  await openWith(d, dek);
  return { kind: 'ok' };
}

/** Only the wrapping changes: the data stays sealed under the same data key. */
export async function changePin(oldPin: string, newPin: string, d: LkDb = appDb(), opts: KeyOptions = {}): Promise<boolean> {
  const { unwrapDataKey, wrapDataKey } = await keys();
  const kind = secretKind(newPin);
  if (!kind) throw new Error(SECRET_PROBLEM);
  const config = await readLockConfig(d);
  if (!config) return false;
  const dek = await unwrapDataKey(config.key, oldPin);
  if (!dek) return false;
  const key = await wrapDataKey(dek, newPin, opts.iterations);
  dek.fill(0);
  await d.transaction('rw', d.meta, async () => {
    const current = await readLockConfig(d);
    await d.meta.put({ key: 'lock', value: { ...current, idleMinutes: current?.idleMinutes ?? DEFAULT_IDLE_MINUTES, key, kind } satisfies LockConfig });
  });
  return true;
}

/** Turns the lock off. Asks for the PIN, not just an unlocked screen. The data key goes back to the plain key
 * store and the rows stay sealed; without such a store every row is opened and written back readable. */
export async function removePin(pin: string, d: LkDb = appDb()): Promise<boolean> {
  const { unwrapDataKey, fieldCipher } = await keys();
  const config = await readLockConfig(d);
  if (!config) return true;
  const dek = await unwrapDataKey(config.key, pin);
  if (!dek) return false;
  const s = keyState(d);
  const cipher = await fieldCipher(dek);
  const store = plainKeyStore();
  if (store) await store.put(d.name, dek);
  dek.fill(0);
  await exclusive(d, async () => {
    s.cipher?.forget();
    s.cipher = cipher;
    if (store) {
      s.source = 'device';
      await d.meta.bulkDelete(['lock', 'lockFailures']);
      return;
    }
    s.enabled = false;
    try {
      await resealAll(d, () => d.meta.bulkDelete(['lock', 'lockFailures']), false);
    } catch (e) {
      s.enabled = true;
      throw e;
    }
    dropKey(d);
  });
  notify(d, 'changed');
  return true;
}

async function openWith(d: LkDb, dek: Uint8Array): Promise<void> {
  const { fieldCipher } = await keys();
  const s = keyState(d);
  s.enabled = true;
  s.cipher = await fieldCipher(dek);
  s.source = 'pin';
  dek.fill(0);
  await d.meta.delete('lockFailures');
  // A phone locked since before an update seals what the newer field list adds now that the key is at hand.
  await exclusive(d, () => resealIfOutdated(d));
  await learnTags(d);
  notify(d, null);
}

/** Adds passkey unlock; the PIN is asked because only it opens the data key, and it stays the way back in. */
export async function addPasskey(pin: string, d: LkDb = appDb()): Promise<'ok' | 'wrong' | PasskeyProblem> {
  const { unwrapDataKey, wrapWithSecret } = await keys();
  const config = await readLockConfig(d);
  if (!config) return 'wrong';
  const dek = await unwrapDataKey(config.key, pin);
  if (!dek) return 'wrong';
  const created = await createPasskey('Luisterkring');
  if (typeof created === 'string') return created;
  const wrapped = await wrapWithSecret(dek, created.secret);
  dek.fill(0);
  await d.transaction('rw', d.meta, async () => {
    const current = await readLockConfig(d);
    if (current) await d.meta.put({ key: 'lock', value: { ...current, passkey: { ...created.ref, ...wrapped } } satisfies LockConfig });
  });
  notify(d, 'changed');
  return 'ok';
}

export async function removePasskey(d: LkDb = appDb()): Promise<void> {
  await d.transaction('rw', d.meta, async () => {
    const current = await readLockConfig(d);
    if (current) await d.meta.put({ key: 'lock', value: { key: current.key, kind: current.kind, idleMinutes: current.idleMinutes } satisfies LockConfig });
  });
  notify(d, 'changed');
}

/** No count of failures here: the authenticator itself limits attempts at its fingerprint, face or screen lock. */
export async function unlockWithPasskey(d: LkDb = appDb()): Promise<'ok' | PasskeyProblem> {
  const { unwrapWithSecret } = await keys();
  const passkey = (await readLockConfig(d))?.passkey;
  if (!passkey) return 'unsupported';
  const secret = await passkeySecret(passkey);
  if (typeof secret === 'string') return secret;
  const dek = await unwrapWithSecret(passkey, secret);
  if (!dek) return 'unsupported';
  await openWith(d, dek);
  return 'ok';
}

export async function setIdleMinutes(minutes: number, d: LkDb = appDb()): Promise<void> {
  await d.transaction('rw', d.meta, async () => {
    const current = await readLockConfig(d);
    if (current) await d.meta.put({ key: 'lock', value: { ...current, idleMinutes: minutes } satisfies LockConfig });
  });
  notify(d, 'changed');
}

/** Changes that exist only on this phone: what a forgotten PIN costs. */
export async function unsyncedCount(d: LkDb = appDb()): Promise<number> {
  const [waiting, refused] = await Promise.all([d.outbox.count(), d.rejected.count()]);
  return waiting + refused;
}

/** PIN forgotten: the sealed data cannot be opened, so the local database goes; what was synced comes back from the server. */
export async function wipeForForgottenPin(d: LkDb = appDb()): Promise<void> {
  dropKey(d);
  await d.delete();
  await plainKeyStore()?.delete(d.name);
  notify(d, 'lock');
}
