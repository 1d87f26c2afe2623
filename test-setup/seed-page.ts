// Browser bundle for e2e set-up and the bench: the app's own data layer (validation, HLC, outbox) on window.lkSeed,
// so seeded records are exactly what the app itself would have written.
import { createGroup, createLocation, recordStep, startRound } from '../src/data/actions';
import { db } from '../src/data/db';
import { writeAll, type WriteOp } from '../src/data/write';
import { DEFAULT_PLAN, FOUND_VIA, type TimerStep } from '../src/shared/method';
import { attendanceId, randomId, roundId } from '../src/shared/ids';
import { demoOrganisation } from '../src/shared/demo';
import type { Group, Round } from '../src/shared/schema';

export interface SeedGroupInput {
  /** An existing group to add to; otherwise a location and group are created. */
  groupId?: string;
  names: string[];
  /** Past rounds, one every `everyDays`, ending before today, each with `present` participants. */
  pastRounds?: { years: number; everyDays: number; present: number };
}

export interface SeedGroupResult {
  groupId: string;
  participantIds: string[];
  rounds: number;
}

function isoDaysAgo(days: number): string {
  const d = new Date(Date.now() - days * 86_400_000);
  return d.toISOString().slice(0, 10);
}

async function seedGroup(input: SeedGroupInput): Promise<SeedGroupResult> {
  let groupId = input.groupId;
  let locationId: string | null = null;
  if (!groupId) {
    locationId = await createLocation({ name: 'Buurthuis De Linde', wijk: 'Oost', address: '' });
    groupId = await createGroup({ name: 'Luistergroep De Linde', locationId, rhythm: 'tweewekelijks' });
  }
  const ops: WriteOp[] = [];
  const participantIds = input.names.map((name, i) => {
    const id = `p${randomId()}`;
    ops.push({
      table: 'participants',
      id,
      groupId: groupId!,
      values: { name, firstVisit: isoDaysAgo(400 + i), foundVia: FOUND_VIA[i % FOUND_VIA.length], status: 'actief', gender: null, ageBand: null, consentDate: null, personId: null },
    });
    return id;
  });
  let rounds = 0;
  const past = input.pastRounds;
  if (past) {
    const count = Math.floor((past.years * 365) / past.everyDays);
    for (let r = count; r >= 1; r--) {
      const date = isoDaysAgo(r * past.everyDays);
      const id = roundId(groupId, date);
      const startedAt = Date.parse(`${date}T18:30:00Z`);
      ops.push({
        table: 'rounds',
        id,
        groupId,
        values: {
          date, locationId, begeleiders: [], status: 'afgerond', startedAt, endedAt: startedAt + 150 * 60_000, werkvorm: null,
          plan: DEFAULT_PLAN, themesRaised: {}, chosenTheme: null, mote: '', strategies: [], strategiesNote: '', closingWords: '',
        },
      });
      for (let k = 0; k < past.present; k++) {
        const pid = participantIds[(r * 7 + k) % participantIds.length];
        ops.push({ table: 'attendance', id: attendanceId(id, pid), groupId, values: { roundId: id, participantId: pid, present: true } });
      }
      rounds++;
    }
  }
  await writeAll(ops);
  return { groupId, participantIds, rounds };
}

/** Today's round of a group, started as the "Start de ronde van vandaag" button would. */
async function startTodaysRound(groupId: string): Promise<string> {
  const group = (await db().table('groups').get(groupId)) as Group | undefined;
  if (!group) throw new Error(`groep ${groupId} bestaat niet`);
  return startRound(group);
}

/** Timer events at chosen moments (a step started hours ago runs over its plan), as the timer's buttons record them. */
async function recordStepAt(roundId: string, events: { step: TimerStep; kind: 'start' | 'stop'; at: number }[]): Promise<void> {
  const round = (await db().table('rounds').get(roundId)) as Round | undefined;
  if (!round) throw new Error(`ronde ${roundId} bestaat niet`);
  await recordStep(round, events);
}


/** Every row of a store as the app reads it: sealed fields opened with the phone's key (absent while locked). */
async function rows(store: string): Promise<unknown[]> {
  return db().table(store).toArray();
}

/** The fictional demo organisation of `npm run demo-data` (one year), written as this phone's own changes. */
async function seedDemo(year: number): Promise<{ records: number; groupIds: string[] }> {
  const org = demoOrganisation(1, { year });
  await writeAll(org.records.map((r) => ({ table: r.table, id: r.id, groupId: r.groupId, values: r.values }) as WriteOp));
  return { records: org.records.length, groupIds: org.groups.map((g) => g.id) };
}

(globalThis as unknown as { lkSeed: unknown }).lkSeed = { seedGroup, startTodaysRound, recordStepAt, rows, seedDemo };
