// What the phone's start-up needs to know about records without loading zod: the table names, limits shown in
// forms, and the validation error. The schemas themselves are in schema.ts, which screens load when they validate.

/** Every synced table, in the order of `TableFields` in schema.ts (which checks that both list the same tables). */
const TABLE_LIST = [
  'locations',
  'groups',
  'participants',
  'rounds',
  'stepTimings',
  'attendance',
  'notes',
  'evaluations',
  'stories',
  'categories',
  'settings',
] as const;

export type TableName = (typeof TABLE_LIST)[number];
export const TABLES: TableName[] = [...TABLE_LIST];

/** Tables without a group: written by coördinators, read by everyone logged in. */
export const ORG_TABLES: readonly TableName[] = ['locations', 'categories', 'settings'];

export const NOTE_MAX = 1000;

export class ValidationError extends Error {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[],
  ) {
    super(message);
    this.name = 'ValidationError';
  }
}
