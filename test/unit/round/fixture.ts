// Shared set-up for the round-flow tests: a fresh database with a group, its history and today's round.
import { LkDb, db, useDb } from '../../../src/data/db';
import { addParticipant, createGroup, createLocation, endRound, setPresent, startRound } from '../../../src/data/actions';
import type { Group, Round } from '../../../src/shared/schema';

let n = 0;
export function freshDb(name: string): void {
  useDb(new LkDb(`${name}-${++n}-${Date.now()}`));
}

export async function makeGroup(): Promise<Group> {
  const locationId = await createLocation({ name: 'Buurthuis De Linde', wijk: 'Oost', address: '' });
  const id = await createGroup({ name: 'Dinsdaggroep', locationId, rhythm: 'tweewekelijks' });
  return (await db().table('groups').get(id)) as Group;
}

export async function getRound(id: string): Promise<Round> {
  return (await db().table('rounds').get(id)) as Round;
}

/** A finished earlier round on `date` where the named participants (created if new) were present. */
export async function pastRound(group: Group, date: string, names: string[], ids: Map<string, string>): Promise<void> {
  const r = await getRound(await startRound(group, { date }));
  for (const name of names) {
    const known = ids.get(name);
    if (known) await setPresent(r, known, true);
    else ids.set(name, await addParticipant(r, { name, foundVia: 'begeleider' }));
  }
  await endRound(r);
}

export async function todaysRound(group: Group, date = '2026-11-23', now = Date.now()): Promise<Round> {
  return getRound(await startRound(group, { date, now }));
}

export const tick = (ms = 0) => new Promise((r) => setTimeout(r, ms));
