// Locations (buurthuis, buurtkamer): list, create and edit name, wijk and address.
import { useState } from 'preact/hooks';
import { useT } from '../i18n';
import { showToast } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import { write } from '../../data/write';
import { createLocation } from '../../data/actions';
import { parseFields, type Location } from '../../shared/schema';
import { alive } from './data';
import { errorsOf, Field, FormError, invalid, type Errors } from './form';

const dict = {
  nl: {
    title: 'Locaties',
    add: 'Nieuwe locatie',
    none: 'Nog geen locaties. Voeg het eerste buurthuis toe.',
    name: 'Naam',
    wijk: 'Wijk',
    address: 'Adres van het buurthuis (niet verplicht)',
    save: 'Opslaan',
    cancel: 'Annuleren',
    edit: 'Bewerk {name}',
    saved: 'Locatie opgeslagen',
    newTitle: 'Nieuwe locatie',
    editTitle: 'Locatie bewerken',
  },
  en: {
    title: 'Locations',
    add: 'New location',
    none: 'No locations yet. Add the first community centre.',
    name: 'Name',
    wijk: 'Neighbourhood',
    address: 'Address of the centre (optional)',
    save: 'Save',
    cancel: 'Cancel',
    edit: 'Edit {name}',
    saved: 'Location saved',
    newTitle: 'New location',
    editTitle: 'Edit location',
  },
};

export function Locations() {
  const t = useT(dict);
  const locations = useLive(async () => alive((await db().table('locations').toArray()) as Location[]).sort((a, b) => (a.wijk ?? '').localeCompare(b.wijk ?? '', 'nl') || (a.name ?? '').localeCompare(b.name ?? '', 'nl')), [], []);
  const [editing, setEditing] = useState<Location | 'new' | null>(null);
  return (
    <>
      <h1>{t('title')}</h1>
      {editing ? (
        <LocationForm location={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />
      ) : (
        <button type="button" class="primary big" onClick={() => setEditing('new')}>
          {t('add')}
        </button>
      )}
      {locations.length === 0 && <p class="muted">{t('none')}</p>}
      <ul class="admin-list">
        {locations.map((l) => (
          <li key={l.id} class="card row admin-item">
            <div class="admin-grow">
              <strong>{l.name}</strong>
              <div class="muted">
                {l.wijk}
                {l.address ? ` · ${l.address}` : ''}
              </div>
            </div>
            <button type="button" onClick={() => setEditing(l)} aria-label={t('edit', { name: l.name })}>
              ✎
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}

function LocationForm(props: { location: Location | null; onDone: () => void }) {
  const t = useT(dict);
  const [name, setName] = useState(props.location?.name ?? '');
  const [wijk, setWijk] = useState(props.location?.wijk ?? '');
  const [address, setAddress] = useState(props.location?.address ?? '');
  const [errors, setErrors] = useState<Errors>({});
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      const values = parseFields('locations', { name, wijk, address });
      if (props.location) await write('locations', props.location.id, null, values);
      else await createLocation(values);
      showToast('info', t('saved'));
      props.onDone();
    } catch (err) {
      setErrors(errorsOf(err));
    }
  };
  return (
    <form class="card stack" onSubmit={submit} noValidate>
      <h2>{props.location ? t('editTitle') : t('newTitle')}</h2>
      <Field id="loc-name" label={t('name')} error={errors.name}>
        <input id="loc-name" value={name} onInput={(e) => setName(e.currentTarget.value)} maxLength={80} {...invalid('loc-name', errors.name)} />
      </Field>
      <Field id="loc-wijk" label={t('wijk')} error={errors.wijk}>
        <input id="loc-wijk" value={wijk} onInput={(e) => setWijk(e.currentTarget.value)} maxLength={80} {...invalid('loc-wijk', errors.wijk)} />
      </Field>
      <Field id="loc-address" label={t('address')} error={errors.address}>
        <input id="loc-address" value={address} onInput={(e) => setAddress(e.currentTarget.value)} maxLength={160} autocomplete="street-address" {...invalid('loc-address', errors.address)} />
      </Field>
      <FormError error={errors['']} />
      <div class="row">
        <button type="submit" class="primary">
          {t('save')}
        </button>
        <button type="button" onClick={props.onDone}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
