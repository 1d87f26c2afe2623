// A fictional organisation's year of Luistergroepen, generated from a seed: the demo server's data and a realistic test load.
import { planDates } from './agenda';
import { attendanceId, evaluationId, roundId } from './ids';
import { AGE_BANDS, DEFAULT_PLAN, DEFAULT_STRATEGIES, DEFAULT_THEMES, DEFAULT_WERKVORMEN, type FoundVia } from './method';
import type { Fields, TableName } from './schema';

export interface DemoRecord<T extends TableName = TableName> {
  table: T;
  id: string;
  groupId: string | null;
  values: Fields<T>;
}

export interface DemoGroup {
  id: string;
  /** Usernames of the begeleider accounts the demo creates for this group. */
  begeleiders: string[];
}

export interface DemoOrganisation {
  year: number;
  records: DemoRecord[];
  groups: DemoGroup[];
}

/** Small, fast and the same everywhere: the same seed gives the same organisation on every machine. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WIJKEN = [
  { wijk: 'Molenwijk', locations: [['Buurthuis De Linde', 'Lindeplein 3'], ['Buurtkamer De Wieken', 'Zeilstraat 41']] },
  { wijk: 'Havenkwartier', locations: [['Buurthuis Het Anker', 'Kadeweg 12'], ['Buurtkamer De Loods', 'Pakhuisstraat 7']] },
  { wijk: 'Bloemenbuurt', locations: [['Buurthuis De Zonnebloem', 'Irisstraat 88'], ['Buurtkamer Het Klaverblad', 'Madeliefhof 2']] },
] as const;

/** Eight groups over the six locations; two stopped partway through the year. Round counts add up to 130. */
const GROUPS = [
  { name: 'Dinsdaggroep De Linde', location: 0, rhythm: 'tweewekelijks', rounds: 25, start: '01-07', active: true },
  { name: 'Vrouwengroep De Wieken', location: 1, rhythm: 'tweewekelijks', rounds: 23, start: '01-16', active: true },
  { name: 'Luistergroep Het Anker', location: 2, rhythm: 'tweewekelijks', rounds: 23, start: '01-13', active: true },
  { name: 'Ochtendgroep De Loods', location: 3, rhythm: 'maandelijks', rounds: 11, start: '01-08', active: true },
  { name: 'Moedergroep De Zonnebloem', location: 4, rhythm: 'maandelijks', rounds: 11, start: '01-10', active: true },
  { name: 'Avondgroep Het Klaverblad', location: 5, rhythm: 'maandelijks', rounds: 10, start: '02-04', active: true },
  { name: 'Jongerengroep Het Anker', location: 2, rhythm: 'tweewekelijks', rounds: 15, start: '01-09', active: false },
  { name: 'Seniorengroep De Linde', location: 0, rhythm: 'wekelijks', rounds: 12, start: '03-05', active: false },
] as const;

const BEGELEIDERS = ['anouk', 'samira', 'ingrid', 'yusuf', 'marloes', 'gloria', 'hatice', 'pieter', 'naima', 'esther'];

/** Common first names in Dutch neighbourhoods; the people they stand for do not exist. */
const FIRST_NAMES = [
  'Fatima', 'Ans', 'Mirjam', 'Aisha', 'Gerda', 'Khadija', 'Linda', 'Sevda', 'Trudy', 'Nadia', 'Wilma', 'Yasmina', 'Petra',
  'Zeynep', 'Marion', 'Hanan', 'Joke', 'Esra', 'Ria', 'Saida', 'Annemiek', 'Latifa', 'Corrie', 'Meryem', 'Bep', 'Naima',
  'Sandra', 'Rachida', 'Tineke', 'Hülya', 'Ilse', 'Malika', 'Greet', 'Sanne', 'Soraya', 'Henny', 'Amina', 'Diana', 'Ebru',
  'Marja', 'Jamila', 'Els', 'Asha', 'Carla', 'Dewi', 'Ingrid', 'Lakshmi', 'Monique', 'Shirley', 'Astrid', 'Hatice', 'Kim',
  'Nicole', 'Rosita', 'Tamara', 'Yvonne', 'Anja', 'Farida', 'Lies', 'Mariska', 'Roya', 'Hawa', 'Ewa', 'Iris', 'Mohamed',
  'Jan', 'Ahmed', 'Henk', 'Mustafa', 'Kees', 'Hasan', 'Ruud', 'Rachid', 'Piet', 'Emre', 'Wim', 'Youssef', 'Gerrit', 'Sunil',
  'Ton', 'Karim', 'Joop', 'Abdel', 'Frank', 'Errol', 'Bas', 'Dirk', 'Omar', 'Marco', 'Tarik', 'Hans', 'Orlando', 'Ali',
  'Mehmet', 'Rob', 'Ibrahim', 'Johan', 'Dennis', 'Kofi', 'Stefan', 'Bilal', 'Theo', 'Gijs', 'Ricardo', 'Harry', 'Anil',
];

const FOUND_WEIGHTS: Record<FoundVia, number> = {
  begeleider: 15, deelnemer: 25, buurtverbinder: 14, professional: 20, flyer: 10, 'sociale-media': 5, website: 3, anders: 4, onbekend: 4,
};

const THEME_WEIGHTS: Record<(typeof DEFAULT_THEMES)[number], number> = {
  familie: 16, stress: 14, geld: 12, werk: 7, gezondheid: 11, eenzaamheid: 13, verlies: 8, wonen: 8, kinderen: 10,
  discriminatie: 5, verslaving: 2, geweld: 3, migratie: 6, anders: 2,
};

const MOTES = [
  'Wie kent het gevoel er alleen voor te staan?',
  'Wie heeft ook eens niet durven zeggen wat er echt speelde?',
  'Wat doe jij als de zorgen je ’s nachts wakker houden?',
  'Wie herkent het dat je je moet bewijzen?',
  'Hoe houd je moed als het geld op is voor het einde van de maand?',
  'Wie heeft ervaren dat iemand anders je kracht gaf?',
  'Wanneer voelde jij je voor het laatst echt thuis?',
  'Hoe ga jij om met verdriet dat niet overgaat?',
];

const CLOSING = [
  'Ik ben niet de enige.',
  'Vragen om hulp is geen zwakte.',
  'Even lachen met elkaar doet goed.',
  'Ik neem mee dat ik rust mag nemen.',
  'Mijn verhaal mocht er zijn.',
  'Ik ga mijn buurvrouw bellen.',
  'Kleine stapjes zijn ook stappen.',
];

const WENT_WELL = ['Iedereen kwam aan het woord.', 'Veel herkenning in de verbreding.', 'Warme sfeer, goed gelachen.', 'Nieuwe deelnemers voelden zich snel thuis.', 'De balansdans maakte de groep los.'];
const IMPROVE = ['', '', 'Verdieping liep uit; eerder afronden.', 'Meer ruimte voor stille deelnemers.', 'Tolk regelen voor de volgende keer.', 'Koffie eerder klaarzetten.'];
const SUPPORT = ['', '', '', 'Intervisie over een deelnemer met veel zorgen.', 'Meer flyers voor de buurtkamer.'];

const QUOTES: [string, (typeof DEFAULT_THEMES)[number][]][] = [
  ['Hier hoef ik niet sterk te zijn. Ik vertel en mensen luisteren, zonder dat iemand zegt wat ik moet doen.', ['stress', 'eenzaamheid']],
  ['Ik dacht dat alleen ik schulden had. Toen bleek dat de helft van de kring het kende.', ['geld']],
  ['Na de dood van mijn man zat ik alleen thuis. Nu heb ik elke twee weken een plek waar ik welkom ben.', ['verlies', 'eenzaamheid']],
  ['Door de verhalen van de anderen durf ik mijn dochter weer te bellen.', ['familie', 'kinderen']],
  ['Ik ben hier gekomen zonder de taal goed te spreken. Ze wachtten gewoon tot ik mijn woorden had gevonden.', ['migratie']],
  ['Het lied aan het eind neem ik mee naar huis. Dat zing ik als het weer zwaar wordt.', ['gezondheid', 'stress']],
  ['Mijn buurman en ik groetten elkaar nooit. Nu zitten we samen in de kring.', ['wonen']],
];

export interface DemoOptions {
  /** The calendar year the rounds fall in; default 2025. */
  year?: number;
}

/** A whole fictional organisation: locations, groups, participants, 130 held rounds with attendance, evaluations, stories. */
export function demoOrganisation(seed = 1, opts: DemoOptions = {}): DemoOrganisation {
  const year = opts.year ?? 2025;
  const rnd = mulberry32(seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)];
  const weighted = <K extends string>(w: Record<K, number>): K => {
    const entries = Object.entries(w) as [K, number][];
    let r = rnd() * entries.reduce((s, [, n]) => s + n, 0);
    for (const [k, n] of entries) if ((r -= n) < 0) return k;
    return entries[entries.length - 1][0];
  };
  const records: DemoRecord[] = [];
  const add = <T extends TableName>(table: T, id: string, groupId: string | null, values: Fields<T>) => records.push({ table, id, groupId, values } as DemoRecord);

  const locationIds: string[] = [];
  WIJKEN.forEach((w, wi) =>
    w.locations.forEach(([name, address], li) => {
      const id = `ldemo${wi + 1}${li + 1}`;
      locationIds.push(id);
      add('locations', id, null, { name, wijk: w.wijk, address: `${address}, Luisterstad` });
    }),
  );

  const groups: DemoGroup[] = [];
  let personSeq = 0;
  interface Person {
    id: string;
    name: string;
    loyalty: number;
    firstVisit: string;
    lastVisit: string | null;
    foundVia: FoundVia;
    groupId: string;
    personId: string | null;
    gender: Fields<'participants'>['gender'];
    ageBand: Fields<'participants'>['ageBand'];
    consentDate: string | null;
  }
  const everyone: Person[] = [];
  const newPerson = (groupId: string, firstVisit: string): Person => {
    const p: Person = {
      id: `pdemo${++personSeq}`,
      name: pick(FIRST_NAMES),
      // Most people come often; some drop in now and then.
      loyalty: rnd() < 0.65 ? 0.6 + rnd() * 0.35 : 0.15 + rnd() * 0.3,
      firstVisit,
      lastVisit: null,
      foundVia: weighted(FOUND_WEIGHTS),
      groupId,
      personId: null,
      gender: rnd() < 0.85 ? (rnd() < 0.72 ? 'vrouw' : rnd() < 0.93 ? 'man' : 'anders') : null,
      ageBand: rnd() < 0.75 ? pick(AGE_BANDS) : null,
      consentDate: null,
    };
    if (rnd() < 0.6) p.consentDate = firstVisit;
    everyone.push(p);
    return p;
  };

  GROUPS.forEach((spec, gi) => {
    const id = `gdemo${gi + 1}`;
    const begeleiders = [BEGELEIDERS[(gi * 2) % BEGELEIDERS.length], BEGELEIDERS[(gi * 2 + 1) % BEGELEIDERS.length]];
    groups.push({ id, begeleiders });
    add('groups', id, id, {
      name: spec.name,
      locationId: locationIds[spec.location],
      rhythm: spec.rhythm,
      plan: DEFAULT_PLAN,
      begeleiders: [],
      active: spec.active,
    });

    // The regulars who already came before this year.
    const members: Person[] = [];
    for (let i = int(14, 18); i > 0; i--) members.push(newPerson(id, `${year - 1}-${String(int(2, 11)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`));

    // One planned date more than the rounds held: in an active group one round was cancelled (illness, a holiday);
    // it stays visible in the agenda as geannuleerd.
    const dates = planDates(spec.rhythm, `${year}-${spec.start}`, spec.rounds + (spec.active ? 1 : 0));
    const beg = begeleiders.map((b) => b[0].toUpperCase() + b.slice(1));
    const cancelledAt = spec.active ? int(3, spec.rounds - 2) : -1;
    dates.forEach((date, ri) => {
      const rid = roundId(id, date);
      if (ri === cancelledAt) {
        add('rounds', rid, id, roundValues(date, 'geannuleerd'));
        return;
      }
      const newcomers = int(1, 2);
      const target = int(9, 11);
      const regulars = members
        .map((m) => ({ m, score: rnd() * m.loyalty }))
        .sort((a, b) => b.score - a.score)
        .slice(0, Math.max(0, target - newcomers))
        .map((x) => x.m);
      const present = [...regulars];
      for (let i = 0; i < newcomers; i++) {
        const p = newPerson(id, date);
        members.push(p);
        present.push(p);
      }
      for (const p of present) {
        p.lastVisit = date;
        add('attendance', attendanceId(rid, p.id), id, { roundId: rid, participantId: p.id, present: true });
      }
      // Some people stop coming: they stay on the list but are no longer picked.
      for (const m of members) if (rnd() < 0.02 * (1 - m.loyalty)) m.loyalty = 0.01;

      const themes = new Set<string>();
      for (let i = int(3, 5); i > 0; i--) themes.add(weighted(THEME_WEIGHTS));
      const themesRaised = Object.fromEntries([...themes].map((t) => [t, int(1, 4)]));
      const startedAt = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10)), 12, 30) + int(-5, 10) * 60_000;
      const strategies = new Set<string>();
      for (let i = int(2, 3); i > 0; i--) strategies.add(pick(DEFAULT_STRATEGIES));
      add('rounds', rid, id, {
        ...roundValues(date, 'afgerond'),
        begeleiders: beg,
        startedAt,
        endedAt: startedAt + (150 + int(-10, 10)) * 60_000,
        werkvorm: pick(DEFAULT_WERKVORMEN),
        themesRaised,
        chosenTheme: pick([...themes]),
        mote: pick(MOTES),
        strategies: [...strategies],
        closingWords: pick(CLOSING),
      });
      add('evaluations', evaluationId(rid), id, {
        roundId: rid,
        atmosphere: int(3, 5),
        safety: rnd() < 0.9 ? int(4, 5) : 3,
        wentWell: pick(WENT_WELL),
        improve: pick(IMPROVE),
        support: pick(SUPPORT),
      });
    });

    function roundValues(date: string, status: 'afgerond' | 'geannuleerd'): Fields<'rounds'> {
      return {
        date,
        locationId: locationIds[spec.location],
        begeleiders: [],
        status,
        startedAt: null,
        endedAt: null,
        werkvorm: null,
        plan: DEFAULT_PLAN,
        themesRaised: {},
        chosenTheme: null,
        mote: '',
        strategies: [],
        strategiesNote: '',
        closingWords: '',
      };
    }
  });

  // A few people go to two groups; the coördinator linked their records as one person.
  const byGroup = (g: string) => everyone.filter((p) => p.groupId === g && p.lastVisit);
  for (let i = 0; i < 8; i++) {
    const a = pick(byGroup(groups[i % groups.length].id));
    const b = pick(byGroup(groups[(i + 3) % groups.length].id));
    if (a.personId || b.personId) continue;
    a.personId = b.personId = `hdemo${i + 1}`;
    b.name = a.name;
  }

  const yearEnd = `${year}-12-31`;
  const recent = `${year}-10-15`;
  for (const p of everyone) {
    if (!p.lastVisit) continue;
    const groupActive = GROUPS[Number(p.groupId.slice(5)) - 1].active;
    const status = groupActive && p.lastVisit >= recent ? 'actief' : rnd() < 0.65 ? 'afgerond' : 'gestopt';
    add('participants', p.id, p.groupId, {
      name: p.name,
      firstVisit: p.firstVisit,
      foundVia: p.foundVia,
      status,
      gender: p.gender,
      ageBand: p.ageBand,
      consentDate: p.consentDate && p.consentDate <= yearEnd ? p.consentDate : null,
      personId: p.personId,
    });
  }

  const pseudonyms = ['Roos', 'Meryem', 'Tante Bep', 'Layla', 'Oom Kees', 'Noor', 'Mama Aziza'];
  QUOTES.forEach(([quote, themes], i) => {
    const g = groups[i % groups.length].id;
    add('stories', `sdemo${i + 1}`, g, {
      pseudonym: pseudonyms[i],
      age: rnd() < 0.6 ? int(24, 78) : null,
      quote,
      themes: [...themes],
      consent: true,
      date: `${year}-${String(int(2, 12)).padStart(2, '0')}-${String(int(1, 28)).padStart(2, '0')}`,
    });
  });

  // Parents before children, as a phone would have written them.
  const order: TableName[] = ['locations', 'groups', 'participants', 'rounds', 'attendance', 'evaluations', 'stories'];
  records.sort((a, b) => order.indexOf(a.table) - order.indexOf(b.table));
  return { year, records, groups };
}

