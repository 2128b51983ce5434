import { html, useState, useEffect, useRef } from '../lib.js';
import { t, tn, fmt, language } from '../i18n.js';
import { gql } from '../api.js';
import { describe } from '../errors.js';
import { navigate, href } from '../router.js';
import { Loading, ErrorNotice, PageHeader } from '../ui.js';
import { NETWORKS } from './engagement.js';

const KINDS = ['ARTICLE', 'JOB_OFFER', 'EVENT', 'TRAINING', 'STUDY', 'COMPANY_NEWS', 'VIDEO'];
const LANGUAGES = ['en', 'fr', 'de', 'es', 'it', 'nl', 'pt'];
const MAIN_NETWORKS = ['LINKEDIN', 'X', 'FACEBOOK', 'INSTAGRAM'];

/** The longest suggested text each network takes, as the API counts (characters). */
export const LIMITS = { X: 280, LINKEDIN: 3000 };
export const limitOf = (network) => LIMITS[network] ?? 2200;
/** Characters as the API counts them: Unicode scalar values, surrounding spaces left out. */
export const length = (text) => [...(text ?? '').trim()].length;

const ITEM = `id kind title url summary body imageUrl language pinned status publishAt expiresAt shareCount
  topics { id } targetGroups { id } suggestedTexts { network text }`;
const LOAD = `query Editor($id: ID!, $existing: Boolean!) {
  topics { id name }
  groups { id name memberCount }
  content(id: $id) @include(if: $existing) { ${ITEM} }
}`;
const CREATE = `mutation Create($input: ContentInput!) { createContent(input: $input) { ${ITEM} } }`;
const UPDATE = `mutation Update($id: ID!, $input: ContentInput!) { updateContent(id: $id, input: $input) { ${ITEM} } }`;
const PUBLISH = `mutation Publish($id: ID!, $publishAt: DateTime, $expiresAt: DateTime) {
  publishContent(id: $id, publishAt: $publishAt, expiresAt: $expiresAt) { ${ITEM} } }`;
const ARCHIVE = `mutation Archive($id: ID!) { archiveContent(id: $id) { ${ITEM} } }`;

const EMPTY = {
  kind: 'ARTICLE',
  title: '',
  url: '',
  summary: '',
  body: '',
  imageUrl: '',
  language: '',
  topicIds: [],
  targetGroupIds: [],
  pinned: false,
  texts: {},
};

function formOf(item) {
  return {
    kind: item.kind,
    title: item.title,
    url: item.url,
    summary: item.summary ?? '',
    body: item.body ?? '',
    imageUrl: item.imageUrl ?? '',
    language: item.language ?? '',
    topicIds: item.topics.map((x) => x.id),
    targetGroupIds: item.targetGroups.map((x) => x.id),
    pinned: item.pinned,
    texts: Object.fromEntries(item.suggestedTexts.map((s) => [s.network, s.text])),
  };
}

function inputOf(form) {
  const opt = (v) => (v.trim() ? v.trim() : null);
  return {
    kind: form.kind,
    title: form.title.trim(),
    url: form.url.trim(),
    summary: opt(form.summary),
    body: opt(form.body),
    imageUrl: opt(form.imageUrl),
    language: form.language || null,
    topicIds: form.topicIds,
    targetGroupIds: form.targetGroupIds,
    pinned: form.pinned,
    suggestedTexts: NETWORKS.filter((n) => (form.texts[n] ?? '').trim()).map((n) => ({
      network: n,
      text: form.texts[n].trim(),
    })),
  };
}

/** What the API would refuse, said before sending; each with the field to fix. */
function problems(form) {
  const list = [];
  if (!form.title.trim()) list.push(['field-title', t('editor.required', { field: t('editor.title') })]);
  if (!form.url.trim()) list.push(['field-url', t('editor.required', { field: t('editor.url') })]);
  for (const n of NETWORKS) {
    const over = length(form.texts[n]) - limitOf(n);
    if (over > 0) {
      list.push([`text-${n}`, t('editor.tooLong', { network: t(`network.${n}`), over: fmt.int(over), max: fmt.int(limitOf(n)) })]);
    }
  }
  return list;
}

/** `datetime-local` values are the reader's local time. */
function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
const fromLocalInput = (value) => (value ? new Date(value).toISOString() : null);

/** A message for the page shown next (the new item's own address). */
let flash = null;

export function ContentEditor({ id }) {
  const existing = Boolean(id);
  const [load, setLoad] = useState({ data: null, error: null });
  const [item, setItem] = useState(null);
  const [form, setForm] = useState(EMPTY);
  const [errors, setErrors] = useState([]);
  const [state, setState] = useState(() => {
    const done = flash;
    flash = null;
    return { busy: false, error: null, done };
  });
  const summary = useRef(null);

  const fetchAll = () => {
    setLoad({ data: null, error: null });
    gql(LOAD, { id: id ?? '', existing }).then(
      (data) => {
        setLoad({ data, error: null });
        if (existing && data.content) {
          setItem(data.content);
          setForm(formOf(data.content));
        }
      },
      (error) => setLoad({ data: null, error }),
    );
  };
  useEffect(fetchAll, [id]);
  useEffect(() => {
    if (errors.length) summary.current?.focus();
  }, [errors]);

  const set = (field) => (e) => {
    const el = e.currentTarget;
    setForm((f) => ({ ...f, [field]: el.type === 'checkbox' ? el.checked : el.value }));
  };
  const toggleIn = (field, value) =>
    setForm((f) => ({
      ...f,
      [field]: f[field].includes(value) ? f[field].filter((x) => x !== value) : [...f[field], value],
    }));
  const setText = (network, text) => setForm((f) => ({ ...f, texts: { ...f.texts, [network]: text } }));

  const act = async (run, done) => {
    setState({ busy: true, error: null, done: null });
    try {
      const next = await run();
      setItem(next);
      setForm(formOf(next));
      setState({ busy: false, error: null, done: typeof done === 'function' ? done(next) : done });
      return next;
    } catch (error) {
      setState({ busy: false, error, done: null });
      return null;
    }
  };

  const save = async (event) => {
    event.preventDefault();
    const found = problems(form);
    setErrors(found);
    if (found.length) {
      setState({ busy: false, error: null, done: null });
      return;
    }
    if (item) {
      await act(async () => (await gql(UPDATE, { id: item.id, input: inputOf(form) })).updateContent, t('editor.saved'));
    } else {
      const created = await act(async () => (await gql(CREATE, { input: inputOf(form) })).createContent, t('editor.created'));
      if (created) {
        flash = t('editor.created');
        navigate(href(`/content/${created.id}`), { replace: true });
      }
    }
  };

  if (load.error) {
    return html`<div class="page"><${PageHeader} title=${existing ? t('editor.editTitle') : t('editor.newTitle')} />
      <${ErrorNotice} error=${load.error} onRetry=${fetchAll} /></div>`;
  }
  if (!load.data) return html`<div class="page"><${Loading} /></div>`;
  if (existing && !load.data.content && !item) {
    return html`<div class="page"><${PageHeader} title=${t('editor.editTitle')} />
      <div class="notice notice-error" role="alert"><p>${t('error.NOT_FOUND')}</p></div>
      <p><a href=${href('/content')}>${t('editor.back')}</a></p></div>`;
  }
  const { topics, groups } = load.data;
  const names = new Intl.DisplayNames([language() === 'fr' ? 'fr' : 'en'], { type: 'language' });
  const languages = [...new Set([...LANGUAGES, ...(form.language ? [form.language] : [])])];

  return html`<div class="page" id="editor" data-content-id=${item?.id ?? ''} data-status=${item?.status ?? ''}>
    <${PageHeader} title=${item ? t('editor.editTitle') : t('editor.newTitle')}>
      <a class="button secondary" href=${href('/content')}>${t('editor.back')}</a>
    <//>
    ${errors.length > 0 &&
    html`<div class="notice notice-error" role="alert" tabindex="-1" ref=${summary} id="editor-errors">
      <p><strong>${t('editor.fix')}</strong></p>
      <ul>${errors.map(([field, text]) => html`<li><a href=${`#${field}`}>${text}</a></li>`)}</ul>
    </div>`}
    <${ErrorNotice} error=${state.error} />
    ${state.done && html`<div class="notice notice-success" role="status" id="editor-done"><p>${state.done}</p></div>`}
    <form class="editor" onSubmit=${save} noValidate>
      <div class="editor-main card">
        <div class="row-2">
          <label class="field">
            <span class="field-label">${t('editor.kind')}</span>
            <select id="field-kind" name="kind" value=${form.kind} onChange=${set('kind')}>
              ${KINDS.map((k) => html`<option value=${k}>${t(`kind.${k}`)}</option>`)}
            </select>
          </label>
          <label class="field">
            <span class="field-label">${t('editor.language')}</span>
            <select id="field-language" name="language" value=${form.language} onChange=${set('language')} aria-describedby="language-hint">
              <option value="">${t('editor.languageAny')}</option>
              ${languages.map((l) => html`<option value=${l}>${names.of(l) ?? l}</option>`)}
            </select>
            <span class="field-hint" id="language-hint">${t('editor.languageHint')}</span>
          </label>
        </div>
        <label class="field">
          <span class="field-label">${t('editor.title')} <span class="required" aria-hidden="true">*</span></span>
          <input id="field-title" name="title" value=${form.title} onInput=${set('title')} maxlength="300" required
            aria-invalid=${errors.some(([f]) => f === 'field-title') ? 'true' : null} />
        </label>
        <label class="field">
          <span class="field-label">${t('editor.url')} <span class="required" aria-hidden="true">*</span></span>
          <input id="field-url" name="url" type="url" value=${form.url} onInput=${set('url')} required inputmode="url"
            placeholder="https://" aria-describedby="url-hint" aria-invalid=${errors.some(([f]) => f === 'field-url') ? 'true' : null} />
          <span class="field-hint" id="url-hint">${t('editor.urlHint')}</span>
        </label>
        <label class="field">
          <span class="field-label">${t('editor.summary')}</span>
          <textarea id="field-summary" name="summary" rows="2" maxlength="1000" value=${form.summary} onInput=${set('summary')}></textarea>
        </label>
        <label class="field">
          <span class="field-label">${t('editor.body')}</span>
          <textarea id="field-body" name="body" rows="5" value=${form.body} onInput=${set('body')}></textarea>
        </label>
        <label class="field">
          <span class="field-label">${t('editor.imageUrl')}</span>
          <input id="field-image" name="imageUrl" type="url" value=${form.imageUrl} onInput=${set('imageUrl')} placeholder="https://" />
        </label>
        <fieldset class="texts">
          <legend>${t('editor.texts')}</legend>
          <p class="field-hint">${t('editor.textsHint')}</p>
          <div class="texts-grid">
            ${MAIN_NETWORKS.map((n) => html`<${TextField} network=${n} value=${form.texts[n] ?? ''} onText=${setText} />`)}
          </div>
          <details open=${NETWORKS.some((n) => !MAIN_NETWORKS.includes(n) && form.texts[n])}>
            <summary>${NETWORKS.filter((n) => !MAIN_NETWORKS.includes(n)).map((n) => t(`network.${n}`)).join(', ')}</summary>
            <div class="texts-grid">
              ${NETWORKS.filter((n) => !MAIN_NETWORKS.includes(n)).map(
                (n) => html`<${TextField} network=${n} value=${form.texts[n] ?? ''} onText=${setText} />`,
              )}
            </div>
          </details>
        </fieldset>
        <div class="form-actions">
          <button type="submit" class="button primary" id="save" disabled=${state.busy}>
            ${state.busy ? t('editor.saving') : item ? t('editor.save') : t('editor.saveDraft')}
          </button>
        </div>
      </div>
      <div class="editor-side">
        ${item && html`<${Lifecycle} item=${item} busy=${state.busy} act=${act} />`}
        <div class="card">
          <fieldset>
            <legend>${t('editor.topics')}</legend>
            <div class="checks">
              ${topics.map(
                (tp) => html`<label class="check-label"><input type="checkbox" name="topic" value=${tp.id}
                  checked=${form.topicIds.includes(tp.id)} onChange=${() => toggleIn('topicIds', tp.id)} /> ${tp.name}</label>`,
              )}
            </div>
          </fieldset>
          <fieldset>
            <legend>${t('editor.groups')}</legend>
            <p class="field-hint">${t('editor.groupsHint')}</p>
            <div class="checks">
              ${groups.map(
                (g) => html`<label class="check-label"><input type="checkbox" name="group" value=${g.id}
                  checked=${form.targetGroupIds.includes(g.id)} onChange=${() => toggleIn('targetGroupIds', g.id)} />
                  ${g.name} <span class="muted small">(${fmt.int(g.memberCount)})</span></label>`,
              )}
            </div>
          </fieldset>
          <label class="check-label">
            <input type="checkbox" id="field-pinned" name="pinned" checked=${form.pinned} onChange=${set('pinned')} />
            ${t('editor.pinned')}
          </label>
        </div>
      </div>
    </form>
  </div>`;
}

/** A suggested text with its live count against the network's limit. */
function TextField({ network, value, onText }) {
  const max = limitOf(network);
  const n = length(value);
  const over = n - max;
  const id = `text-${network}`;
  return html`<label class="field text-field">
    <span class="field-label">${t('editor.textFor', { network: t(`network.${network}`) })}</span>
    <textarea id=${id} name=${id} rows="3" value=${value} onInput=${(e) => onText(network, e.currentTarget.value)}
      aria-describedby=${`${id}-count`} aria-invalid=${over > 0 ? 'true' : null}></textarea>
    <span class=${`counter ${over > 0 ? 'counter-over' : n > max * 0.9 ? 'counter-near' : ''}`} id=${`${id}-count`}
      data-count=${n} data-max=${max} aria-live=${over > 0 ? 'polite' : 'off'}>
      ${over > 0 ? t('editor.over', { over: fmt.int(over), max: fmt.int(max) }) : t('editor.count', { n: fmt.int(n), max: fmt.int(max) })}
    </span>
  </label>`;
}

/** Publish now, schedule, expire, archive and pin an item already saved. */
function Lifecycle({ item, busy, act }) {
  const [publishAt, setPublishAt] = useState(toLocalInput(item.publishAt));
  const [expiresAt, setExpiresAt] = useState(toLocalInput(item.expiresAt));
  const [problem, setProblem] = useState(null);
  useEffect(() => {
    setPublishAt(toLocalInput(item.publishAt));
    setExpiresAt(toLocalInput(item.expiresAt));
  }, [item.publishAt, item.expiresAt]);
  const publish = (vars, done) => {
    setProblem(null);
    return act(async () => (await gql(PUBLISH, { id: item.id, ...vars })).publishContent, done);
  };
  const publishNow = () => publish({ expiresAt: fromLocalInput(expiresAt) }, t('editor.published'));
  const schedule = () => {
    const at = fromLocalInput(publishAt);
    if (!at) return setProblem(t('editor.scheduleMissing'));
    if (Date.parse(at) <= Date.now()) return setProblem(t('editor.scheduleFuture'));
    return publish({ publishAt: at, expiresAt: fromLocalInput(expiresAt) }, (next) =>
      t('editor.scheduled', { date: fmt.dateTime(next.publishAt) }),
    );
  };
  const expireNow = () => {
    const now = new Date();
    const after = new Date(Date.parse(item.publishAt) + 1000);
    return publish({ publishAt: item.publishAt, expiresAt: (now > after ? now : after).toISOString() }, t('editor.expired'));
  };
  const archive = () => act(async () => (await gql(ARCHIVE, { id: item.id })).archiveContent, t('editor.archived'));
  const pin = () =>
    act(
      async () => (await gql(UPDATE, { id: item.id, input: { ...inputOf(formOf(item)), pinned: !item.pinned } })).updateContent,
      item.pinned ? t('editor.unpinnedDone') : t('editor.pinnedDone'),
    );
  return html`<section class="card lifecycle" aria-labelledby="lifecycle-title">
    <h2 id="lifecycle-title">${t('editor.lifecycle')}</h2>
    <p id="content-status">
      <span class=${`badge badge-content-${item.status.toLowerCase()}`}>${t(`cstatus.${item.status}`)}</span>
      ${item.shareCount > 0 && html` <span class="muted small">${tn('editor.shares', item.shareCount, { n: fmt.int(item.shareCount) })}</span>`}
    </p>
    <label class="field">
      <span class="field-label">${t('editor.publishAt')}</span>
      <input type="datetime-local" id="publish-at" value=${publishAt} onInput=${(e) => setPublishAt(e.currentTarget.value)} />
    </label>
    <label class="field">
      <span class="field-label">${t('editor.expiresAt')}</span>
      <input type="datetime-local" id="expires-at" value=${expiresAt} onInput=${(e) => setExpiresAt(e.currentTarget.value)}
        aria-describedby="expires-hint" />
      <span class="field-hint" id="expires-hint">${t('editor.expiresHint')}</span>
    </label>
    ${problem && html`<p class="field-error" role="alert">${problem}</p>`}
    <div class="button-row">
      <button type="button" class="button primary" id="publish-now" onClick=${publishNow} disabled=${busy}>${t('editor.publishNow')}</button>
      <button type="button" class="button secondary" id="schedule" onClick=${schedule} disabled=${busy}>${t('editor.schedule')}</button>
      ${item.status === 'PUBLISHED' &&
      html`<button type="button" class="button secondary" id="expire-now" onClick=${expireNow} disabled=${busy}>${t('editor.expireNow')}</button>`}
      <button type="button" class="button secondary" id="pin" onClick=${pin} disabled=${busy}>
        ${item.pinned ? t('editor.unpin') : t('editor.pin')}
      </button>
      ${item.status !== 'ARCHIVED' &&
      html`<button type="button" class="button danger" id="archive" onClick=${archive} disabled=${busy}>${t('editor.archive')}</button>`}
    </div>
  </section>`;
}
