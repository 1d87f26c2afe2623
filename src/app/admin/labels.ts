// Names, in both languages, of the fixed lists the coördinator screens show: default categories, statuses, rhythms.
import type { AGE_BANDS, FOUND_VIA, GENDERS, PARTICIPANT_STATUS, RHYTHMS, ROUND_STATUS } from '../../shared/method';
import { dateFormat, type Locale } from '../i18n';
import type { CategoryItem, CategoryKind } from './data';

type Names<K extends string> = { nl: Record<K, string>; en: Record<K, string> };

const categoryNames: Names<string> = {
  nl: {
    'theme.familie': 'Familie en relaties',
    'theme.stress': 'Stress en zorgen',
    'theme.geld': 'Geld en armoede',
    'theme.werk': 'Werk en inkomen',
    'theme.gezondheid': 'Gezondheid',
    'theme.eenzaamheid': 'Eenzaamheid',
    'theme.verlies': 'Verlies en rouw',
    'theme.wonen': 'Wonen en buren',
    'theme.kinderen': 'Kinderen en opvoeding',
    'theme.discriminatie': 'Discriminatie en uitsluiting',
    'theme.verslaving': 'Verslaving',
    'theme.geweld': 'Geweld',
    'theme.migratie': 'Migratie',
    'theme.anders': 'Anders',
    'strategy.praten': 'Erover praten',
    'strategy.hulp-vragen': 'Hulp vragen',
    'strategy.geloof': 'Geloof en zingeving',
    'strategy.beweging': 'Bewegen en sport',
    'strategy.creativiteit': 'Creativiteit',
    'strategy.afleiding': 'Afleiding zoeken',
    'strategy.humor': 'Humor',
    'strategy.acceptatie': 'Accepteren',
    'strategy.anders': 'Anders',
    'werkvorm.naam-en-gebaar': 'Naam en gebaar',
    'werkvorm.blij-nieuws': 'Blij nieuws',
    'werkvorm.voorwerp': 'Voorwerp meenemen',
    'werkvorm.lied': 'Lied',
    'werkvorm.balansdans': 'Balansdans',
  },
  en: {
    'theme.familie': 'Family and relationships',
    'theme.stress': 'Stress and worry',
    'theme.geld': 'Money and poverty',
    'theme.werk': 'Work and income',
    'theme.gezondheid': 'Health',
    'theme.eenzaamheid': 'Loneliness',
    'theme.verlies': 'Loss and grief',
    'theme.wonen': 'Housing and neighbours',
    'theme.kinderen': 'Children and parenting',
    'theme.discriminatie': 'Discrimination and exclusion',
    'theme.verslaving': 'Addiction',
    'theme.geweld': 'Violence',
    'theme.migratie': 'Migration',
    'theme.anders': 'Other',
    'strategy.praten': 'Talking about it',
    'strategy.hulp-vragen': 'Asking for help',
    'strategy.geloof': 'Faith and meaning',
    'strategy.beweging': 'Exercise and sport',
    'strategy.creativiteit': 'Creativity',
    'strategy.afleiding': 'Seeking distraction',
    'strategy.humor': 'Humour',
    'strategy.acceptatie': 'Acceptance',
    'strategy.anders': 'Other',
    'werkvorm.naam-en-gebaar': 'Name and gesture',
    'werkvorm.blij-nieuws': 'Happy news',
    'werkvorm.voorwerp': 'Bring an object',
    'werkvorm.lied': 'Song',
    'werkvorm.balansdans': 'Balance dance',
  },
};

/** A category as people read it: the coördinator's label if they set one, else the default's name in this locale. */
export function categoryLabel(kind: CategoryKind, item: Pick<CategoryItem, 'key' | 'label'>, locale: Locale): string {
  return item.label ?? categoryNames[locale][`${kind}.${item.key}`] ?? categoryNames.nl[`${kind}.${item.key}`] ?? item.key;
}

export const statusNames: Names<(typeof PARTICIPANT_STATUS)[number]> = {
  nl: { actief: 'Actief', afgerond: 'Afgerond', gestopt: 'Tijdelijk gestopt' },
  en: { actief: 'Active', afgerond: 'Completed', gestopt: 'Paused' },
};

export const foundViaNames: Names<(typeof FOUND_VIA)[number]> = {
  nl: {
    begeleider: 'Begeleider',
    deelnemer: 'Andere deelnemer',
    buurtverbinder: 'Buurtverbinder',
    professional: 'Sociaal werker of professional',
    flyer: 'Flyer of poster',
    'sociale-media': 'Sociale media',
    website: 'Website',
    anders: 'Anders',
    onbekend: 'Onbekend',
  },
  en: {
    begeleider: 'Facilitator',
    deelnemer: 'Another participant',
    buurtverbinder: 'Neighbourhood connector',
    professional: 'Social worker or professional',
    flyer: 'Flyer or poster',
    'sociale-media': 'Social media',
    website: 'Website',
    anders: 'Other',
    onbekend: 'Unknown',
  },
};

export const genderNames: Names<(typeof GENDERS)[number]> = {
  nl: { vrouw: 'Vrouw', man: 'Man', anders: 'Anders', onbekend: 'Wil ik niet zeggen' },
  en: { vrouw: 'Woman', man: 'Man', anders: 'Other', onbekend: 'Prefers not to say' },
};

export const ageBandNames: Names<(typeof AGE_BANDS)[number]> = {
  nl: { '<25': 'Jonger dan 25', '25-39': '25–39', '40-54': '40–54', '55-66': '55–66', '67+': '67 of ouder' },
  en: { '<25': 'Under 25', '25-39': '25–39', '40-54': '40–54', '55-66': '55–66', '67+': '67 or older' },
};

export const rhythmNames: Names<(typeof RHYTHMS)[number]> = {
  nl: { wekelijks: 'Wekelijks', tweewekelijks: 'Tweewekelijks', maandelijks: 'Maandelijks', anders: 'Anders (los gepland)' },
  en: { wekelijks: 'Weekly', tweewekelijks: 'Fortnightly', maandelijks: 'Monthly', anders: 'Other (planned one by one)' },
};

export const roundStatusNames: Names<(typeof ROUND_STATUS)[number]> = {
  nl: { gepland: 'Gepland', bezig: 'Bezig', afgerond: 'Afgerond', geannuleerd: 'Geannuleerd' },
  en: { gepland: 'Planned', bezig: 'Running', afgerond: 'Held', geannuleerd: 'Cancelled' },
};

export const weekdayNames: Names<'0' | '1' | '2' | '3' | '4' | '5' | '6'> = {
  nl: { 0: 'zondag', 1: 'maandag', 2: 'dinsdag', 3: 'woensdag', 4: 'donderdag', 5: 'vrijdag', 6: 'zaterdag' },
  en: { 0: 'Sunday', 1: 'Monday', 2: 'Tuesday', 3: 'Wednesday', 4: 'Thursday', 5: 'Friday', 6: 'Saturday' },
};

/** "ma 23 nov. 2026": a calendar day, never shifted by the phone's time zone. */
export function formatDay(iso: string, locale: Locale): string {
  const d = new Date(`${iso}T12:00:00Z`);
  if (Number.isNaN(d.getTime())) return iso;
  return dateFormat(locale, { weekday: 'short', day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(d);
}
