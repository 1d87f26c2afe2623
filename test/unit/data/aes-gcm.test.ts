import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { gcm } from '@noble/ciphers/aes.js';
import { keyedGcm } from '../../../src/data/aes-gcm';
import { fieldCipher, newDataKey } from '../../../src/data/crypto';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
// Lengths around the 16-byte block and 4-byte word edges, and fields as long as a note.
const bytesUpTo = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });

test('the same bytes as noble gcm() over random keys, nonces, AADs and lengths, and each opens the other', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(16, 24, 32).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
      fc.array(fc.tuple(fc.uint8Array({ minLength: 12, maxLength: 12 }), bytesUpTo(70), bytesUpTo(300)), { minLength: 1, maxLength: 6 }),
      (key, messages) => {
        const k = keyedGcm(key);
        for (const [nonce, aad, plain] of messages) {
          const ours = k.encrypt(nonce, aad, plain);
          const theirs = gcm(key, nonce, aad).encrypt(plain);
          assert.is(hex(ours), hex(theirs));
          assert.is(hex(k.decrypt(nonce, aad, theirs)), hex(plain));
          assert.is(hex(gcm(key, nonce, aad).decrypt(ours)), hex(plain));
        }
      },
    ),
    { numRuns: 300 },
  );
});

test('inputs at odd offsets in a larger buffer (as a row stores IV || ciphertext) give the same bytes', () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const k = keyedGcm(key);
  for (let len = 0; len <= 40; len++) {
    for (const offset of [1, 2, 3, 5]) {
      const buf = crypto.getRandomValues(new Uint8Array(offset + 12 + len + 16));
      const nonce = buf.subarray(offset, offset + 12);
      const plain = buf.subarray(offset + 12, offset + 12 + len);
      const aad = buf.subarray(offset, offset + (len % 7));
      const sealed = gcm(key, nonce, aad).encrypt(plain);
      assert.is(hex(k.encrypt(nonce, aad, plain)), hex(sealed));
      const stored = new Uint8Array(offset + sealed.length);
      stored.set(sealed, offset);
      assert.is(hex(k.decrypt(nonce, aad, stored.subarray(offset))), hex(plain));
    }
  }
});

test('a changed byte of ciphertext, tag, nonce or AAD is refused, as by noble gcm()', () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const k = keyedGcm(key);
  const nonce = crypto.getRandomValues(new Uint8Array(12));
  const aad = new TextEncoder().encode('notes|n1|text');
  const sealed = k.encrypt(nonce, aad, new TextEncoder().encode('"Ze vertelde over haar zoon"'));
  for (let i = 0; i < sealed.length; i++) {
    const bad = sealed.slice();
    bad[i] ^= 1;
    assert.throws(() => k.decrypt(nonce, aad, bad), /invalid tag/);
    assert.throws(() => gcm(key, nonce, aad).decrypt(bad));
  }
  const otherNonce = nonce.slice();
  otherNonce[11] ^= 0x80;
  assert.throws(() => k.decrypt(otherNonce, aad, sealed), /invalid tag/);
  assert.throws(() => k.decrypt(nonce, new TextEncoder().encode('notes|n2|text'), sealed), /invalid tag/);
  assert.throws(() => k.decrypt(nonce, aad, sealed.subarray(0, 15)));
  assert.throws(() => k.encrypt(new Uint8Array(16), aad, new Uint8Array(1)), /12 bytes/);
  // A refused message leaves nothing behind: the next one still opens.
  assert.is(new TextDecoder().decode(k.decrypt(nonce, aad, sealed)), '"Ze vertelde over haar zoon"');
});

test('after forget() nothing opens or seals', () => {
  const key = crypto.getRandomValues(new Uint8Array(32));
  const k = keyedGcm(key);
  const nonce = new Uint8Array(12);
  const sealed = k.encrypt(nonce, new Uint8Array(0), new Uint8Array([1, 2, 3]));
  k.forget();
  assert.throws(() => k.decrypt(nonce, new Uint8Array(0), sealed));
  assert.throws(() => k.encrypt(nonce, new Uint8Array(0), new Uint8Array([1])));
});

test('a field sealed by the earlier per-call gcm() still opens, and a new seal opens with gcm(): the stored IV || ciphertext || tag is unchanged', async () => {
  const dek = newDataKey();
  const c = await fieldCipher(dek);
  const enc = new TextEncoder();
  const value = { name: 'Fatima el Amrani', themes: ['rouw', 'werk'] };
  const aad = 'participants|p1|name';
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const old = gcm(dek, iv, enc.encode(aad)).encrypt(enc.encode(JSON.stringify(value)));
  const stored = new Uint8Array(12 + old.length);
  stored.set(iv);
  stored.set(old, 12);
  assert.equal(c.open(stored, aad), value);
  const sealed = c.seal(value, aad);
  const opened = gcm(dek, sealed.subarray(0, 12), enc.encode(aad)).decrypt(sealed.subarray(12));
  assert.equal(JSON.parse(new TextDecoder().decode(opened)), value);
  c.forget();
});

test.run();
