// The category lists (themes, coping strategies, werkvormen): add, rename, switch off — never delete, old rounds use the keys.
import { useContext, useState } from 'preact/hooks';
import { LocaleContext, useT } from '../i18n';
import { guarded } from '../toast';
import { db } from '../../data/db';
import { useLive } from '../../data/live';
import type { StoredRecord } from '../../shared/schema';
import { addCategory, CATEGORY_KINDS, categoryItems, saveCategory, type CategoryItem, type CategoryKind } from './data';
import { errorsOf, Field, invalid } from './form';
import { categoryLabel } from './labels';

const dict = {
  nl: {
    title: 'Lijsten',
    intro: 'Wat begeleiders tijdens de ronde kunnen kiezen. Een categorie uitzetten haalt haar uit de keuzelijst; rondes die haar gebruikten houden haar.',
    theme: "Thema's",
    strategy: 'Copingstrategieën',
    werkvorm: 'Werkvormen',
    off: 'uitgezet',
    standard: 'standaard',
    rename: 'Hernoem {name}',
    deactivate: 'Zet {name} uit',
    activate: 'Zet {name} weer aan',
    newLabel: 'Nieuwe categorie in {list}',
    add: 'Toevoegen',
    newName: 'Nieuwe naam voor {name}',
    save: 'Opslaan',
    cancel: 'Annuleren',
  },
  en: {
    title: 'Lists',
    intro: 'What facilitators can choose during a round. Switching a category off removes it from the choices; rounds that used it keep it.',
    theme: 'Themes',
    strategy: 'Coping strategies',
    werkvorm: 'Warm-ups',
    off: 'switched off',
    standard: 'default',
    rename: 'Rename {name}',
    deactivate: 'Switch off {name}',
    activate: 'Switch {name} back on',
    newLabel: 'New category in {list}',
    add: 'Add',
    newName: 'New name for {name}',
    save: 'Save',
    cancel: 'Cancel',
  },
};

export function Categories() {
  const t = useT(dict);
  const rows = useLive(() => db().table('categories').toArray() as Promise<StoredRecord<'categories'>[]>, [], []);
  return (
    <>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      {CATEGORY_KINDS.map((kind) => (
        <CategoryList key={kind} kind={kind} items={categoryItems(kind, rows)} />
      ))}
    </>
  );
}

function CategoryList(props: { kind: CategoryKind; items: CategoryItem[] }) {
  const t = useT(dict);
  const locale = useContext(LocaleContext);
  const [label, setLabel] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [renaming, setRenaming] = useState<string | null>(null);
  const inputId = `cat-new-${props.kind}`;
  const add = async (e: Event) => {
    e.preventDefault();
    try {
      await addCategory(props.kind, label, props.items);
      setLabel('');
      setError(undefined);
    } catch (err) {
      const errors = errorsOf(err);
      setError(errors.label ?? errors.key ?? Object.values(errors)[0]);
    }
  };
  return (
    <section class="card" aria-labelledby={`cat-${props.kind}`}>
      <h2 id={`cat-${props.kind}`}>{t(props.kind)}</h2>
      <ul class="admin-list">
        {props.items.map((item) => {
          const name = categoryLabel(props.kind, item, locale);
          return (
            <li key={item.key} class="row admin-item">
              {renaming === item.key ? (
                <RenameForm name={name} onCancel={() => setRenaming(null)} onSave={(next) => saveCategory(props.kind, item.key, next, item.active).then(() => setRenaming(null))} />
              ) : (
                <>
                  <span class={`admin-grow ${item.active ? '' : 'admin-off'}`}>
                    {name}
                    {item.isDefault && <span class="muted"> · {t('standard')}</span>}
                    {!item.active && <span class="muted"> · {t('off')}</span>}
                  </span>
                  <button type="button" onClick={() => setRenaming(item.key)} aria-label={t('rename', { name })}>
                    ✎
                  </button>
                  <button
                    type="button"
                    aria-pressed={!item.active}
                    aria-label={item.active ? t('deactivate', { name }) : t('activate', { name })}
                    onClick={() => void guarded(() => saveCategory(props.kind, item.key, item.label, !item.active))}
                  >
                    {item.active ? '⊘' : '↺'}
                  </button>
                </>
              )}
            </li>
          );
        })}
      </ul>
      <form class="row admin-add" onSubmit={add} noValidate>
        <Field id={inputId} label={t('newLabel', { list: t(props.kind).toLowerCase() })} error={error}>
          <input id={inputId} value={label} maxLength={60} onInput={(e) => setLabel(e.currentTarget.value)} {...invalid(inputId, error)} />
        </Field>
        <button type="submit" class="primary">
          {t('add')}
        </button>
      </form>
    </section>
  );
}

function RenameForm(props: { name: string; onSave: (label: string) => Promise<void>; onCancel: () => void }) {
  const t = useT(dict);
  const [value, setValue] = useState(props.name);
  const [error, setError] = useState<string | undefined>();
  const id = 'cat-rename';
  const submit = async (e: Event) => {
    e.preventDefault();
    try {
      await props.onSave(value);
    } catch (err) {
      const errors = errorsOf(err);
      setError(errors.label ?? Object.values(errors)[0]);
    }
  };
  return (
    <form class="admin-grow stack" onSubmit={submit} noValidate>
      <Field id={id} label={t('newName', { name: props.name })} error={error}>
        <input id={id} value={value} maxLength={60} onInput={(e) => setValue(e.currentTarget.value)} {...invalid(id, error)} />
      </Field>
      <div class="row">
        <button type="submit" class="primary">
          {t('save')}
        </button>
        <button type="button" onClick={props.onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
