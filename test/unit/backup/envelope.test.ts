import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  BackupError,
  ITERATIONS,
  backupFileName,
  decodeBackup,
  encodeBackup,
  readBackupHeader,
  summarize,
  type BackupEntry,
} from '../../../src/shared/backup';
import { formatHlc } from '../../../src/shared/hlc';

const T = Date.UTC(2026, 2, 1, 10);
const entries: BackupEntry[] = [
  { mid: 3, table: 'participants', id: 'p1', groupId: 'g1', values: { name: 'Fatima', foundVia: 'flyer', status: 'actief' }, hlc: formatHlc(T, 0, 'dphone'), at: T },
  { mid: 4, table: 'attendance', id: 'r.g1.2026-03-01|p1', groupId: 'g1', values: { present: true }, hlc: formatHlc(T, 1, 'dphone'), at: T },
  { mid: 7, table: 'notes', id: 'n1', groupId: 'g2', values: {}, hlc: formatHlc(T + 5, 0, 'dphone'), deleted: true, at: T + 5 },
];
const PASS = 'kopje thee 42';
// The lowest count the reader accepts keeps these tests quick; the default is checked on its own.
const fast = (over: Partial<Parameters<typeof encodeBackup>[0]> = {}) =>
  encodeBackup({ deviceId: 'dphone', entries, passphrase: PASS, now: new Date(T), iterations: 310_000, ...over });

async function rejects(p: Promise<unknown>, problem: string, message?: RegExp): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, BackupError);
    assert.is((e as BackupError).problem, problem);
    if (message) assert.match((e as Error).message, message);
    return;
  }
  assert.unreachable(`expected ${problem}`);
}

test('a backup opens with its passphrase and gives back every waiting change with its HLC and mid', async () => {
  const text = await encodeBackup({ deviceId: 'dphone', entries, passphrase: PASS, now: new Date(T) });
  const env = JSON.parse(text);
  assert.is(env.iterations, ITERATIONS);
  assert.ok(ITERATIONS >= 310_000);
  assert.equal(env.counts, { changes: 3, tables: { participants: 1, attendance: 1, notes: 1 } });
  assert.is(env.deviceId, 'dphone');
  assert.is(env.createdAt, '2026-03-01T10:00:00.000Z');
  for (const k of ['format', 'version', 'salt', 'iv', 'ciphertext']) assert.ok(k in env, k);
  const { header, entries: back } = await decodeBackup(text, PASS);
  assert.equal(back, entries);
  assert.is(header.deviceId, 'dphone');
});

test('the file shows no participant name or note in clear text', async () => {
  const text = await fast();
  assert.not.ok(text.includes('Fatima'));
  // '|' and '.' never occur in base64, so this cannot match by chance.
  assert.not.ok(text.includes('r.g1.2026-03-01|p1'));
});

test('two backups of the same changes differ (fresh salt and iv each time)', async () => {
  const [a, b] = await Promise.all([fast(), fast()]);
  assert.is.not(JSON.parse(a).ciphertext, JSON.parse(b).ciphertext);
  assert.is.not(JSON.parse(a).salt, JSON.parse(b).salt);
});

test('a wrong passphrase gets its own clear Dutch message', async () => {
  await rejects(decodeBackup(await fast(), 'kopje thee 43'), 'passphrase', /wachtwoordzin klopt niet/);
});

test('a changed byte in the ciphertext is reported as a damaged file, not as a wrong passphrase', async () => {
  const env = JSON.parse(await fast());
  const bytes = Buffer.from(env.ciphertext, 'base64');
  bytes[5] ^= 1;
  env.ciphertext = bytes.toString('base64');
  await rejects(decodeBackup(JSON.stringify(env), PASS), 'damaged', /beschadigd of gewijzigd/);
});

test('changing the clear-text counts or device breaks the seal too', async () => {
  const env = JSON.parse(await fast());
  await rejects(decodeBackup(JSON.stringify({ ...env, counts: { ...env.counts, changes: 2 } }), PASS), 'damaged');
  await rejects(decodeBackup(JSON.stringify({ ...env, deviceId: 'dother' }), PASS), 'damaged');
});

test('a file that is not a backup is refused with a Dutch message before any passphrase is tried', () => {
  for (const text of ['', 'hallo', '{}', '[]', 'null', JSON.stringify({ format: 'luisterkring-backup', version: 1 })]) {
    try {
      readBackupHeader(text);
      assert.unreachable(text);
    } catch (e) {
      assert.is((e as BackupError).problem, 'not-backup', text);
      assert.match((e as Error).message, /geen back-upbestand van Luisterkring/);
    }
  }
});

test('a backup from a newer app version asks for an update', async () => {
  const env = JSON.parse(await fast());
  await rejects(decodeBackup(JSON.stringify({ ...env, version: 2 }), PASS), 'newer-version', /nieuwere versie/);
});

test('an iteration count below the minimum is not accepted (a forged cheap key)', async () => {
  const env = JSON.parse(await fast());
  await rejects(decodeBackup(JSON.stringify({ ...env, iterations: 1000 }), PASS), 'not-backup');
});

test('an invalid change is refused when writing, and a sealed payload with a bad one opens to nothing at all', async () => {
  await rejects(fast({ entries: [...entries, { ...entries[0], mid: 9, id: 'met spatie' }] }), 'invalid');
  // Two changes under one mid: the writer does not look for this, the reader must.
  const dup = [entries[0], { ...entries[1], mid: 3 }];
  await rejects(decodeBackup(await fast({ entries: dup }), PASS), 'invalid', /ongeldige wijzigingen/);
});

test('a short passphrase is refused before anything is written', async () => {
  await rejects(encodeBackup({ deviceId: 'dphone', entries, passphrase: 'kort' }), 'weak-passphrase', /minstens 8 tekens/);
});

test('the preview counts per table and per group', () => {
  const s = summarize(entries);
  assert.equal(s.tables, { participants: 1, attendance: 1, notes: 1 });
  assert.equal([...s.groups], [
    ['g1', 2],
    ['g2', 1],
  ]);
});

test('the file name carries the local date', () => {
  assert.is(backupFileName(new Date(2026, 0, 5, 23, 59)), 'luisterkring-backup-2026-01-05.lkbackup');
});

test.run();
