// What one sealed field costs the phone (Node's V8, the same JS the page runs): opening a row not opened before, as
// the report's first full read does for ≈ 16 k participant, round and evaluation rows, and sealing one, as each write
// does; beside it noble's per-call `gcm()`, which built the AES key schedule and GHASH table for every field.
import { availableParallelism, loadavg } from 'node:os';
import { gcm } from '@noble/ciphers/aes.js';
import { fieldCipher, newDataKey } from '../src/data/crypto';
import type { BenchResult } from './run';

const N = 5000;
const round1 = (n: number) => Math.round(n * 10) / 10;

export async function benchCipher(): Promise<BenchResult[]> {
  const key = newDataKey();
  const c = await fieldCipher(key);
  const enc = new TextEncoder();
  const value = { name: 'Fatima el Amrani', gender: 'v', ageBand: '45-54', status: 'actief', foundVia: 'buurtwerk' };
  const aads = Array.from({ length: N }, (_, i) => `participants:p${i}`);
  // Each row its own IV, so every open below is a first open (the cipher keeps opened text by IV and tag).
  const sealed = aads.map((aad) => c.seal(value, aad));
  // Warmed up on other rows first, so the figures are the JIT's optimised code, as on a phone after start-up.
  const warm = await fieldCipher(key);
  for (let i = 0; i < N / 5; i++) warm.open(sealed[i], aads[i]);
  for (let i = 0; i < N / 5; i++) gcm(key, sealed[i].subarray(0, 12), enc.encode(aads[i])).decrypt(sealed[i].subarray(12));
  warm.forget();
  const t0 = performance.now();
  for (let i = 0; i < N; i++) c.open(sealed[i], aads[i]);
  const open = ((performance.now() - t0) * 1000) / N;
  const t1 = performance.now();
  for (let i = 0; i < N; i++) c.seal(value, aads[i]);
  const seal = ((performance.now() - t1) * 1000) / N;
  const plain = enc.encode(JSON.stringify(value));
  const t2 = performance.now();
  for (let i = 0; i < N; i++) gcm(key, sealed[i].subarray(0, 12), enc.encode(aads[i])).decrypt(sealed[i].subarray(12));
  const perCall = ((performance.now() - t2) * 1000) / N;
  c.forget();
  const load = `machine load ${(loadavg()[0] / availableParallelism()).toFixed(1)} per core`;
  return [
    {
      name: 'sealed field opened for the first time (≈ 100 bytes, Node)',
      value: round1(open),
      unit: 'µs',
      // Own budget: the report's first full read opens ≈ 16 k sealed rows; at this rate that is ≤ 0.5 s of its time.
      budget: 30,
      note: `seal ${round1(seal)} µs; noble gcm() per call (key schedule and GHASH table each time) ${round1(perCall)} µs to open; ${plain.length} bytes of JSON; ${N} rows; ${load}`,
    },
  ];
}
