// Reads everything the report maths needs from the phone's database: the report screen and its phone benchmark share it.
import type { ReportInput } from '../shared/report';
import { db } from './db';

export async function loadReportInput(): Promise<ReportInput> {
  const d = db();
  const [locations, groups, participants, rounds, attendance, evaluations, stories, categories] = await Promise.all([
    d.table('locations').toArray(),
    d.table('groups').toArray(),
    d.table('participants').toArray(),
    d.table('rounds').toArray(),
    d.table('attendance').toArray(),
    d.table('evaluations').toArray(),
    d.table('stories').toArray(),
    d.table('categories').toArray(),
  ]);
  return { locations, groups, participants, rounds, attendance, evaluations, stories, categories };
}
