import { html, useState, useEffect, useRef } from '../lib.js';
import { t, tn, fmt, language } from '../i18n.js';
import { gql } from '../api.js';
import { navigate, href } from '../router.js';
import { Loading, ErrorNotice, PageHeader, TableWrap } from '../ui.js';

export const STATUSES = ['DRAFT', 'SCHEDULED', 'PUBLISHED', 'EXPIRED', 'ARCHIVED'];

const LIST = `query Contents($after: String, $status: ContentStatus, $search: String) {
  contents(first: 25, after: $after, status: $status, search: $search) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id title kind language status publishAt expiresAt pinned shareCount } }
  }
}`;

export function ContentList({ params }) {
  const status = STATUSES.includes(params.get('status')) ? params.get('status') : null;
  const search = params.get('q') ?? '';
  const [typed, setTyped] = useState(search);
  const [list, setList] = useState({ edges: [], next: null, total: 0, loading: true, error: null, key: null });
  const seq = useRef(0);
  const key = JSON.stringify([status, search]);

  const load = async (after) => {
    const mine = ++seq.current;
    setList((l) => ({ ...l, loading: true, error: null }));
    try {
      const data = (await gql(LIST, { after, status, search: search || null })).contents;
      if (mine !== seq.current) return;
      setList((l) => ({
        edges: [...(after ? l.edges : []), ...data.edges],
        next: data.pageInfo.hasNextPage ? data.pageInfo.endCursor : null,
        total: data.totalCount,
        loading: false,
        error: null,
        key,
      }));
    } catch (error) {
      if (mine === seq.current) setList((l) => ({ ...l, loading: false, error }));
    }
  };
  useEffect(() => {
    load(null);
  }, [key]);
  // Searching follows typing after a short pause.
  useEffect(() => {
    if (typed === search) return undefined;
    const timer = setTimeout(() => setParams({ q: typed.trim() || null }), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  function setParams(changes) {
    const next = { ...(status ? { status } : {}), ...(search ? { q: search } : {}) };
    for (const [k, v] of Object.entries(changes)) {
      if (v) next[k] = v;
      else delete next[k];
    }
    navigate(href('/content', next), { replace: 'q' in changes });
  }

  const names = new Intl.DisplayNames([language()], { type: 'language' });
  const languageName = (tag) => {
    try {
      return names.of(tag) ?? tag;
    } catch {
      return tag;
    }
  };
  return html`<div class="page" id="content-list" data-loading=${list.loading || list.key !== key ? 'true' : 'false'}>
    <${PageHeader} title=${t('content.title')}>
      <a class="button primary" href=${href('/content/new')} id="new-content">${t('content.new')}</a>
    <//>
    <div class="toolbar">
      <div class="segmented" role="group" aria-label=${t('content.status')}>
        ${[null, ...STATUSES].map(
          (s) => html`<button type="button" class="segment" data-status=${s ?? 'ALL'} aria-pressed=${status === s ? 'true' : 'false'}
            onClick=${() => setParams({ status: s })}>${s ? t(`cstatus.${s}`) : t('content.all')}</button>`,
        )}
      </div>
      <label class="field field-inline search">
        <span class="field-label">${t('content.search')}</span>
        <input type="search" name="q" value=${typed} onInput=${(e) => setTyped(e.currentTarget.value)} />
      </label>
    </div>
    <${ErrorNotice} error=${list.error} onRetry=${() => load(null)} />
    ${list.loading && list.key !== key && html`<${Loading} />`}
    ${list.key === key &&
    html`<section class="card card-wide" aria-labelledby="content-count">
      <p class="muted" id="content-count">${tn('content.count', list.total, { n: fmt.int(list.total) })}</p>
      ${list.edges.length === 0
        ? html`<p class="muted">${t('content.none')}</p>`
        : html`<${TableWrap} label=${t('content.title')}>
            <table class="table">
              <thead><tr>
                <th scope="col">${t('content.col.title')}</th><th scope="col">${t('content.col.kind')}</th>
                <th scope="col">${t('content.col.language')}</th><th scope="col">${t('content.col.status')}</th>
                <th scope="col">${t('content.col.publishAt')}</th><th scope="col">${t('content.col.expiresAt')}</th>
                <th scope="col" class="num">${t('content.col.shares')}</th>
              </tr></thead>
              <tbody>
                ${list.edges.map(
                  ({ node }) => html`<tr data-content=${node.id}>
                    <th scope="row">
                      <a href=${href(`/content/${node.id}`)}>${node.title}</a>
                      ${node.pinned && html` <span class="tag tag-pin">${t('content.pinned')}</span>`}
                    </th>
                    <td>${t(`kind.${node.kind}`)}</td>
                    <td>${node.language ? languageName(node.language) : t('content.languageAny')}</td>
                    <td><span class=${`badge badge-content-${node.status.toLowerCase()}`}>${t(`cstatus.${node.status}`)}</span></td>
                    <td class="date">${fmt.dateTime(node.publishAt)}</td>
                    <td class="date">${fmt.dateTime(node.expiresAt)}</td>
                    <td class="num">${fmt.int(node.shareCount)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          <//>`}
      ${list.next &&
      html`<button type="button" class="button secondary small" onClick=${() => load(list.next)} disabled=${list.loading}>
        ${t('content.more')}
      </button>`}
    </section>`}
  </div>`;
}
