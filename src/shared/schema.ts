// The one source of every record's shape: zod/mini schemas used by the page, the service worker and the server.
import * as z from 'zod/mini';
import {
  AGE_BANDS,
  FOUND_VIA,
  GENDERS,
  PARTICIPANT_STATUS,
  RHYTHMS,
  ROUND_STATUS,
  ROUND_STEPS,
  TIMER_STEPS,
} from './method';
import { HLC_RE } from './hlc';
import { NOTE_MAX, TABLES, ValidationError, type TableName } from './records';

export { NOTE_MAX, ORG_TABLES, TABLES, ValidationError, type TableName } from './records';

export const ID_RE = /^[A-Za-z0-9_:.|-]{1,128}$/;
export const Id = z.string().check(z.regex(ID_RE, 'Ongeldige id'));
export const HlcSchema = z.string().check(z.regex(HLC_RE, 'Ongeldige HLC'));
export const IsoDate = z.iso.date('Datum moet JJJJ-MM-DD zijn');

const text = (min: number, max: number, what: string) =>
  z.string().check(
    z.trim(),
    z.minLength(min, min === 1 ? `${what} mag niet leeg zijn` : `${what} is te kort`),
    z.maxLength(max, `${what} mag hoogstens ${max} tekens zijn`),
  );
const minutes = z.int().check(z.gte(0), z.lte(240));
const score = z.int().check(z.gte(1, 'Kies 1 tot 5'), z.lte(5, 'Kies 1 tot 5'));
const millis = z.number().check(z.gte(0));
// Category keys become object keys (themesRaised) and report counters: a name every object inherits would read as a
// count that is not there.
const INHERITED_KEYS = new Set(['constructor', 'prototype']);
const category = z.string().check(
  z.regex(/^[a-z0-9-]{1,40}$/, 'Ongeldige categorie'),
  z.refine((k) => !INHERITED_KEYS.has(k), 'Ongeldige categorie: deze naam is gereserveerd'),
);

export const StepPlanSchema = z.object({
  inloop: minutes,
  opening: minutes,
  verhaalkeuze: minutes,
  verdieping: minutes,
  verbreding: minutes,
  afsluiting: minutes,
  uitloop: minutes,
});

/** Field schemas per synced table. Every field is optional in a change; forms check what they need. */
export const TableFields = {
  locations: z.object({
    name: text(1, 80, 'Naam'),
    wijk: text(1, 80, 'Wijk'),
    address: z.optional(text(0, 160, 'Adres')),
  }),
  groups: z.object({
    name: text(1, 80, 'Naam'),
    locationId: Id,
    rhythm: z.enum(RHYTHMS),
    plan: StepPlanSchema,
    begeleiders: z.array(Id).check(z.maxLength(20)),
    active: z.boolean(),
  }),
  participants: z.object({
    name: text(1, 40, 'Voornaam of alias'),
    firstVisit: z.nullable(IsoDate),
    /** Came before the app was in use, on a day nobody knows: never a newcomer. Optional, so old phones keep syncing. */
    cameBefore: z.optional(z.boolean()),
    foundVia: z.enum(FOUND_VIA),
    status: z.enum(PARTICIPANT_STATUS),
    gender: z.nullable(z.enum(GENDERS)),
    ageBand: z.nullable(z.enum(AGE_BANDS)),
    consentDate: z.nullable(IsoDate),
    personId: z.nullable(Id),
  }),
  rounds: z.object({
    date: IsoDate,
    locationId: z.nullable(Id),
    begeleiders: z.array(text(1, 40, 'Naam begeleider')).check(z.maxLength(6)),
    status: z.enum(ROUND_STATUS),
    startedAt: z.nullable(millis),
    endedAt: z.nullable(millis),
    /** The length the begeleider confirmed at the close (or the coördinator corrected); the report counts it.
     * Optional, so old phones keep syncing; without it the report measures startedAt → endedAt. */
    durationMin: z.optional(z.int('Vul een geheel aantal minuten in').check(z.gte(1, 'Minstens 1 minuut'), z.lte(600, 'Hoogstens 600 minuten'))),
    werkvorm: z.nullable(text(0, 80, 'Werkvorm')),
    plan: StepPlanSchema,
    themesRaised: z.record(category, z.int().check(z.gte(0), z.lte(99))),
    chosenTheme: z.nullable(category),
    mote: text(0, 300, 'Mote'),
    strategies: z.array(category).check(z.maxLength(20)),
    strategiesNote: text(0, 200, 'Toelichting strategieën'),
    closingWords: text(0, 500, 'Slotwoorden'),
    /** Why a begeleider cancelled the round (shown where rounds are listed). */
    cancelReason: z.optional(text(1, 200, 'Reden')),
    /** Why a closed or cancelled round was reopened; its HLC marks the reopen the status merge counts from. */
    reopenReason: z.optional(text(1, 200, 'Reden')),
  }),
  stepTimings: z.object({
    roundId: Id,
    step: z.enum(TIMER_STEPS),
    kind: z.enum(['start', 'stop']),
    at: millis,
    device: Id,
  }),
  attendance: z.object({
    roundId: Id,
    participantId: Id,
    present: z.boolean(),
  }),
  notes: z.object({
    roundId: Id,
    step: z.nullable(z.enum(ROUND_STEPS)),
    text: text(1, NOTE_MAX, 'Notitie'),
    author: text(0, 40, 'Auteur'),
    createdAt: millis,
    /** The account that wrote the note, when the phone knew it: that person may correct or remove it on any phone. */
    authorId: z.optional(Id),
  }),
  evaluations: z.object({
    roundId: Id,
    atmosphere: score,
    safety: score,
    wentWell: text(0, 500, 'Wat ging goed'),
    improve: text(0, 500, 'Wat kan beter'),
    support: text(0, 500, 'Steun nodig'),
  }),
  stories: z.object({
    pseudonym: text(1, 40, 'Pseudoniem'),
    age: z.nullable(z.int().check(z.gte(12), z.lte(120))),
    quote: text(1, 2000, 'Verhaal'),
    themes: z.array(category).check(z.maxLength(10)),
    consent: z.literal(true, 'Zonder toestemming wordt het verhaal niet bewaard'),
    date: IsoDate,
  }),
  categories: z.object({
    kind: z.enum(['theme', 'strategy', 'werkvorm']),
    key: category,
    label: text(1, 60, 'Naam'),
    active: z.boolean(),
  }),
  /** Organisation-wide choices of the coördinator; one record, id `org`. */
  settings: z.object({
    /** Notes (and the free text of rounds) older than this many months are removed from phones after a sync; 0 keeps them. */
    noteRetentionMonths: z.int('Vul een geheel aantal maanden in').check(z.gte(0, 'Kies 0 of meer maanden'), z.lte(120, 'Hoogstens 120 maanden')),
  }),
} as const;

// records.ts lists the tables for code that must not load zod; both lists must name the same tables.
type Unlisted = Exclude<keyof typeof TableFields, TableName> | Exclude<TableName, keyof typeof TableFields>;
const everyTableListed: [Unlisted] extends [never] ? true : Unlisted = true;
void everyTableListed;

export type Fields<T extends TableName> = z.infer<(typeof TableFields)[T]>;

/** Bookkeeping every stored record carries: per-field HLC of the last write, and the tombstone. */
export interface RecordMeta {
  id: string;
  groupId: string | null;
  _h: Record<string, string>;
  _d?: string;
}

export type StoredRecord<T extends TableName> = RecordMeta & Partial<Fields<T>>;
/** A record as screens use it once it has all its fields. */
export type Rec<T extends TableName> = RecordMeta & Fields<T>;

export type Location = Rec<'locations'>;
export type Group = Rec<'groups'>;
export type Participant = Rec<'participants'>;
export type Round = Rec<'rounds'>;
export type StepTiming = Rec<'stepTimings'>;
export type Attendance = Rec<'attendance'>;
export type Note = Rec<'notes'>;
export type Evaluation = Rec<'evaluations'>;
export type Story = Rec<'stories'>;
export type Category = Rec<'categories'>;

const partials = Object.fromEntries(TABLES.map((t) => [t, z.strictObject(z.partial(TableFields[t]).shape)])) as unknown as {
  [T in TableName]: z.ZodMiniType<Partial<Fields<T>>>;
};

function toError(error: z.core.$ZodError): ValidationError {
  const issues = error.issues.map((i) => ({
    path: i.path.map(String).join('.'),
    message: i.code === 'unrecognized_keys' ? `Onbekend veld: ${(i as { keys: string[] }).keys.join(', ')}` : i.message,
  }));
  return new ValidationError(issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; '), issues);
}

/** Validates the fields of one change to a table; returns the parsed (trimmed) values or throws ValidationError. */
export function parseValues<T extends TableName>(table: T, values: unknown): Partial<Fields<T>> {
  const r = partials[table].safeParse(values);
  if (!r.success) throw toError(r.error);
  return r.data;
}

/** Validates a complete record (forms, upgrade path); throws ValidationError. */
export function parseFields<T extends TableName>(table: T, values: unknown): Fields<T> {
  const r = TableFields[table].safeParse(values);
  if (!r.success) throw toError(r.error as z.core.$ZodError);
  return r.data as Fields<T>;
}

/** One local write as it travels to the server. `mid` increases per device. */
export const ChangeSchema = z.object({
  mid: z.int().check(z.gte(1)),
  table: z.enum(TABLES as [TableName, ...TableName[]]),
  id: Id,
  groupId: z.nullable(Id),
  values: z.record(z.string(), z.unknown()),
  hlc: HlcSchema,
  deleted: z.optional(z.boolean()),
});
export type Change = z.infer<typeof ChangeSchema>;

/** A record's whole state as the server sends it: values with their own HLCs, or a tombstone. */
export const RemoteRowSchema = z.object({
  table: z.enum(TABLES as [TableName, ...TableName[]]),
  id: Id,
  groupId: z.nullable(Id),
  values: z.record(z.string(), z.unknown()),
  hlcs: z.record(z.string(), HlcSchema),
  deleted: z.optional(HlcSchema),
});
export type RemoteRow = z.infer<typeof RemoteRowSchema>;

export const MAX_BATCH = 500;

export const SyncRequestSchema = z.object({
  deviceId: Id,
  cursor: z.string().check(z.regex(/^\d{1,19}$/, 'Ongeldige cursor')),
  changes: z.array(ChangeSchema).check(
    z.maxLength(MAX_BATCH, `Hoogstens ${MAX_BATCH} wijzigingen per keer`),
    // The acknowledged mid is the in-order prefix of a request; a phone sends its outbox in mid order.
    z.refine((cs) => cs.every((c, i) => i === 0 || c.mid > cs[i - 1].mid), 'De mids van de wijzigingen moeten oplopend zijn'),
  ),
});
export type SyncRequest = z.infer<typeof SyncRequestSchema>;

export const RejectedSchema = z.object({
  table: z.string(),
  id: z.string(),
  mid: z.int(),
  reason: z.string(),
  /** permanent: the server will never accept this change (erased, no rights); else retry later (skew). */
  permanent: z.boolean(),
  /** With a permanent refusal: the record as the server holds it, for the phone to roll back to; null when the
   * server holds none this user may see. Absent from older servers, whose refusals a phone leaves as they are. */
  current: z.optional(z.nullable(RemoteRowSchema)),
});
export type Rejected = z.infer<typeof RejectedSchema>;

export const SyncResponseSchema = z.object({
  cursor: z.string(),
  changes: z.array(RemoteRowSchema),
  more: z.boolean(),
  rejected: z.array(RejectedSchema),
  /** The highest mutation id the server has processed for this device. */
  ackedMid: z.int(),
  serverTime: z.number(),
  erased: z.optional(z.array(z.object({ table: z.string(), id: z.string() }))),
});
export type SyncResponse = z.infer<typeof SyncResponseSchema>;
