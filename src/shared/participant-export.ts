// The shape of a participant's AVG export (server builds it, the coördinator's screen reads it): stable, versioned JSON.

export const EXPORT_FORMAT = 'luisterkring.participant-export';
export const EXPORT_VERSION = 1;

type Values = Record<string, unknown>;
type Hlcs = Record<string, string>;

/** One stored record as exported: its values with, per field, the HLC of its last write and the server version. */
export interface ExportedRecord {
  id: string;
  groupId: string | null;
  values: Values;
  hlcs: Hlcs;
  version: number;
}

export interface ExportedAttendance extends ExportedRecord {
  /** The round this row is about, as far as the server knows it (null when the round itself is gone). */
  round: { id: string; date: string | null; status: string | null; locationId: string | null; locationName: string | null } | null;
}

/** A record of the participant's group whose free text names them: the schema does not link notes, stories or
 * round texts to a person, so the coördinator gets these to review by hand. */
export interface Mention {
  table: 'notes' | 'stories' | 'rounds' | 'evaluations';
  id: string;
  /** The round's date (notes, rounds, evaluations) or the story's date. */
  date: string | null;
  /** The record's non-empty free-text fields; at least one names the participant. */
  fields: Record<string, string>;
  hlcs: Hlcs;
}

export interface ParticipantExport {
  format: typeof EXPORT_FORMAT;
  version: typeof EXPORT_VERSION;
  exportedAt: string;
  participant: ExportedRecord;
  group: { id: string; name: string | null; locationId: string | null; locationName: string | null; wijk: string | null } | null;
  /** Attendance rows in round date order. */
  attendance: ExportedAttendance[];
  /** The same person's records in other groups (linked by personId). */
  linked: { id: string; groupId: string | null; groupName: string | null; name: string | null }[];
  mentions: Mention[];
}
