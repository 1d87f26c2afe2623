// Key handling for the app lock: a PIN-derived key (PBKDF2, Web Crypto) wraps a random data key; the data key seals fields with AES-GCM.
import { cmac } from '@noble/ciphers/aes.js';
import { keyedGcm } from './aes-gcm';
/** Sealing and opening of one value under the data key; synchronous so it can run inside an IndexedDB transaction. */
export interface FieldCipher {
  seal(value: unknown, aad: string): Uint8Array;
  open(sealed: Uint8Array, aad: string): unknown;
  /** A keyed hash (AES-CMAC under a key derived from the data key): the same input gives the same tag, so a tagged
   * id stays usable as a key and in an index, yet says nothing without the key. */
  tag(value: string): string;
  /** Overwrites the key bytes; the cipher is useless afterwards. */
  forget(): void;
}

/** What `meta` keeps to unlock: nothing here reveals the PIN or the data key without a PBKDF2 run per guess. */
export interface WrappedKey {
  v: 1;
  kdf: 'PBKDF2-SHA256';
  iterations: number;
  salt: Uint8Array;
  iv: Uint8Array;
  wrapped: Uint8Array;
}

/** OWASP's 2023 figure for PBKDF2-HMAC-SHA256; stored with the key so it can be raised later without breaking old phones. */
export const PBKDF2_ITERATIONS = 600_000;
const IV_BYTES = 12;
const WRAP_AAD = new TextEncoder().encode('luisterkring:dek:v1');

const bytes = (n: number) => crypto.getRandomValues(new Uint8Array(n));

export function newDataKey(): Uint8Array {
  return bytes(32);
}

/** The same passphrase typed on another keyboard (composed accents, a double or trailing space) opens the same key;
 * digits are left as they are, so PINs wrapped before this still unlock. */
export function normalizeSecret(secret: string): string {
  return secret.normalize('NFC').trim().replace(/\s+/g, ' ');
}

async function keyFromPin(pin: string, salt: Uint8Array, iterations: number): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', new TextEncoder().encode(normalizeSecret(pin)), 'PBKDF2', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as BufferSource, iterations },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export async function wrapDataKey(dek: Uint8Array, pin: string, iterations = PBKDF2_ITERATIONS): Promise<WrappedKey> {
  const salt = bytes(16);
  const iv = bytes(IV_BYTES);
  const kek = await keyFromPin(pin, salt, iterations);
  const wrapped = new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: WRAP_AAD }, kek, dek as BufferSource));
  return { v: 1, kdf: 'PBKDF2-SHA256', iterations, salt, iv, wrapped };
}

/** The data key, or null when the PIN is wrong (AES-GCM's tag fails: no separate PIN hash is stored to guess against). */
export async function unwrapDataKey(w: WrappedKey, pin: string): Promise<Uint8Array | null> {
  const kek = await keyFromPin(pin, w.salt, w.iterations);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: w.iv as BufferSource, additionalData: WRAP_AAD }, kek, w.wrapped as BufferSource));
  } catch {
    return null;
  }
}

/** A passkey's PRF output is already a strong 32-byte secret: HKDF turns it into the wrapping key, no stretching needed. */
async function keyFromSecret(secret: Uint8Array): Promise<CryptoKey> {
  const base = await crypto.subtle.importKey('raw', secret as BufferSource, 'HKDF', false, ['deriveKey']);
  return crypto.subtle.deriveKey(
    { name: 'HKDF', hash: 'SHA-256', salt: new Uint8Array(32), info: new TextEncoder().encode('luisterkring:passkey-kek:v1') },
    base,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  );
}

export interface SecretWrappedKey {
  iv: Uint8Array;
  wrapped: Uint8Array;
}

export async function wrapWithSecret(dek: Uint8Array, secret: Uint8Array): Promise<SecretWrappedKey> {
  const iv = bytes(IV_BYTES);
  const kek = await keyFromSecret(secret);
  return { iv, wrapped: new Uint8Array(await crypto.subtle.encrypt({ name: 'AES-GCM', iv: iv as BufferSource, additionalData: WRAP_AAD }, kek, dek as BufferSource)) };
}

export async function unwrapWithSecret(w: SecretWrappedKey, secret: Uint8Array): Promise<Uint8Array | null> {
  const kek = await keyFromSecret(secret);
  try {
    return new Uint8Array(await crypto.subtle.decrypt({ name: 'AES-GCM', iv: w.iv as BufferSource, additionalData: WRAP_AAD }, kek, w.wrapped as BufferSource));
  } catch {
    return null;
  }
}

export class SealError extends Error {
  constructor() {
    super('Versleutelde gegevens op deze telefoon konden niet worden gelezen.');
    this.name = 'SealError';
  }
}

/** This module loads lazily (load-crypto.ts): the page's first screen is drawn while it arrives. */
export async function fieldCipher(dek: Uint8Array): Promise<FieldCipher> {
  const key = dek.slice();
  const enc = new TextEncoder();
  const dec = new TextDecoder();
  // The AES key schedule and GHASH table are made once per key, not per field (aes-gcm.ts). Live queries still read
  // the same rows again and again: opened text is kept by its nonce, tag and row binding, which name one ciphertext.
  // Cleared when the key is dropped.
  const aead = keyedGcm(key);
  const opened = new Map<string, string>();
  const OPENED_MAX = 20_000;
  const tagKey = cmac(enc.encode('luisterkring:tag-key:v1'), key);
  const tags = new Map<string, string>();
  return {
    tag(value) {
      let t = tags.get(value);
      if (t === undefined) {
        const mac = cmac(enc.encode(value), tagKey);
        t = btoa(String.fromCharCode(...mac)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
        if (tags.size >= OPENED_MAX) tags.clear();
        tags.set(value, t);
      }
      return t;
    },
    seal(value, aad) {
      const iv = bytes(IV_BYTES);
      const ct = aead.encrypt(iv, enc.encode(aad), enc.encode(JSON.stringify(value)));
      const out = new Uint8Array(IV_BYTES + ct.length);
      out.set(iv);
      out.set(ct, IV_BYTES);
      return out;
    },
    open(sealed, aad) {
      const id = `${aad}\u0000${String.fromCharCode(...sealed.subarray(0, IV_BYTES), ...sealed.subarray(sealed.length - 16))}`;
      let text = opened.get(id);
      if (text === undefined) {
        try {
          text = dec.decode(aead.decrypt(sealed.subarray(0, IV_BYTES), enc.encode(aad), sealed.subarray(IV_BYTES)));
        } catch {
          throw new SealError();
        }
        if (opened.size >= OPENED_MAX) opened.clear();
        opened.set(id, text);
      }
      return JSON.parse(text);
    },
    forget() {
      aead.forget();
      key.fill(0);
      tagKey.fill(0);
      opened.clear();
      tags.clear();
    },
  };
}
