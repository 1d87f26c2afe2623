// What a copied phone profile costs someone guessing its app lock offline: one guess is one PBKDF2-SHA256 run with
// the stored count (the wrapped key's AES-GCM tag says right or wrong), measured here with Node's Web Crypto, which
// is OpenSSL: the same code an attacker's CPU would run; a GPU's rate is estimated beside it.
import { availableParallelism, loadavg } from 'node:os';
import { PBKDF2_ITERATIONS, newDataKey, unwrapDataKey, wrapDataKey } from '../src/data/crypto';
import { PASSPHRASE_MIN } from '../src/data/lock';
import type { BenchResult } from './run';

const YEAR_S = 365.25 * 86_400;

function span(seconds: number): string {
  if (seconds < 3600) return `${(seconds / 60).toFixed(1)} min`;
  if (seconds < 86_400 * 3) return `${(seconds / 3600).toFixed(1)} h`;
  if (seconds < YEAR_S) return `${(seconds / 86_400).toFixed(0)} days`;
  return `${(seconds / YEAR_S).toExponential(1)} years`;
}

export async function benchLockGuess(): Promise<BenchResult[]> {
  const w = await wrapDataKey(newDataKey(), '24681357');
  await unwrapDataKey(w, '00000000');
  const runs = 5;
  const t0 = performance.now();
  for (let i = 0; i < runs; i++) await unwrapDataKey(w, String(10_000_000 + i));
  const perGuess = (performance.now() - t0) / runs / 1000;
  const cores = availableParallelism();
  const perSecond = cores / perGuess;
  // Keyspaces: every PIN of 6 and of 8 digits; a passphrase of the shortest allowed length from lower-case letters
  // alone (26^12, a floor: people pick words, which a dictionary attack walks faster), and four words drawn at
  // random from a 7,776-word list (Diceware), what the screen suggests.
  const spaces: [string, number][] = [
    ['6-digit PIN (10^6)', 1e6],
    ['8-digit PIN (10^8)', 1e8],
    [`passphrase of ${PASSPHRASE_MIN} random lower-case letters (26^${PASSPHRASE_MIN})`, 26 ** PASSPHRASE_MIN],
    ['passphrase of 4 random words from 7,776 (7776^4)', 7776 ** 4],
  ];
  // hashcat's PBKDF2-HMAC-SHA256 (mode 10900) does about 9 million guesses/s at 1,000 rounds on one RTX 4090;
  // scaled to the stored count that is the rate of one such card against this lock.
  const gpuPerSecond = (9e6 * 1000) / PBKDF2_ITERATIONS;
  const worst = spaces.map(([what, n]) => `${what}: ${span(n / perSecond)} here, ${span(n / gpuPerSecond)} on one GPU`).join('; ');
  return [
    {
      name: `app lock: one offline guess (PBKDF2-SHA256, ${PBKDF2_ITERATIONS.toLocaleString('en')} rounds, one core)`,
      value: Math.round(perGuess * 1000),
      unit: 'ms',
      // A floor, not a ceiling: each guess must cost the attacker at least this much (the issue measured ≈ 200 ms).
      budget: 100,
      higherIsBetter: true,
      note:
        `machine load ${(loadavg()[0] / cores).toFixed(1)} per core (a busy machine makes a guess look dearer); ` +
        `${perSecond.toFixed(1)} guesses/s on all ${cores} cores; to try every key: ${worst}. ` +
        `(one GPU ≈ ${Math.round(gpuPerSecond).toLocaleString('en')} guesses/s, from hashcat's PBKDF2-SHA256 rate). ` +
        "A passkey (WebAuthn PRF) wraps the key with a 256-bit secret the phone's authenticator never gives out: nothing to guess offline.",
    },
  ];
}
