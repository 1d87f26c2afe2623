// The IBT round: its steps, the default time plan, the group rules and the category lists.

export const ROUND_STEPS = ['opening', 'verhaalkeuze', 'verdieping', 'verbreding', 'afsluiting'] as const;
export type RoundStep = (typeof ROUND_STEPS)[number];

/** The timer also plans the walk-in before and the wind-down after the five steps. */
export const TIMER_STEPS = ['inloop', ...ROUND_STEPS, 'uitloop'] as const;
export type TimerStep = (typeof TIMER_STEPS)[number];

export type StepPlan = Record<TimerStep, number>;

export const DEFAULT_PLAN: StepPlan = {
  inloop: 15,
  opening: 20,
  verhaalkeuze: 25,
  verdieping: 30,
  verbreding: 30,
  afsluiting: 15,
  uitloop: 15,
};

export const RULES = ['luisteren', 'ik', 'kort', 'oordeel', 'advies', 'lied'] as const;
export type Rule = (typeof RULES)[number];

export const FOUND_VIA = [
  'begeleider',
  'deelnemer',
  'buurtverbinder',
  'professional',
  'flyer',
  'sociale-media',
  'website',
  'anders',
  'onbekend',
] as const;
export type FoundVia = (typeof FOUND_VIA)[number];

export const PARTICIPANT_STATUS = ['actief', 'afgerond', 'gestopt'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUS)[number];

export const ROUND_STATUS = ['gepland', 'bezig', 'afgerond', 'geannuleerd'] as const;
export type RoundStatus = (typeof ROUND_STATUS)[number];

export const AGE_BANDS = ['<25', '25-39', '40-54', '55-66', '67+'] as const;
export const GENDERS = ['vrouw', 'man', 'anders', 'onbekend'] as const;
export const RHYTHMS = ['wekelijks', 'tweewekelijks', 'maandelijks', 'anders'] as const;

/** Theme and strategy categories from TCI research; coördinators may extend the list (categories table). */
export const DEFAULT_THEMES = [
  'familie',
  'stress',
  'geld',
  'werk',
  'gezondheid',
  'eenzaamheid',
  'verlies',
  'wonen',
  'kinderen',
  'discriminatie',
  'verslaving',
  'geweld',
  'migratie',
  'anders',
] as const;

export const DEFAULT_STRATEGIES = [
  'praten',
  'hulp-vragen',
  'geloof',
  'beweging',
  'creativiteit',
  'afleiding',
  'humor',
  'acceptatie',
  'anders',
] as const;

export const DEFAULT_WERKVORMEN = ['naam-en-gebaar', 'blij-nieuws', 'voorwerp', 'lied', 'balansdans'] as const;
