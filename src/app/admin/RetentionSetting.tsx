// The coördinator's retention period: how long notes and round texts stay on the phones (the server keeps them).
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { DEFAULT_RETENTION_MONTHS, retentionMonths, SETTINGS_ID } from '../../data/retention';
import { write } from '../../data/write';
import { errorsOf, Field, FormError, invalid, type Errors } from './form';

const dict = {
  nl: {
    title: 'Bewaartermijn op telefoons',
    hint: 'Na elke synchronisatie halen telefoons notities en de vrije tekst van rondes en evaluaties weg die ouder zijn dan dit aantal maanden. De server bewaart ze; cijfers en aanwezigheid blijven. 0 = alles op de telefoons bewaren. Standaard: {n}.',
    months: 'Maanden (0 tot 120)',
    save: 'Bewaartermijn opslaan',
    saved: 'Bewaartermijn opgeslagen; telefoons passen hem toe na hun volgende synchronisatie',
    notNumber: 'Vul een geheel aantal maanden in (0 tot 120)',
  },
  en: {
    title: 'Retention on phones',
    hint: 'After every sync, phones remove notes and the free text of rounds and evaluations older than this many months. The server keeps them; figures and attendance stay. 0 = keep everything on the phones. Default: {n}.',
    months: 'Months (0 to 120)',
    save: 'Save retention period',
    saved: 'Retention period saved; phones apply it after their next sync',
    notNumber: 'Enter a whole number of months (0 to 120)',
  },
};

export function RetentionSetting() {
  const t = useT(dict);
  const current = useLive(() => retentionMonths(db()), []);
  const [value, setValue] = useState<string | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  if (current === undefined) return null;
  const shown = value ?? String(current);

  const save = async (e: Event) => {
    e.preventDefault();
    if (!/^\s*\d{1,3}\s*$/.test(shown)) {
      setErrors({ noteRetentionMonths: t('notNumber') });
      return;
    }
    try {
      await write('settings', SETTINGS_ID, null, { noteRetentionMonths: Number(shown) });
      setErrors({});
      setValue(null);
      showToast('info', t('saved'));
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };

  return (
    <section class="card stack" aria-labelledby="retention-title">
      <h2 id="retention-title">{t('title')}</h2>
      <form class="stack" onSubmit={(e) => void save(e)} noValidate>
        <Field id="retention-months" label={t('months')} hint={t('hint', { n: DEFAULT_RETENTION_MONTHS })} error={errors.noteRetentionMonths}>
          <input
            id="retention-months"
            inputMode="numeric"
            value={shown}
            maxLength={3}
            onInput={(e) => setValue(e.currentTarget.value)}
            {...invalid('retention-months', errors.noteRetentionMonths)}
          />
        </Field>
        <FormError error={errors['']} />
        <button type="submit" class="primary">
          {t('save')}
        </button>
      </form>
    </section>
  );
}
