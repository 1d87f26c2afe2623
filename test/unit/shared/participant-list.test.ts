// The coördinator's pasted participant list: one name a line, an optional first visit (ISO or Dutch), errors per line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseParticipantList } from '../../../src/shared/participant-list';

const TODAY = '2026-12-04';

test('names with and without a first visit, ISO and Dutch dates, blank lines skipped', () => {
  const r = parseParticipantList('Fatima 2021-03-04\n\n  Bas 4-3-2021 \nChantal\nDirk van Dam 04/11/2019\nEsra 1.2.2020', { today: TODAY });
  assert.equal(r, {
    ok: true,
    participants: [
      { line: 1, name: 'Fatima', firstVisit: '2021-03-04' },
      { line: 3, name: 'Bas', firstVisit: '2021-03-04' },
      { line: 4, name: 'Chantal', firstVisit: null },
      { line: 5, name: 'Dirk van Dam', firstVisit: '2019-11-04' },
      { line: 6, name: 'Esra', firstVisit: '2020-02-01' },
    ],
  });
});

test('every wrong line gets its own Dutch error: bad date, future date, too long a name, a double, a name already in the group', () => {
  const r = parseParticipantList(['Anna 31-2-2021', 'Bo 2027-01-01', 'X'.repeat(41), 'Cas', 'cas 2020-01-01', 'Gerrit', 'Fine'].join('\n'), { today: TODAY, taken: ['Gerrit'] });
  assert.equal(r, {
    ok: false,
    errors: [
      { line: 1, message: 'Ongeldige datum “31-2-2021”: schrijf 2021-03-04 of 4-3-2021' },
      { line: 2, message: 'De eerste keer (2027-01-01) ligt in de toekomst' },
      { line: 3, message: 'Voornaam of alias mag hoogstens 40 tekens zijn' },
      { line: 5, message: 'cas staat al op regel 4' },
      { line: 6, message: 'Gerrit staat al in deze groep' },
    ],
  });
});

test('an empty list is refused', () => {
  assert.equal(parseParticipantList(' \n \n', { today: TODAY }), { ok: false, errors: [{ line: 0, message: 'Vul minstens één naam in' }] });
});

test.run();
