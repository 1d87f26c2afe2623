// The encrypted backup file of a phone's waiting changes: AES-GCM under a PBKDF2 key, checked with zod on the way in.
import * as z from 'zod/mini';
import { ChangeSchema, Id, type Change, type TableName } from './schema';

export const BACKUP_FORMAT = 'luisterkring-backup';
export const BACKUP_VERSION = 1;
export const BACKUP_EXTENSION = '.lkbackup';
export const MIN_PASSPHRASE = 8;
/** OWASP's current figure for PBKDF2-HMAC-SHA256; about a second on a cheap phone, once per backup. */
export const ITERATIONS = 600_000;
/** Fewer than this is not a file we wrote; more than this would freeze the coördinator's browser. */
const MIN_ITERATIONS = 310_000;
const MAX_ITERATIONS = 10_000_000;

/** A waiting change as the outbox holds it: the change with its HLC and mid, and when it was made. */
export const BackupEntrySchema = z.object({ ...ChangeSchema.shape, at: z.number() });
export type BackupEntry = z.infer<typeof BackupEntrySchema>;

const Base64 = z.string().check(z.regex(/^[A-Za-z0-9+/]+={0,2}$/));

const CountsSchema = z.object({
  changes: z.int().check(z.gte(0)),
  tables: z.record(z.string(), z.int().check(z.gte(0))),
});
export type BackupCounts = z.infer<typeof CountsSchema>;

const EnvelopeSchema = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.int(),
  deviceId: Id,
  createdAt: z.iso.datetime(),
  counts: CountsSchema,
  kdf: z.literal('PBKDF2-SHA256'),
  iterations: z.int().check(z.gte(MIN_ITERATIONS), z.lte(MAX_ITERATIONS)),
  salt: Base64,
  cipher: z.literal('AES-GCM'),
  iv: Base64,
  /** SHA-256 of the second half of the derived bits: tells a wrong passphrase from a damaged file. */
  check: Base64,
  ciphertext: Base64,
});
export type BackupEnvelope = z.infer<typeof EnvelopeSchema>;
/** What can be read without the passphrase. */
export type BackupHeader = Pick<BackupEnvelope, 'version' | 'deviceId' | 'createdAt' | 'counts'>;

const PayloadSchema = z.object({ entries: z.array(BackupEntrySchema) });

export type BackupProblem = 'not-backup' | 'newer-version' | 'passphrase' | 'damaged' | 'invalid' | 'weak-passphrase';

const MESSAGES: Record<BackupProblem, string> = {
  'not-backup': 'Dit is geen back-upbestand van Luisterkring, of het bestand is onvolledig.',
  'newer-version': 'Deze back-up is gemaakt met een nieuwere versie van Luisterkring. Werk de app bij en probeer het opnieuw.',
  passphrase: 'De wachtwoordzin klopt niet. Let op hoofdletters en spaties.',
  damaged: 'Het bestand is beschadigd of gewijzigd; de wijzigingen kunnen niet veilig gelezen worden.',
  invalid: 'De back-up bevat ongeldige wijzigingen.',
  'weak-passphrase': `Kies een wachtwoordzin van minstens ${MIN_PASSPHRASE} tekens.`,
};

/** Every failure to read or write a backup, with a Dutch message; `problem` lets the screen pick its own words. */
export class BackupError extends Error {
  constructor(
    readonly problem: BackupProblem,
    detail?: string,
  ) {
    super(detail ? `${MESSAGES[problem]} ${detail}` : MESSAGES[problem]);
    this.name = 'BackupError';
  }
}

/** `luisterkring-backup-2026-03-01.lkbackup`, by the phone's own calendar day. */
export function backupFileName(at: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `luisterkring-backup-${at.getFullYear()}-${p(at.getMonth() + 1)}-${p(at.getDate())}${BACKUP_EXTENSION}`;
}

export function countEntries(entries: readonly Change[]): BackupCounts {
  const tables: Record<string, number> = {};
  for (const e of entries) tables[e.table] = (tables[e.table] ?? 0) + 1;
  return { changes: entries.length, tables };
}

/** Counts per table and per group (null: organisation-wide), for the preview before importing. */
export function summarize(entries: readonly Change[]): { tables: Partial<Record<TableName, number>>; groups: Map<string | null, number> } {
  const tables: Partial<Record<TableName, number>> = {};
  const groups = new Map<string | null, number>();
  for (const e of entries) {
    tables[e.table] = (tables[e.table] ?? 0) + 1;
    groups.set(e.groupId, (groups.get(e.groupId) ?? 0) + 1);
  }
  return { tables, groups };
}

const subtle = () => globalThis.crypto.subtle;
const utf8 = new TextEncoder();

function toBase64(bytes: Uint8Array): string {
  let s = '';
  // In slices: String.fromCharCode(...) on a whole large file overflows the argument stack.
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fromBase64(s: string): Uint8Array<ArrayBuffer> {
  const bin = atob(s);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** The header fields travel in clear text; as AES-GCM's additional data a changed count or device fails to open. */
function additionalData(h: BackupHeader): Uint8Array<ArrayBuffer> {
  const tables = Object.keys(h.counts.tables)
    .sort()
    .map((k) => [k, h.counts.tables[k]]);
  return utf8.encode(JSON.stringify([BACKUP_FORMAT, h.version, h.deviceId, h.createdAt, h.counts.changes, tables]));
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<{ key: CryptoKey; check: string }> {
  const base = await subtle().importKey('raw', utf8.encode(passphrase.normalize('NFC')), 'PBKDF2', false, ['deriveBits']);
  const bits = new Uint8Array(await subtle().deriveBits({ name: 'PBKDF2', hash: 'SHA-256', salt, iterations }, base, 512));
  const key = await subtle().importKey('raw', bits.slice(0, 32), 'AES-GCM', false, ['encrypt', 'decrypt']);
  const check = toBase64(new Uint8Array(await subtle().digest('SHA-256', bits.slice(32))));
  return { key, check };
}

export interface EncodeInput {
  deviceId: string;
  entries: readonly BackupEntry[];
  passphrase: string;
  now?: Date;
  iterations?: number;
}

/** Encrypts the waiting changes into the text of a backup file. */
export async function encodeBackup(input: EncodeInput): Promise<string> {
  if (input.passphrase.length < MIN_PASSPHRASE) throw new BackupError('weak-passphrase');
  const parsed = z.array(BackupEntrySchema).safeParse(input.entries);
  if (!parsed.success) throw new BackupError('invalid');
  const entries = parsed.data;
  const header: BackupHeader = {
    version: BACKUP_VERSION,
    deviceId: input.deviceId,
    createdAt: (input.now ?? new Date()).toISOString(),
    counts: countEntries(entries),
  };
  const salt = globalThis.crypto.getRandomValues(new Uint8Array(16));
  const iv = globalThis.crypto.getRandomValues(new Uint8Array(12));
  const iterations = input.iterations ?? ITERATIONS;
  const { key, check } = await deriveKey(input.passphrase, salt, iterations);
  const plain = utf8.encode(JSON.stringify({ entries }));
  const cipher = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv, additionalData: additionalData(header) }, key, plain));
  const envelope: BackupEnvelope = {
    format: BACKUP_FORMAT,
    ...header,
    kdf: 'PBKDF2-SHA256',
    iterations,
    salt: toBase64(salt),
    cipher: 'AES-GCM',
    iv: toBase64(iv),
    check,
    ciphertext: toBase64(cipher),
  };
  return JSON.stringify(envelope, null, 1);
}

/** Reads the clear-text part, so the screen can say whose backup it is before asking for the passphrase. */
export function readBackupHeader(text: string): BackupEnvelope {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new BackupError('not-backup');
  }
  const version = (json as { version?: unknown } | null)?.version;
  if ((json as { format?: unknown } | null)?.format === BACKUP_FORMAT && typeof version === 'number' && version > BACKUP_VERSION) {
    throw new BackupError('newer-version');
  }
  const r = EnvelopeSchema.safeParse(json);
  if (!r.success || r.data.version !== BACKUP_VERSION) throw new BackupError('not-backup');
  return r.data;
}

/** Opens a backup: every entry must be a valid change, or none is returned. */
export async function decodeBackup(text: string, passphrase: string): Promise<{ header: BackupEnvelope; entries: BackupEntry[] }> {
  const header = readBackupHeader(text);
  let salt: Uint8Array<ArrayBuffer>, iv: Uint8Array<ArrayBuffer>, cipher: Uint8Array<ArrayBuffer>;
  try {
    [salt, iv, cipher] = [fromBase64(header.salt), fromBase64(header.iv), fromBase64(header.ciphertext)];
  } catch {
    throw new BackupError('not-backup');
  }
  if (salt.length < 16 || iv.length !== 12) throw new BackupError('not-backup');
  const { key, check } = await deriveKey(passphrase, salt, header.iterations);
  if (check !== header.check) throw new BackupError('passphrase');
  let plain: ArrayBuffer;
  try {
    plain = await subtle().decrypt({ name: 'AES-GCM', iv, additionalData: additionalData(header) }, key, cipher);
  } catch {
    throw new BackupError('damaged');
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(plain));
  } catch {
    throw new BackupError('invalid');
  }
  const r = PayloadSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new BackupError('invalid', first ? `(${first.path.map(String).join('.')}: ${first.message})` : undefined);
  }
  const entries = r.data.entries;
  const mids = new Set(entries.map((e) => e.mid));
  if (mids.size !== entries.length) throw new BackupError('invalid', '(dubbele mutatie-id)');
  if (entries.length !== header.counts.changes) throw new BackupError('damaged');
  return { header, entries };
}
