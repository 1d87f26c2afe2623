// Encryption at rest: a Dexie middleware that seals what tells about a person or a story in each row on write and opens it on read.
import type Dexie from 'dexie';
import type { DBCore, DBCoreCursor, DBCoreKeyRange, DBCoreMutateRequest, DBCoreQuery, DBCoreTable } from 'dexie';
import type { FieldCipher } from './crypto';
import { plainKeyFor, plainKeyStore } from './device-key';
import { loadCrypto } from './load-crypto';

/** Fields that name, quote or describe people or what their stories were about. Ids, dates and everything indexed
 * stay readable, so queries and sync bookkeeping work without the key; rounds' begeleider names are staff, not
 * participants, and stay too. */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  participants: ['name', 'gender', 'ageBand', 'status', 'foundVia', 'firstVisit'],
  notes: ['text', 'author'],
  stories: ['pseudonym', 'quote', 'age', 'themes'],
  rounds: ['mote', 'strategiesNote', 'closingWords', 'cancelReason', 'reopenReason', 'werkvorm', 'themesRaised', 'chosenTheme', 'strategies'],
  evaluations: ['wentWell', 'improve', 'support', 'atmosphere', 'safety'],
  // Who came to which round: the id `roundId|participantId` and the participantId index hold a keyed tag instead, so
  // `present` says only that someone unnamed was there.
  attendance: ['participantId'],
};

/** Raised whenever SEALED_FIELDS grows: rows stored under an older list are sealed again once the key is at hand. */
export const SEAL_VERSION = 2;

/** Where a row keeps its sealed fields: IV + AES-GCM ciphertext + tag, as bytes. */
export const SEAL = '_e';

export class LockedError extends Error {
  constructor() {
    super('De app is vergrendeld. Ontgrendel met je pincode om op te slaan.');
    this.name = 'LockedError';
  }
}

/** Per database: whether rows are sealed, and the open cipher while it is at hand. The cipher never leaves memory.
 * `source` says where its key came from: the plain device key (no PIN) or an unlock (PIN, passkey). */
export interface KeyState {
  enabled: boolean;
  cipher: FieldCipher | null;
  source?: 'device' | 'pin';
}

const states = new WeakMap<Dexie, KeyState>();

export function keyState(d: Dexie): KeyState {
  let s = states.get(d);
  if (!s) {
    s = { enabled: false, cipher: null };
    states.set(d, s);
  }
  return s;
}

/** Follows a PIN set or removed by another tab or the page while this context (say the service worker) kept the
 * database open: a device key held from before a PIN must go, and after a PIN is removed the device key opens again. */
export async function followLock(d: Dexie, pinSet: boolean): Promise<void> {
  const s = keyState(d);
  if (pinSet) {
    s.enabled = true;
    if (s.source === 'device') dropCipher(s);
    return;
  }
  if (s.source === 'pin') s.source = 'device';
  if (!s.cipher) await openDeviceKey(d, s);
}

/** True when sealed rows can be read: no PIN and the device key at hand, or unlocked. Reads `meta` afresh, so a
 * service worker that opened the database before a PIN was set is not fooled; sync must not send a locked outbox. */
export async function canReadSealed(d: Dexie): Promise<boolean> {
  const s = keyState(d);
  await followLock(d, (await d.table('meta').get('lock')) !== undefined);
  return !s.enabled || s.cipher !== null;
}

function dropCipher(s: KeyState): void {
  const c = s.cipher;
  s.cipher = null;
  s.source = undefined;
  c?.forget();
}

/** A value that is still sealed: read while locked. */
export function isSealed(obj: unknown): boolean {
  return typeof obj === 'object' && obj !== null && isBytes((obj as Row)[SEAL]);
}

type Row = Record<string, unknown>;

const isBytes = (v: unknown): v is Uint8Array => v instanceof Uint8Array || (ArrayBuffer.isView(v) && !(v instanceof DataView));

function sealFields(obj: Row, fields: readonly string[], aad: string, s: KeyState): Row {
  if (!s.enabled) return obj;
  let secret: Row | null = null;
  for (const f of fields) if (obj[f] !== undefined) (secret ??= {})[f] = obj[f];
  if (!secret) return obj;
  if (!s.cipher) throw new LockedError();
  const before = isBytes(obj[SEAL]) ? (s.cipher.open(obj[SEAL], aad) as Row) : {};
  const out: Row = { ...obj };
  for (const f of fields) delete out[f];
  out[SEAL] = s.cipher.seal({ ...before, ...secret }, aad);
  return out;
}

function openFields(obj: Row, aad: string, s: KeyState): Row {
  const sealed = obj[SEAL];
  if (!s.cipher || !isBytes(sealed)) return obj;
  const { [SEAL]: _, ...rest } = obj;
  return { ...rest, ...(s.cipher.open(sealed, aad) as Row) };
}

interface Codec {
  seal(obj: Row, s: KeyState): Row;
  open(obj: Row, s: KeyState): Row;
  /** The stored form of a key or index value the layers above ask for, when it differs from theirs. */
  key?(index: string | null, k: unknown, s: KeyState): unknown;
  /** The primary key above the sealing for one that was stored, where it can be known. */
  primaryKey?(k: unknown, s: KeyState): unknown;
}

/** Stored participant ids in attendance are `~` and a tag; a real id never contains `~` (ID_RE). */
const TAG = '~';
const PLAIN_ID = /^[A-Za-z0-9_:.-]+$/;
const untagged = new Map<string, string>();

function tagId(pid: unknown, s: KeyState): unknown {
  if (typeof pid !== 'string' || !s.cipher || !PLAIN_ID.test(pid)) return pid;
  const t = TAG + s.cipher.tag(pid);
  untagged.set(t, pid);
  return t;
}

/** `roundId|participantId` → `roundId|~tag`. Without the key a lookup by the real id finds nothing, which is what
 * a locked phone should see. Range bounds such as `roundId|` and `roundId|\uffff` are left as they are. */
function storedAttendanceId(id: unknown, s: KeyState): unknown {
  if (typeof id !== 'string') return id;
  const at = id.lastIndexOf('|');
  if (at < 0) return id;
  const t = tagId(id.slice(at + 1), s);
  return typeof t === 'string' ? id.slice(0, at + 1) + t : id;
}

function realAttendanceId(id: unknown): unknown {
  if (typeof id !== 'string') return id;
  const at = id.lastIndexOf('|');
  const pid = at < 0 ? undefined : untagged.get(id.slice(at + 1));
  return pid === undefined ? id : id.slice(0, at + 1) + pid;
}

function attendanceCodec(): Codec {
  const fields = SEALED_FIELDS.attendance;
  return {
    seal(o, s) {
      if (!s.enabled) return o;
      if (!s.cipher) throw new LockedError();
      const id = storedAttendanceId(o.id, s);
      const out = sealFields(o, fields, `attendance:${String(id)}`, s);
      return { ...out, id, ...(o.participantId !== undefined && { participantId: tagId(o.participantId, s) }) };
    },
    open(o, s) {
      // Most reads need no decryption: the tags of the phone's participants are known once the key is at hand
      // (learnTags), and ten years of attendance are most of the rows the report reads.
      const known = s.cipher && typeof o.participantId === 'string' ? untagged.get(o.participantId) : undefined;
      if (known !== undefined && typeof o.id === 'string') {
        const { [SEAL]: _, ...rest } = o;
        return { ...rest, participantId: known, id: o.id.slice(0, o.id.lastIndexOf('|') + 1) + known };
      }
      const out = openFields(o, `attendance:${String(o.id)}`, s);
      if (out === o || typeof out.participantId !== 'string' || typeof o.id !== 'string') return out;
      return { ...out, id: o.id.slice(0, o.id.lastIndexOf('|') + 1) + out.participantId };
    },
    key: (index, k, s) => (index === null ? storedAttendanceId(k, s) : index === 'participantId' ? tagId(k, s) : k),
    primaryKey: realAttendanceId,
  };
}

/** Outbox and refusals: an attendance change's id is stored tagged, its real id sealed with the values. */
const ID_FIELD = '_id';
function sealChangeId(o: Row, s: KeyState): Row {
  if (o.table !== 'attendance' || !s.enabled || typeof o.id !== 'string' || !o.values || typeof o.values !== 'object') return o;
  const id = storedAttendanceId(o.id, s);
  return id === o.id ? o : { ...o, id, values: { ...(o.values as Row), [ID_FIELD]: o.id } };
}
function openChangeId(o: Row): Row {
  const values = o.values as Row | undefined;
  if (o.table !== 'attendance' || !values || typeof values[ID_FIELD] !== 'string') return o;
  const { [ID_FIELD]: id, ...rest } = values;
  return { ...o, id, values: rest };
}
const changeKey = (index: string | null, k: unknown, s: KeyState) =>
  index === '[table+id]' && Array.isArray(k) && k[0] === 'attendance' ? [k[0], storedAttendanceId(k[1], s), ...k.slice(2)] : k;

/** How each store seals. The outbox and the refusals carry the same text in `values`, so they are sealed as well;
 * a quarantined row may be anything, so all of it is. The key binds the ciphertext to its row (AAD). */
function codecFor(table: DBCoreTable): Codec | null {
  const name = table.name;
  const pk = table.schema.primaryKey;
  const aad = (obj: Row) => (pk.autoIncrement || typeof pk.keyPath !== 'string' ? name : `${name}:${String(obj[pk.keyPath])}`);
  if (name === 'attendance') return attendanceCodec();
  const fields = SEALED_FIELDS[name];
  if (fields) return { seal: (o, s) => sealFields(o, fields, aad(o), s), open: (o, s) => openFields(o, aad(o), s) };
  if (name === 'outbox' || name === 'rejected') {
    const inValues = (o: Row, fn: (values: Row, f: readonly string[]) => Row) => {
      const own = SEALED_FIELDS[String(o.table)];
      const f = own && o.table === 'attendance' ? [...own, ID_FIELD] : own;
      const values = o.values as Row | undefined;
      if (!f || !values || typeof values !== 'object') return o;
      const next = fn(values, f);
      return next === values ? o : { ...o, values: next };
    };
    return {
      seal: (o, s) => inValues(sealChangeId(o, s), (v, f) => sealFields(v, f, aad(o), s)),
      open: (o, s) => openChangeId(inValues(o, (v) => openFields(v, aad(o), s))),
      key: changeKey,
    };
  }
  // The session's session key (sync/api.ts SESSION_KEY): without the PIN or passkey the server gives nothing.
  if (name === 'meta') {
    const isKey = (o: Row) => o.key === 'sessionKey';
    return { seal: (o, s) => (isKey(o) ? sealFields(o, ['value'], aad(o), s) : o), open: (o, s) => (isKey(o) ? openFields(o, aad(o), s) : o) };
  }
  if (name === 'quarantine') return { seal: (o, s) => sealFields(o, ['row'], aad(o), s), open: (o, s) => openFields(o, aad(o), s) };
  return null;
}

function sealedTable(down: DBCoreTable, codec: Codec, s: KeyState): DBCoreTable {
  const open = (v: unknown) => (v && typeof v === 'object' ? codec.open(v as Row, s) : v);
  const translate = codec.key;
  const pk = (k: unknown) => (translate ? translate(null, k, s) : k);
  const range = (index: string | null, r: DBCoreKeyRange): DBCoreKeyRange =>
    translate ? { ...r, lower: translate(index, r.lower, s), upper: translate(index, r.upper, s) } : r;
  const query = <Q extends { query: DBCoreQuery }>(req: Q): Q => {
    if (!translate) return req;
    const index = req.query.index.isPrimaryKey ? null : req.query.index.name;
    return { ...req, query: { ...req.query, range: range(index, req.query.range) } };
  };
  const back = (k: unknown) => (codec.primaryKey ? codec.primaryKey(k, s) : k);
  return {
    ...down,
    mutate(req: DBCoreMutateRequest) {
      if (req.type === 'delete') return down.mutate({ ...req, keys: req.keys.map(pk) });
      if (req.type === 'deleteRange') return down.mutate({ ...req, range: range(null, req.range) });
      let values: unknown[];
      try {
        values = req.values.map((v) => (v && typeof v === 'object' ? codec.seal(v as Row, s) : v));
      } catch (e) {
        return Promise.reject(e);
      }
      // A fresh request: the layers above (live queries' cache) keep the plaintext values they passed down.
      const sent = down.mutate({ ...req, values, ...(req.keys && { keys: req.keys.map(pk) }) });
      return codec.primaryKey ? sent.then((res) => ({ ...res, results: res.results?.map(back) })) : sent;
    },
    get: (req) => down.get({ ...req, key: pk(req.key) }).then(open),
    getMany: (req) => down.getMany({ ...req, keys: req.keys.map(pk) }).then((rows) => rows.map(open)),
    count: (req) => down.count(query(req)),
    query: (req) =>
      down.query(query(req)).then((res) => ({ ...res, result: req.values ? res.result.map(open) : codec.primaryKey ? res.result.map(back) : res.result })),
    openCursor: (req) => down.openCursor(query(req)).then((c) => (c && req.values ? openingCursor(c, open) : c)),
  };
}

/** IDBCursor's getters refuse a foreign `this`, so key and primaryKey are passed through explicitly. */
function openingCursor(c: DBCoreCursor, open: (v: unknown) => unknown): DBCoreCursor {
  let raw: unknown;
  let opened: unknown;
  return Object.create(c, {
    key: { get: () => c.key },
    primaryKey: { get: () => c.primaryKey },
    value: {
      get: () => {
        const v = c.value;
        if (v !== raw) {
          raw = v;
          opened = open(v);
        }
        return opened;
      },
    },
  }) as DBCoreCursor;
}

/** Every store that can hold sealed values. */
export function sealedStoreNames(): string[] {
  return [...Object.keys(SEALED_FIELDS), 'outbox', 'rejected', 'quarantine'];
}

/** Reads every row through the cipher and writes it back, so each is sealed under the current field list, then
 * records that list's version. `first` runs in the same transaction (the PIN's wrapped key, say). With `sealed`
 * false the rows are written back readable (a lock removed where no plain key store exists) and no version is kept. */
export async function resealAll(d: Dexie, first?: () => Promise<unknown>, sealed = true): Promise<void> {
  const tables = [d.table('meta'), ...sealedStoreNames().map((t) => d.table(t))];
  await d.transaction('rw', tables, async () => {
    await first?.();
    // `meta` too: its session key (sync/api.ts) was written readable when no key was at hand.
    const meta = await d.table('meta').toArray();
    await d.table('meta').bulkPut(meta);
    for (const t of tables.slice(1)) {
      const rows = await t.toArray();
      if (!rows.length) continue;
      // Cleared first: attendance rows are stored under a new (tagged) key once sealed.
      await t.clear();
      await t.bulkPut(rows);
    }
    if (sealed) await d.table('meta').put({ key: 'sealed', value: { version: SEAL_VERSION } });
    else await d.table('meta').delete('sealed');
  });
}

/** Seals again what an older field list (or an older build, which sealed nothing without a PIN) left readable, once
 * the key is at hand: at start-up or an unlock. `via` is the handle to query with (Dexie's one for its ready event). */
export async function resealIfOutdated(d: Dexie, via: Dexie = d): Promise<void> {
  if (!keyState(d).cipher) return;
  const v = ((await via.table('meta').get('sealed'))?.value as { version?: unknown } | undefined)?.version;
  if (v !== SEAL_VERSION) await resealAll(via);
}

/** Tags every participant id of the phone once the key is at hand, so attendance rows open without decryption. */
export async function learnTags(d: Dexie, via: Dexie = d): Promise<void> {
  const s = keyState(d);
  if (!s.cipher) return;
  for (const id of await via.table('participants').toCollection().primaryKeys()) tagId(id, s);
}

/** No PIN: the data key comes from (or is made in) the plain key store, and every row is sealed from its first write. */
async function openDeviceKey(d: Dexie, s: KeyState): Promise<void> {
  const store = plainKeyStore();
  if (!store) return;
  const { fieldCipher, newDataKey } = await loadCrypto();
  const key = await plainKeyFor(d.name, store, newDataKey);
  s.cipher = await fieldCipher(key);
  key.fill(0);
  s.source = 'device';
  s.enabled = true;
}

/** Installs sealing on a database and learns from `meta` whether a PIN is set, before any other query runs. */
export function installSealing(d: Dexie): void {
  const s = keyState(d);
  d.use({
    stack: 'dbcore',
    name: 'Sealing',
    // Below Dexie's own layers (lowest is -1): hooks, live-query tracking and caches see plaintext, IndexedDB never does.
    level: -2,
    create: (down: DBCore): DBCore => ({
      ...down,
      table(name: string) {
        const t = down.table(name);
        const codec = codecFor(t);
        return codec ? sealedTable(t, codec, s) : t;
      },
    }),
  });
  d.on(
    'ready',
    async (vip) => {
      const pinSet = (await vip.table('meta').get('lock')) !== undefined;
      s.enabled = pinSet;
      if (pinSet) {
        // A PIN set while a crash came between wrapping the key and deleting its plain copy: delete it now.
        await plainKeyStore()?.delete(d.name);
        return;
      }
      await openDeviceKey(d, s);
      await resealIfOutdated(d, vip);
      await learnTags(d, vip);
    },
    true,
  );
}
