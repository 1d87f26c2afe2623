// The coördinator's management area (#/beheer): a menu of sections, and the section screens under #/beheer/<section>.
import { useT } from '../i18n';
import { Locations } from './Locations';
import { Groups } from './Groups';
import { Categories } from './Categories';
import { Participants } from './Participants';
import { Agenda } from './Agenda';
import { Stories } from './Stories';
import { Audit } from './Audit';
import { useCanManage } from '../role';
import './admin.css';

const dict = {
  nl: {
    title: 'Beheer',
    intro: 'Voor coördinatoren: locaties, groepen, lijsten en de agenda. Werkt ook zonder verbinding; wijzigingen gaan mee met de volgende synchronisatie.',
    locaties: 'Locaties',
    locatiesHint: 'Buurthuizen en buurtkamers per wijk',
    groepen: 'Groepen',
    groepenHint: 'Ritme, stappenplan en begeleiders',
    categorieen: 'Lijsten',
    categorieenHint: "Thema's, copingstrategieën en werkvormen",
    deelnemers: 'Deelnemers',
    deelnemersHint: 'Status, hoe ze de groep vonden, koppelen',
    agenda: 'Agenda',
    agendaHint: 'Rondes inplannen, verzetten of annuleren',
    verhalen: 'Verhalen',
    verhalenHint: 'Ervaringen voor het jaarverslag, met toestemming',
    logboek: 'Logboek',
    logboekHint: 'Wie deed wat en wanneer; alleen met verbinding',
    back: 'Terug naar beheer',
    unknown: 'Dit onderdeel bestaat niet.',
    backup: 'Back-up van een telefoon importeren',
    begeleiderIntro: 'Je bent ingelogd als begeleider: deelnemers, agenda en verhalen van je eigen groepen. Locaties, groepen, lijsten en instellingen beheert de coördinator.',
    coordinatorOnly: 'Dit onderdeel is alleen voor coördinatoren. Vraag de coördinator om een wijziging.',
  },
  en: {
    title: 'Management',
    intro: 'For coordinators: locations, groups, lists and the agenda. Works offline too; changes go along with the next sync.',
    locaties: 'Locations',
    locatiesHint: 'Community centres per neighbourhood',
    groepen: 'Groups',
    groepenHint: 'Rhythm, step plan and facilitators',
    categorieen: 'Lists',
    categorieenHint: 'Themes, coping strategies and warm-ups',
    deelnemers: 'Participants',
    deelnemersHint: 'Status, how they found the group, linking',
    agenda: 'Agenda',
    agendaHint: 'Plan, move or cancel rounds',
    verhalen: 'Stories',
    verhalenHint: 'Experiences for the annual report, with consent',
    logboek: 'Audit log',
    logboekHint: 'Who did what and when; online only',
    back: 'Back to management',
    unknown: 'This section does not exist.',
    backup: "Import a phone's backup",
    begeleiderIntro: 'You are logged in as a facilitator: participants, agenda and stories of your own groups. Locations, groups, lists and settings are managed by the coordinator.',
    coordinatorOnly: 'This section is for coordinators only. Ask the coordinator for a change.',
  },
};

export const SECTIONS = ['locaties', 'groepen', 'categorieen', 'deelnemers', 'agenda', 'verhalen', 'logboek'] as const;
export type Section = (typeof SECTIONS)[number];
/** Coördinator data (or, for the log, coördinator eyes only): a begeleider's change would be refused by the server. */
const COORDINATOR_SECTIONS: readonly Section[] = ['locaties', 'groepen', 'categorieen', 'logboek'];

export function AdminHome(props: { section?: string; id?: string }) {
  const t = useT(dict);
  const manage = useCanManage();
  if (!props.section) {
    return (
      <section class="admin">
        <h1>{t('title')}</h1>
        <p class="muted">{manage ? t('intro') : t('begeleiderIntro')}</p>
        <nav aria-label={t('title')}>
          <ul class="admin-menu">
            {SECTIONS.filter((s) => manage || !COORDINATOR_SECTIONS.includes(s)).map((s) => (
              <li key={s}>
                <a class="card admin-menu-item" href={`#/beheer/${s}`}>
                  <strong>{t(s)}</strong>
                  <span class="muted">{t(`${s}Hint`)}</span>
                </a>
              </li>
            ))}
          </ul>
        </nav>
        {manage && (
          <p>
            <a class="btn" href="#/sync/import">
              {t('backup')}
            </a>
          </p>
        )}
      </section>
    );
  }
  return (
    <section class="admin">
      <a class="admin-back" href="#/beheer">
        ← {t('back')}
      </a>
      {!manage && (COORDINATOR_SECTIONS as readonly string[]).includes(props.section) ? (
        <>
          <h1>{t(props.section as Section)}</h1>
          <p role="note">{t('coordinatorOnly')}</p>
        </>
      ) : (
        <SectionScreen section={props.section} id={props.id} unknown={t('unknown')} />
      )}
    </section>
  );
}

function SectionScreen(props: { section: string; id?: string; unknown: string }) {
  switch (props.section) {
    case 'locaties':
      return <Locations />;
    case 'groepen':
      return <Groups id={props.id} />;
    case 'categorieen':
      return <Categories />;
    case 'deelnemers':
      return <Participants groupId={props.id} />;
    case 'agenda':
      return <Agenda groupId={props.id} />;
    case 'verhalen':
      return <Stories />;
    case 'logboek':
      return <Audit />;
    default:
      return <p>{props.unknown}</p>;
  }
}
