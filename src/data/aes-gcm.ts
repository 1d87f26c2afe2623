// AES-GCM under one long-lived key, for many short fields. noble's `gcm(key, nonce, aad)` expands the AES key and
// builds the GHASH table again for every nonce, which is ~0.1 ms of a ~0.12 ms field; both depend on the key alone
// (SP 800-38D: H = E_K(0^128)), so they are made once here. Per message this does exactly what noble's gcm does for
// a 96-bit nonce, with noble's own primitives in the same order; test/unit/data/aes-gcm.test.ts proves the bytes equal.
import { unsafe } from '@noble/ciphers/aes.js';
import { GHASH } from '@noble/ciphers/_polyval.js';
import { clean, copyBytes, equalBytes, isAligned32, u64Lengths } from '@noble/ciphers/utils.js';

const BLOCK = 16;
const TAG = 16;
const NONCE = 12;

/** noble's GHASH, made to start over for the next message while keeping the key's table. */
class RestartableGhash extends GHASH {
  restart(): this {
    this.s0 = this.s1 = this.s2 = this.s3 = 0;
    this.finished = false;
    return this;
  }
}

export interface KeyedGcm {
  /** ciphertext || 16-byte tag, as noble's `gcm(key, nonce, aad).encrypt(plaintext)`. */
  encrypt(nonce: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array;
  /** The plaintext, or throws when the tag fails, as noble's `gcm(key, nonce, aad).decrypt(sealed)`. */
  decrypt(nonce: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array;
  /** Wipes the key schedule, H and the GHASH table; the cipher throws afterwards. */
  forget(): void;
}

export function keyedGcm(key: Uint8Array): KeyedGcm {
  const xk = unsafe.expandKeyLE(key);
  const authKey = new Uint8Array(BLOCK);
  unsafe.ctr32(xk, false, new Uint8Array(BLOCK), new Uint8Array(BLOCK), authKey);
  const ghash = new RestartableGhash(authKey);
  let forgotten = false;

  /** J0 = nonce || 0^31 || 1; returns E_K(J0) (the tag mask) and leaves `counter` at inc32(J0) for the payload. */
  function start(nonce: Uint8Array, counter: Uint8Array): Uint8Array {
    if (forgotten) throw new Error('aes-gcm: key forgotten');
    if (nonce.length !== NONCE) throw new Error('aes-gcm: nonce must be 12 bytes');
    counter.set(nonce);
    counter[BLOCK - 1] = 1;
    return unsafe.ctr32(xk, false, counter, new Uint8Array(BLOCK));
  }

  function tagOf(aad: Uint8Array, data: Uint8Array, tagMask: Uint8Array): Uint8Array {
    const h = ghash.restart();
    h.update(aad);
    h.update(data);
    const lengths = u64Lengths(8 * data.length, 8 * aad.length, false);
    h.update(lengths);
    const tag = new Uint8Array(BLOCK);
    h.digestInto(tag);
    for (let i = 0; i < BLOCK; i++) tag[i] ^= tagMask[i];
    clean(lengths);
    return tag;
  }

  return {
    encrypt(nonce, aad, plaintext) {
      const counter = new Uint8Array(BLOCK);
      const tagMask = start(nonce, counter);
      if (!isAligned32(plaintext)) plaintext = copyBytes(plaintext);
      const out = new Uint8Array(plaintext.length + TAG);
      unsafe.ctr32(xk, false, counter, plaintext, out.subarray(0, plaintext.length));
      const tag = tagOf(aad, out.subarray(0, plaintext.length), tagMask);
      out.set(tag, plaintext.length);
      clean(counter, tagMask, tag);
      return out;
    },
    decrypt(nonce, aad, sealed) {
      if (sealed.length < TAG) throw new Error('aes-gcm: ciphertext shorter than its tag');
      const counter = new Uint8Array(BLOCK);
      const tagMask = start(nonce, counter);
      if (!isAligned32(sealed)) sealed = copyBytes(sealed);
      const data = sealed.subarray(0, sealed.length - TAG);
      const tag = tagOf(aad, data, tagMask);
      // As noble: the tag is checked before CTR, so unauthenticated plaintext never exists.
      const ok = equalBytes(tag, sealed.subarray(sealed.length - TAG));
      clean(tagMask, tag);
      if (!ok) {
        clean(counter);
        throw new Error('aes-gcm: invalid tag');
      }
      const out = unsafe.ctr32(xk, false, counter, data);
      clean(counter);
      return out;
    },
    forget() {
      forgotten = true;
      clean(xk, authKey);
      ghash.destroy();
    },
  };
}
