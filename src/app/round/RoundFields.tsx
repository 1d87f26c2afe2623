// The round form's fields, each on the step where it comes up; every change is saved at once or on blur.
import { useEffect, useRef, useState } from 'preact/hooks';
import { updateRound } from '../../data/actions';
import { categoriesOf, mergeCategories } from '../../data/round-queries';
import { useLive } from '../../data/live';
import { DEFAULT_STRATEGIES, DEFAULT_THEMES, DEFAULT_WERKVORMEN } from '../../shared/method';
import type { ValidationError } from '../../shared/records';
import type { Category, Fields, Round } from '../../shared/schema';
import { schemas } from '../../data/schemas';
import { useT } from '../i18n';
import { guarded } from '../toast';
import { dict, type Key } from './dict';

type TextField = 'mote' | 'strategiesNote' | 'closingWords' | 'werkvorm';
const SAVE_AFTER_MS = 800;

/** Text the round could not take (too long, or a failed write), kept per round and field while the app is open,
 * so stepping away and back shows it again with its reason instead of losing it. */
const unsaved = new Map<string, string>();

/** Text saved while typing (debounced), on blur and when the screen closes; a refused value stays in the field with its reason. */
export function SavedText(props: {
  round: Round;
  field: TextField;
  label: string;
  value: string;
  max: number;
  multiline?: boolean;
  /** What an empty field stores (the werkvorm is null when none was used). */
  empty?: null;
}) {
  const t = useT(dict);
  const { round, field } = props;
  const key = `${round.id}|${field}`;
  const kept = unsaved.get(key);
  const [text, setText] = useState(kept ?? props.value);
  const [error, setError] = useState('');
  const [saved, setSaved] = useState(false);
  const latest = useRef(kept ?? props.value);
  const dirty = useRef(kept !== undefined);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const mounted = useRef(true);
  const id = `f-${field}`;

  useEffect(() => {
    if (!dirty.current) {
      latest.current = props.value;
      setText(props.value);
    }
  }, [props.value]);

  const save = async () => {
    clearTimeout(timer.current);
    if (!dirty.current) return;
    const v = latest.current;
    unsaved.set(key, v);
    const values = { [field]: v.trim() === '' && props.empty === null ? null : v } as Partial<Fields<'rounds'>>;
    try {
      (await schemas()).parseValues('rounds', values);
    } catch (e) {
      if (mounted.current) setError((e as ValidationError).issues?.[0]?.message ?? (e as Error).message);
      return;
    }
    const ok = await guarded(() => updateRound(round, values));
    if (ok && latest.current === v) {
      dirty.current = false;
      unsaved.delete(key);
      if (mounted.current) {
        setError('');
        setSaved(true);
      }
    }
  };
  const saveRef = useRef(save);
  saveRef.current = save;
  useEffect(() => {
    // Kept text comes back with its reason (or is stored now, if it was only the write that failed).
    if (dirty.current) void saveRef.current();
    return () => {
      mounted.current = false;
      void saveRef.current();
    };
  }, []);

  const onInput = (e: Event) => {
    const v = (e.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
    latest.current = v;
    dirty.current = true;
    setText(v);
    setSaved(false);
    if (error) setError('');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void saveRef.current(), SAVE_AFTER_MS);
  };
  const len = text.length;
  const common = {
    id,
    // Chromium keeps the text of form fields in its session files (Sessions/) for back/forward; "off" opts out.
    autocomplete: 'off',
    value: text,
    onInput,
    onBlur: () => void save(),
    'aria-invalid': error ? ('true' as const) : undefined,
    'aria-describedby': `${id}-err`,
  };
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />}
      <div class="row field-foot">
        <span class={len > props.max ? 'counter over' : 'counter'}>{len > props.max * 0.8 ? t('counter', { n: len, max: props.max }) : ''}</span>
        <span class="muted" role="status">
          {saved ? t('saved') : ''}
        </span>
      </div>
      <p id={`${id}-err`} class="field-error">
        {error}
      </p>
    </div>
  );
}

type Option = { key: string; label: string };

function useOptions(kind: Category['kind'], defaults: readonly string[], prefix: 'th' | 'sg' | 'wv'): Option[] {
  const t = useT(dict);
  const rows = useLive(() => categoriesOf(kind), [kind], []);
  return mergeCategories(
    defaults.map((key) => ({ key, label: t(`${prefix}.${key}` as Key) })),
    rows,
  );
}

/** The value as tapped, while its writes are under way: quick repeated taps build on each other, not on a stored copy
 * that is a write behind. Once no write is pending the stored value (also another phone's) is shown again. */
function useOptimistic<V>(stored: V, write: (v: V) => Promise<boolean>): [V, (change: (cur: V) => V) => void] {
  const pending = useRef(0);
  const local = useRef(stored);
  const [, rerender] = useState(0);
  if (pending.current === 0) local.current = stored;
  const update = (change: (cur: V) => V) => {
    local.current = change(local.current);
    pending.current += 1;
    rerender((n) => n + 1);
    void write(local.current).then((ok) => {
      pending.current -= 1;
      // A failed write shows the stored value again; a stored one arrives through the live query.
      if (!ok) rerender((n) => n + 1);
    });
  };
  return [local.current, update];
}

const saveRound = (round: Round, values: Partial<Fields<'rounds'>>) => guarded(() => updateRound(round, values));

export function WerkvormPicker({ round }: { round: Round }) {
  const t = useT(dict);
  const rows = useLive(() => categoriesOf('werkvorm'), [], []);
  const coordinator = rows.filter((r) => r.active).map((r) => ({ key: r.key, label: r.label }));
  // The coördinator's list replaces the default one as soon as it has a werkvorm in it.
  const options = coordinator.length ? coordinator : DEFAULT_WERKVORMEN.map((key) => ({ key, label: t(`wv.${key}`) }));
  const chosen = options.find((o) => o.key === round.werkvorm)?.key ?? null;
  return (
    <div class="stack">
      <fieldset class="chips">
        <legend>{t('werkvorm')}</legend>
        {options.map((o) => (
          <label key={o.key} class="chip">
            <input type="radio" name="werkvorm" value={o.key} checked={chosen === o.key} onChange={() => void saveRound(round, { werkvorm: o.key })} />
            {o.label}
          </label>
        ))}
      </fieldset>
      <SavedText
        round={round}
        field="werkvorm"
        label={t('werkvormOther')}
        value={chosen ? '' : (round.werkvorm ?? '')}
        max={80}
        empty={null}
      />
    </div>
  );
}

export function ThemesRaised({ round }: { round: Round }) {
  const t = useT(dict);
  const options = useOptions('theme', DEFAULT_THEMES, 'th');
  const [shown, update] = useOptimistic(round.themesRaised ?? {}, (themesRaised) => saveRound(round, { themesRaised }));
  const change = (key: string, by: number) =>
    update((cur) => {
      const next = { ...cur };
      const n = Math.max(0, Math.min(99, (next[key] ?? 0) + by));
      if (n === 0) delete next[key];
      else next[key] = n;
      return next;
    });
  return (
    <fieldset class="themes">
      <legend>{t('themesRaised')}</legend>
      <p class="muted">{t('themesHint')}</p>
      <ul class="theme-list">
        {options.map((o) => {
          const n = shown[o.key] ?? 0;
          return (
            <li key={o.key} class={n ? 'theme on' : 'theme'}>
              <button type="button" class="theme-more" aria-label={t('themeMore', { label: o.label, n })} onClick={() => change(o.key, 1)}>
                {o.label}
                {n === 0 && (
                  <span class="plus" aria-hidden="true">
                    +
                  </span>
                )}
              </button>
              {n > 0 && (
                <span class="count" aria-hidden="true">
                  ×{n}
                </span>
              )}
              {n > 0 && (
                <button type="button" class="theme-less" aria-label={t('themeLess', { label: o.label })} onClick={() => change(o.key, -1)}>
                  −
                </button>
              )}
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}

export function ChosenTheme({ round }: { round: Round }) {
  const t = useT(dict);
  const options = useOptions('theme', DEFAULT_THEMES, 'th');
  const raised = round.themesRaised ?? {};
  // Themes raised tonight first: the chosen one is almost always among them.
  const ordered = [...options.filter((o) => raised[o.key]), ...options.filter((o) => !raised[o.key])];
  return (
    <fieldset class="chips">
      <legend>{t('chosenTheme')}</legend>
      <p class="muted">{t('chosenHint')}</p>
      {ordered.map((o) => (
        <label key={o.key} class="chip">
          <input type="radio" name="chosenTheme" value={o.key} checked={round.chosenTheme === o.key} onChange={() => void saveRound(round, { chosenTheme: o.key })} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}

export function Strategies({ round }: { round: Round }) {
  const t = useT(dict);
  const options = useOptions('strategy', DEFAULT_STRATEGIES, 'sg');
  const [current, update] = useOptimistic(round.strategies ?? [], (strategies) => saveRound(round, { strategies }));
  const toggle = (key: string, on: boolean) => update((cur) => (on ? [...cur.filter((k) => k !== key), key] : cur.filter((k) => k !== key)));
  return (
    <div class="stack">
      <fieldset class="chips">
        <legend>{t('strategies')}</legend>
        {options.map((o) => (
          <label key={o.key} class="chip">
            <input type="checkbox" value={o.key} checked={current.includes(o.key)} onChange={(e) => toggle(o.key, e.currentTarget.checked)} />
            {o.label}
          </label>
        ))}
      </fieldset>
      <SavedText round={round} field="strategiesNote" label={t('strategiesNote')} value={round.strategiesNote ?? ''} max={200} multiline />
    </div>
  );
}
