import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseFields, parseValues, SyncRequestSchema, TableFields, ValidationError } from '../../../src/shared/schema';
import * as records from '../../../src/shared/records';
import { DEFAULT_PLAN } from '../../../src/shared/method';

test('a participant holds a first name or alias, never unknown personal fields', () => {
  assert.throws(() => parseValues('participants', { name: 'Ans', address: 'Dorpsstraat 1' }), /Onbekend veld: address/);
  assert.throws(() => parseValues('participants', { diagnosis: 'x' }), /Onbekend veld/);
  assert.equal(parseValues('participants', { name: '  Ans ' }), { name: 'Ans' });
});

test('messages are in Dutch and name the field', () => {
  try {
    parseFields('locations', { name: '', wijk: 'Noord' });
    assert.unreachable();
  } catch (e) {
    assert.instance(e, ValidationError);
    assert.equal((e as ValidationError).issues[0], { path: 'name', message: 'Naam mag niet leeg zijn' });
  }
});

test('a story without consent cannot be stored', () => {
  const story = { pseudonym: 'Zon', age: null, quote: 'Ik voel me gehoord.', themes: ['eenzaamheid'], date: '2026-03-01' };
  assert.throws(() => parseFields('stories', { ...story, consent: false }), /toestemming/);
  assert.ok(parseFields('stories', { ...story, consent: true }));
});

test('evaluation scores are 1 to 5 and the step plan is whole minutes', () => {
  assert.throws(() => parseValues('evaluations', { atmosphere: 6 }), /Kies 1 tot 5/);
  assert.throws(() => parseValues('groups', { plan: { ...DEFAULT_PLAN, opening: 2.5 } }));
  assert.ok(parseValues('groups', { plan: DEFAULT_PLAN }));
});

test('a sync request with an unknown table or a bad id is refused', () => {
  const base = { deviceId: 'd1', cursor: '0', changes: [] as unknown[] };
  assert.ok(SyncRequestSchema.safeParse(base).success);
  const change = { mid: 1, table: 'rounds', id: 'r1', groupId: 'g1', values: {}, hlc: '000001700000000:000000:d1' };
  assert.ok(SyncRequestSchema.safeParse({ ...base, changes: [change] }).success);
  assert.not.ok(SyncRequestSchema.safeParse({ ...base, changes: [{ ...change, table: 'users' }] }).success);
  assert.not.ok(SyncRequestSchema.safeParse({ ...base, changes: [{ ...change, id: '../etc' }] }).success);
  assert.not.ok(SyncRequestSchema.safeParse({ ...base, cursor: '-1' }).success);
});

test('the zod-free table list in records.ts names the schemas\' tables in their order, with the same error class', () => {
  assert.equal(records.TABLES, Object.keys(TableFields));
  assert.is(records.ValidationError, ValidationError);
  assert.throws(() => parseFields('notes', {}), (e: unknown) => e instanceof records.ValidationError);
});

test.run();
