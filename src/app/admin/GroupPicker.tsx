// Picks the group a per-group section (participants, agenda) works on.
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import type { Group } from '../../shared/schema';
import { useT } from '../i18n';
import { alive } from './data';

const dict = {
  nl: { none: 'Nog geen groepen. Maak eerst een groep aan.', toGroups: 'Naar groepen', paused: 'gepauzeerd' },
  en: { none: 'No groups yet. Create a group first.', toGroups: 'To groups', paused: 'paused' },
};

export function useGroups(): Group[] | undefined {
  return useLive(
    async () =>
      alive((await db().table('groups').toArray()) as Group[])
        .filter((g) => typeof g.name === 'string')
        .sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name, 'nl')),
    [],
  );
}

export function GroupPicker(props: { section: string; title: string }) {
  const t = useT(dict);
  const groups = useGroups();
  if (!groups) return null;
  return (
    <>
      <h1>{props.title}</h1>
      {groups.length === 0 && (
        <p>
          {t('none')} <a href="#/beheer/groepen">{t('toGroups')}</a>
        </p>
      )}
      <ul class="admin-list">
        {groups.map((g) => (
          <li key={g.id}>
            <a class="card admin-menu-item" href={`#/beheer/${props.section}/${encodeURIComponent(g.id)}`}>
              <strong>{g.name}</strong>
              {!g.active && <span class="muted">{t('paused')}</span>}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
