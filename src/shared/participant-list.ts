// A pasted list of participants (one a line, an optional first visit), checked line by line before anything is stored.
import * as z from 'zod/mini';
import { IsoDate, TableFields } from './schema';

export interface ListedParticipant {
  line: number;
  name: string;
  /** ISO date of the first visit; null when the line gave none (then they came before, on an unknown day). */
  firstVisit: string | null;
}

export interface LineError {
  line: number;
  message: string;
}

export type ParsedList = { ok: true; participants: ListedParticipant[] } | { ok: false; errors: LineError[] };

/** A date at the end of the line: ISO (2021-03-04) or Dutch day-month-year (4-3-2021, 04/03/2021, 4.3.2021). */
const TRAILING_DATE = /^(.*?)\s+(\d{4}-\d{2}-\d{2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{4})$/;
const DUTCH_DATE = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/;

const Line = z.object({ name: TableFields.participants.shape.name, firstVisit: z.nullable(IsoDate) });

function isoOf(date: string): string {
  const m = DUTCH_DATE.exec(date);
  return m ? `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}` : date;
}

/** `today`: no first visit may lie after it. `taken`: names already in the group (compared without case). */
export function parseParticipantList(text: string, opts: { today: string; taken?: readonly string[] }): ParsedList {
  const errors: LineError[] = [];
  const participants: ListedParticipant[] = [];
  const seen = new Map((opts.taken ?? []).map((n) => [n.trim().toLocaleLowerCase('nl'), 0]));
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = i + 1;
    const trimmed = raw.trim();
    if (!trimmed) return;
    const m = TRAILING_DATE.exec(trimmed);
    const parsed = Line.safeParse({ name: m ? m[1] : trimmed, firstVisit: m ? isoOf(m[2]) : null });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      errors.push({ line, message: issue.path[0] === 'firstVisit' ? `Ongeldige datum “${m![2]}”: schrijf 2021-03-04 of 4-3-2021` : issue.message });
      return;
    }
    const { name, firstVisit } = parsed.data;
    if (firstVisit && firstVisit > opts.today) {
      errors.push({ line, message: `De eerste keer (${firstVisit}) ligt in de toekomst` });
      return;
    }
    const key = name.toLocaleLowerCase('nl');
    const before = seen.get(key);
    if (before !== undefined) {
      errors.push({ line, message: before === 0 ? `${name} staat al in deze groep` : `${name} staat al op regel ${before}` });
      return;
    }
    seen.set(key, line);
    participants.push({ line, name, firstVisit });
  });
  if (errors.length) return { ok: false, errors };
  if (participants.length === 0) return { ok: false, errors: [{ line: 0, message: 'Vul minstens één naam in' }] };
  return { ok: true, participants };
}
