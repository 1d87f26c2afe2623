// Password hashing (scrypt, salted, timing-safe) and one-time passwords for new or reset accounts.
import { randomBytes, randomInt, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** OWASP's scrypt minimum for passwords people choose: N = 2^17, r = 8, p = 1 (128 MiB, ≈ 0.5 s on the shared
 * 2-core machine). Hashes with a lower N (from before) are rehashed at the next successful login. */
export const N = 2 ** 17;
const R = 8;
const P = 1;
/** A one-time code is 80 random bits: no guessing benefits from stretching it, so its hash costs what the old
 * passwords did and creating or resetting an account stays quick. Its kind says it is a code, never rehashed. */
const CODE_N = 2 ** 14;
const KEYLEN = 32;
export const MIN_PASSWORD = 10;

type Kind = 'scrypt' | 'scrypt-code';

function derive(password: string, salt: Buffer, opts: ScryptOptions): Promise<Buffer> {
  // Node refuses more than 32 MiB unless told; scrypt needs 128·N·r bytes.
  const maxmem = 256 * (opts.N ?? 0) * (opts.r ?? 0);
  return new Promise((ok, fail) => scrypt(password.normalize('NFC'), salt, KEYLEN, { ...opts, maxmem }, (e, key) => (e ? fail(e) : ok(key))));
}

async function hashWith(kind: Kind, n: number, password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: n, r: R, p: P });
  return [kind, n, R, P, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** `scrypt$N$r$p$salt$hash` so the cost can be raised later without breaking stored hashes. */
export function hashPassword(password: string): Promise<string> {
  return hashWith('scrypt', N, password);
}

export function hashOneTimeCode(code: string): Promise<string> {
  return hashWith('scrypt-code', CODE_N, code);
}

/** A chosen password hashed below today's cost: rehash it now that the plain text is at hand. */
export function needsRehash(stored: string): boolean {
  const [kind, n, r, p] = stored.split('$');
  return kind === 'scrypt' && (Number(n) < N || Number(r) !== R || Number(p) !== P);
}

const MAX_N = 2 ** 20;

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, n, r, p, salt, hash] = stored.split('$');
  if ((kind !== 'scrypt' && kind !== 'scrypt-code') || !salt || !hash) return false;
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  if (!(cost.N >= 2 && cost.N <= MAX_N && cost.r >= 1 && cost.r <= 32 && cost.p >= 1 && cost.p <= 4)) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A hash that never matches, so an unknown username costs the same time as a wrong password. */
export const DUMMY_HASH = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString('base64url')}$${Buffer.alloc(KEYLEN).toString('base64url')}`;

// No 0/O, 1/l/I: the password is read off a screen and typed on a phone.
const ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A one-time password of 14 characters (~80 bits), grouped for reading aloud. */
export function oneTimePassword(): string {
  let s = '';
  for (let i = 0; i < 14; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return `${s.slice(0, 7)}-${s.slice(7)}`;
}
