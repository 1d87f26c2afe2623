// The report from the server (GET /api/report) for the seconds a device needs to read its own rows the first time:
// a coördinator online sees figures at once. Checked with zod like every answer; anything off and the screen waits
// for its own figures instead.
import * as z from 'zod/mini';
import type { Report, ReportFilter } from '../../shared/report';
import { apiRequest, type Transport } from '../../sync/api';

const num = z.number();
const str = z.string();
const CountSchema = z.object({ key: str, label: str, count: num });
const TallySchema = { held: num, cancelled: num, attendance: num, newcomers: num, hours: num };
const BreakdownSchema = z.object({ ...TallySchema, key: str, label: str, participants: num, averageAttendance: num });

export const ReportSchema = z.object({
  filter: z.object({ from: str, to: str, wijk: z.optional(z.nullable(str)), locationId: z.optional(z.nullable(str)), groupId: z.optional(z.nullable(str)) }),
  roundsHeld: num,
  roundsCancelled: num,
  uniqueParticipants: num,
  totalAttendance: num,
  averageAttendance: num,
  newcomers: num,
  newcomersPerRound: num,
  hoursOfAttention: num,
  byStatus: z.array(CountSchema),
  byFoundVia: z.array(CountSchema),
  themesChosen: z.array(CountSchema),
  themesRaised: z.array(CountSchema),
  strategies: z.array(CountSchema),
  evaluations: z.object({ count: num, atmosphere: z.nullable(num), safety: z.nullable(num) }),
  months: z.array(z.object({ ...TallySchema, month: str })),
  byWijk: z.array(BreakdownSchema),
  byLocation: z.array(BreakdownSchema),
  byGroup: z.array(BreakdownSchema),
  rounds: z.array(
    z.object({
      id: str,
      date: str,
      groupId: z.nullable(str),
      group: str,
      location: str,
      wijk: str,
      status: str,
      held: z.boolean(),
      present: num,
      newcomers: num,
      minutes: num,
      hours: num,
      chosenTheme: str,
    }),
  ),
  stories: z.array(z.object({ id: str, date: str, pseudonym: str, age: z.nullable(num), quote: str, themes: z.array(str), group: str })),
});

/** The server's figures for this filter, or null: offline, not a coördinator, a refusal, or an answer that does not
 * have the report's shape. Never throws: the device's own report follows regardless. */
export async function fetchServerReport(t: Transport, filter: ReportFilter, timeoutMs = 10_000): Promise<Report | null> {
  const q = new URLSearchParams({ from: filter.from, to: filter.to });
  if (filter.wijk) q.set('wijk', filter.wijk);
  if (filter.locationId) q.set('locationId', filter.locationId);
  if (filter.groupId) q.set('groupId', filter.groupId);
  try {
    const res = await apiRequest(t, `/api/report?${q}`, undefined, timeoutMs);
    if (!res.ok) return null;
    const parsed = ReportSchema.safeParse(await res.json());
    // No cast: the compiler checks that the schema's output is a Report, so the two cannot drift apart.
    const report: Report | null = parsed.success ? parsed.data : null;
    return report;
  } catch {
    return null;
  }
}
