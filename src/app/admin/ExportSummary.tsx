// A participant's AVG export as a readable, printable page: what the organisation holds about them, in plain words.
import { useContext } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import type { ParticipantExport } from '../../shared/participant-export';
import { formatDay, foundViaNames, statusNames } from './labels';
import './privacy.css';

const dict = {
  nl: {
    title: 'Gegevens van {name}',
    exported: 'Overzicht van {date}. Het volledige bestand (JSON) is gedownload.',
    name: 'Voornaam of alias',
    group: 'Groep',
    firstVisit: 'Eerste keer',
    status: 'Status',
    foundVia: 'Hoe gevonden',
    consent: 'Datum toestemming',
    none: 'geen',
    unknown: 'onbekend',
    rounds: 'Aanwezig bij {n} rondes',
    absent: 'Afgemeld of afwezig bij {n} rondes',
    linked: 'Dezelfde persoon in andere groepen',
    stories: 'Verhalen waarin de naam voorkomt',
    mentions: 'Notities en rondeteksten waarin de naam voorkomt',
    mentionsHint: 'Gevonden door op de naam te zoeken: controleer of het echt over deze persoon gaat.',
    notes: 'Notitie',
    rounds_t: 'Ronde',
    evaluations: 'Evaluatie',
    print: 'Afdrukken',
    close: 'Sluiten',
  },
  en: {
    title: 'Data held about {name}',
    exported: 'Overview of {date}. The full file (JSON) has been downloaded.',
    name: 'First name or alias',
    group: 'Group',
    firstVisit: 'First visit',
    status: 'Status',
    foundVia: 'Found via',
    consent: 'Consent date',
    none: 'none',
    unknown: 'unknown',
    rounds: 'Present at {n} rounds',
    absent: 'Absent at {n} rounds',
    linked: 'The same person in other groups',
    stories: 'Stories that contain the name',
    mentions: 'Notes and round texts that contain the name',
    mentionsHint: 'Found by searching for the name: check that they really are about this person.',
    notes: 'Note',
    rounds_t: 'Round',
    evaluations: 'Evaluation',
    print: 'Print',
    close: 'Close',
  },
};

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

export function ExportSummary(props: { data: ParticipantExport; onClose: () => void }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const x = props.data;
  const v = x.participant.values;
  const name = str(v.name) ?? x.participant.id;
  const day = (iso: string | null | undefined) => (iso ? formatDay(iso, locale) : t('unknown'));
  // Counted like the participants list: a planned or cancelled round was not attended, whatever was tapped.
  const present = x.attendance.filter((a) => a.values.present === true && a.round?.status !== 'gepland' && a.round?.status !== 'geannuleerd');
  const absent = x.attendance.length - present.length;
  const firstVisit = str(v.firstVisit) ?? present.map((a) => a.round?.date).find((d): d is string => !!d) ?? null;
  const status = str(v.status);
  const foundVia = str(v.foundVia);
  const stories = x.mentions.filter((m) => m.table === 'stories');
  const others = x.mentions.filter((m) => m.table !== 'stories');
  const kind = { notes: t('notes'), rounds: t('rounds_t'), evaluations: t('evaluations'), stories: '' };
  const group = x.group ? [x.group.name, x.group.locationName].filter(Boolean).join(' · ') : t('unknown');
  return (
    <section class="export-summary card stack" aria-labelledby="export-title">
      <h2 id="export-title">{t('title', { name })}</h2>
      <p class="muted">{t('exported', { date: new Date(x.exportedAt).toLocaleString(locale === 'nl' ? 'nl-NL' : 'en-GB') })}</p>
      <dl class="export-facts">
        <dt>{t('name')}</dt>
        <dd>{name}</dd>
        <dt>{t('group')}</dt>
        <dd>{group}</dd>
        <dt>{t('firstVisit')}</dt>
        <dd>{day(firstVisit)}</dd>
        <dt>{t('status')}</dt>
        <dd>{status ? (statusNames[locale][status as keyof (typeof statusNames)['nl']] ?? status) : t('unknown')}</dd>
        <dt>{t('foundVia')}</dt>
        <dd>{foundVia ? (foundViaNames[locale][foundVia as keyof (typeof foundViaNames)['nl']] ?? foundVia) : t('unknown')}</dd>
        <dt>{t('consent')}</dt>
        <dd>{str(v.consentDate) ? day(str(v.consentDate)) : t('none')}</dd>
      </dl>
      <h3>{t('rounds', { n: present.length })}</h3>
      {present.length > 0 && (
        <ul class="export-dates">
          {present.map((a) => (
            <li key={a.id}>
              {day(a.round?.date)}
              {a.round?.locationName ? ` · ${a.round.locationName}` : ''}
            </li>
          ))}
        </ul>
      )}
      {absent > 0 && <p class="muted">{t('absent', { n: absent })}</p>}
      {x.linked.length > 0 && (
        <>
          <h3>{t('linked')}</h3>
          <ul>
            {x.linked.map((l) => (
              <li key={l.id}>
                {l.name ?? l.id} ({l.groupName ?? l.groupId ?? t('unknown')})
              </li>
            ))}
          </ul>
        </>
      )}
      <h3>{t('stories')}</h3>
      {stories.length === 0 ? (
        <p class="muted">{t('none')}</p>
      ) : (
        <ul class="stack">
          {stories.map((s) => (
            <li key={s.id}>
              {day(s.date)}: {Object.values(s.fields).join(' — ')}
            </li>
          ))}
        </ul>
      )}
      {others.length > 0 && (
        <>
          <h3>{t('mentions')}</h3>
          <p class="muted">{t('mentionsHint')}</p>
          <ul class="stack">
            {others.map((m) => (
              <li key={`${m.table}/${m.id}`}>
                {kind[m.table]} {day(m.date)}: {Object.values(m.fields).join(' — ')}
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="row export-actions">
        <button type="button" class="primary" onClick={() => window.print()}>
          {t('print')}
        </button>
        <button type="button" onClick={props.onClose}>
          {t('close')}
        </button>
      </div>
    </section>
  );
}
