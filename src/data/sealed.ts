// Encryption at rest: a Dexie middleware that seals the personal free text of each row on write and opens it on read.
import type Dexie from 'dexie';
import type { DBCore, DBCoreCursor, DBCoreMutateRequest, DBCoreTable } from 'dexie';
import type { FieldCipher } from './crypto';

/** Fields that name or quote people. Ids, dates, categories and everything indexed stay readable, so queries and
 * sync bookkeeping work without the key; rounds' begeleider names are staff, not participants, and stay too. */
export const SEALED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  participants: ['name', 'gender', 'ageBand'],
  notes: ['text', 'author'],
  stories: ['pseudonym', 'quote', 'age'],
  rounds: ['mote', 'strategiesNote', 'closingWords'],
  evaluations: ['wentWell', 'improve', 'support'],
};

/** Where a row keeps its sealed fields: IV + AES-GCM ciphertext + tag, as bytes. */
export const SEAL = '_e';

export class LockedError extends Error {
  constructor() {
    super('De app is vergrendeld. Ontgrendel met je pincode om op te slaan.');
    this.name = 'LockedError';
  }
}

/** Per database: whether a PIN is set, and the open cipher while unlocked. The cipher never leaves memory. */
export interface KeyState {
  enabled: boolean;
  cipher: FieldCipher | null;
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

/** True when sealed rows can be read: no PIN, or unlocked. Reads `meta` afresh, so a service worker that opened
 * the database before a PIN was set is not fooled; sync must not send a locked outbox. */
export async function canReadSealed(d: Dexie): Promise<boolean> {
  const s = keyState(d);
  s.enabled = (await d.table('meta').get('lock')) !== undefined;
  return !s.enabled || s.cipher !== null;
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
}

/** How each store seals. The outbox and the refusals carry the same text in `values`, so they are sealed as well;
 * a quarantined row may be anything, so all of it is. The key binds the ciphertext to its row (AAD). */
function codecFor(table: DBCoreTable): Codec | null {
  const name = table.name;
  const pk = table.schema.primaryKey;
  const aad = (obj: Row) => (pk.autoIncrement || typeof pk.keyPath !== 'string' ? name : `${name}:${String(obj[pk.keyPath])}`);
  const fields = SEALED_FIELDS[name];
  if (fields) return { seal: (o, s) => sealFields(o, fields, aad(o), s), open: (o, s) => openFields(o, aad(o), s) };
  if (name === 'outbox' || name === 'rejected') {
    const inValues = (o: Row, fn: (values: Row, f: readonly string[]) => Row) => {
      const f = SEALED_FIELDS[String(o.table)];
      const values = o.values as Row | undefined;
      if (!f || !values || typeof values !== 'object') return o;
      const next = fn(values, f);
      return next === values ? o : { ...o, values: next };
    };
    return {
      seal: (o, s) => inValues(o, (v, f) => sealFields(v, f, aad(o), s)),
      open: (o, s) => inValues(o, (v) => openFields(v, aad(o), s)),
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
  return {
    ...down,
    mutate(req: DBCoreMutateRequest) {
      if (req.type !== 'add' && req.type !== 'put') return down.mutate(req);
      let values: unknown[];
      try {
        values = req.values.map((v) => (v && typeof v === 'object' ? codec.seal(v as Row, s) : v));
      } catch (e) {
        return Promise.reject(e);
      }
      // A fresh request: the layers above (live queries' cache) keep the plaintext values they passed down.
      return down.mutate({ ...req, values });
    },
    get: (req) => down.get(req).then(open),
    getMany: (req) => down.getMany(req).then((rows) => rows.map(open)),
    query: (req) => down.query(req).then((res) => (req.values ? { ...res, result: res.result.map(open) } : res)),
    openCursor: (req) => down.openCursor(req).then((c) => (c && req.values ? openingCursor(c, open) : c)),
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
      s.enabled = (await vip.table('meta').get('lock')) !== undefined;
    },
    true,
  );
}
