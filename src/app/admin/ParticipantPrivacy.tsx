// AVG rights for one participant: export what the server holds (JSON + readable summary) and erase them everywhere.
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { downloadText } from '../reports/download';
import { db } from '../../data/db';
import { localDate } from '../../shared/ids';
import type { ParticipantExport } from '../../shared/participant-export';
import type { Participant } from '../../shared/schema';
import { keyHeaders, sameOrigin } from '../../sync/api';
import { requestSync } from '../../sync/triggers';
import { ExportSummary } from './ExportSummary';
import { slug } from './data';
import { Field, FormError, invalid } from './form';
import './privacy.css';

const dict = {
  nl: {
    title: 'Privacy (AVG)',
    hint: 'Exporteren en wissen gaan via de server en werken alleen met internet.',
    export: 'Gegevens exporteren',
    exporting: 'Bezig met exporteren…',
    erase: 'Wissen…',
    eraseTitle: '{name} overal wissen',
    consequence:
      'Dit wist {name} en alle aanwezigheid van {name} op de server, en op elke telefoon zodra die synchroniseert. Ook een telefoon die nu offline is kan de gegevens niet terugzetten. Dit kan niet ongedaan worden gemaakt. Wil de deelnemer een kopie? Exporteer dan eerst.',
    typeName: 'Typ “{name}” om te bevestigen',
    mismatch: 'Typ precies de naam “{name}” om te bevestigen',
    confirm: 'Definitief wissen',
    erasing: 'Bezig met wissen…',
    cancel: 'Annuleren',
    offline: 'Geen verbinding met de server. Exporteren en wissen kan alleen met internet; probeer het straks opnieuw.',
    forbidden: 'Log in als coördinator (scherm Synchronisatie) om dit te doen.',
    notOnServer: 'Deze deelnemer staat (nog) niet op de server. Synchroniseer eerst en probeer het dan opnieuw.',
    failed: 'Dat lukte niet: {reason}',
  },
  en: {
    title: 'Privacy (GDPR)',
    hint: 'Export and erasure go through the server and need an internet connection.',
    export: 'Export data',
    exporting: 'Exporting…',
    erase: 'Erase…',
    eraseTitle: 'Erase {name} everywhere',
    consequence:
      'This erases {name} and all of {name}’s attendance on the server, and on every phone as soon as it syncs. A phone that is offline now cannot bring the data back either. This cannot be undone. Does the participant want a copy? Export first.',
    typeName: 'Type “{name}” to confirm',
    mismatch: 'Type exactly the name “{name}” to confirm',
    confirm: 'Erase for good',
    erasing: 'Erasing…',
    cancel: 'Cancel',
    offline: 'No connection to the server. Export and erasure need the internet; try again later.',
    forbidden: 'Log in as a coordinator (Sync screen) to do this.',
    notOnServer: 'This participant is not on the server (yet). Sync first, then try again.',
    failed: 'That did not work: {reason}',
  },
};

type Problem = 'offline' | 'forbidden' | 'notOnServer' | { reason: string };

class ApiProblem extends Error {
  constructor(readonly problem: Problem) {
    super(typeof problem === 'string' ? problem : problem.reason);
  }
}

/** One coördinator call; every way it can fail becomes a Problem the screen can put into words. */
async function api<T>(method: 'GET' | 'POST', path: string): Promise<T> {
  if (typeof navigator !== 'undefined' && navigator.onLine === false) throw new ApiProblem('offline');
  let res: Response;
  try {
    res = await fetch(path, { method, credentials: 'same-origin', headers: { 'x-lk': '1', ...(await keyHeaders()) } });
  } catch {
    throw new ApiProblem('offline');
  }
  if (res.status === 401 || res.status === 403) throw new ApiProblem('forbidden');
  if (res.status === 404) throw new ApiProblem('notOnServer');
  const body = (await res.json().catch(() => null)) as (T & { error?: unknown }) | null;
  if (!res.ok || !body) throw new ApiProblem({ reason: typeof body?.error === 'string' ? body.error : `HTTP ${res.status}` });
  return body;
}

/** The name as typed back: spaces around and letter case do not matter, the letters do. */
export const confirms = (typed: string, name: string) => typed.trim().toLocaleLowerCase('nl') === name.trim().toLocaleLowerCase('nl');

export function ParticipantPrivacy(props: { participant: Pick<Participant, 'id' | 'name' | 'groupId'>; onErased: (attendance: number) => void }) {
  const t = useT(dict);
  const p = props.participant;
  const [busy, setBusy] = useState<'export' | 'erase' | null>(null);
  const [problem, setProblem] = useState<string | undefined>();
  const [summary, setSummary] = useState<ParticipantExport | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [typed, setTyped] = useState('');
  const [typedError, setTypedError] = useState<string | undefined>();
  const id = (f: string) => `pv-${p.id}-${f}`;

  const say = (e: unknown) => {
    const pr = e instanceof ApiProblem ? e.problem : { reason: (e as Error).message };
    setProblem(typeof pr === 'string' ? t(pr) : t('failed', { reason: pr.reason }));
  };

  const doExport = async () => {
    setBusy('export');
    setProblem(undefined);
    try {
      const x = await api<ParticipantExport>('GET', `/api/participants/${encodeURIComponent(p.id)}/export`);
      downloadText(`deelnemer-${slug(p.name) || 'export'}-${localDate()}.json`, JSON.stringify(x, null, 2), 'application/json;charset=utf-8');
      setSummary(x);
    } catch (e) {
      say(e);
    } finally {
      setBusy(null);
    }
  };

  const doErase = async (e: Event) => {
    e.preventDefault();
    if (!confirms(typed, p.name)) {
      setTypedError(t('mismatch', { name: p.name }));
      return;
    }
    setTypedError(undefined);
    setBusy('erase');
    setProblem(undefined);
    try {
      const r = await api<{ attendance: number }>('POST', `/api/participants/${encodeURIComponent(p.id)}/erase`);
      props.onErased(r.attendance);
      // This phone drops its copy with the next sync, like every other phone.
      void requestSync('manual', { ...sameOrigin, db: db() });
    } catch (err) {
      say(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="stack privacy-panel" aria-labelledby={id('title')}>
      <h3 id={id('title')}>{t('title')}</h3>
      <p class="muted">{t('hint')}</p>
      <FormError error={problem} />
      <div class="row">
        <button type="button" onClick={() => void doExport()} disabled={busy !== null} aria-busy={busy === 'export'}>
          {busy === 'export' ? t('exporting') : t('export')}
        </button>
        {!confirming && (
          <button type="button" class="danger" onClick={() => setConfirming(true)} disabled={busy !== null}>
            {t('erase')}
          </button>
        )}
      </div>
      {summary && <ExportSummary data={summary} onClose={() => setSummary(null)} />}
      {confirming && (
        <form class="stack privacy-confirm" onSubmit={(e) => void doErase(e)} noValidate aria-labelledby={id('erase-title')}>
          <h4 id={id('erase-title')}>{t('eraseTitle', { name: p.name })}</h4>
          <p>{t('consequence', { name: p.name })}</p>
          <Field id={id('typed')} label={t('typeName', { name: p.name })} error={typedError}>
            <input id={id('typed')} value={typed} autocomplete="off" onInput={(e) => setTyped(e.currentTarget.value)} {...invalid(id('typed'), typedError)} />
          </Field>
          <div class="row">
            <button type="submit" class="danger" disabled={busy !== null} aria-busy={busy === 'erase'}>
              {busy === 'erase' ? t('erasing') : t('confirm')}
            </button>
            <button
              type="button"
              onClick={() => {
                setConfirming(false);
                setTyped('');
                setTypedError(undefined);
              }}
            >
              {t('cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
