import { html, useState, useEffect } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { gql } from '../api.js';
import { describe } from '../errors.js';
import { useQuery, Loading, ErrorNotice, PageHeader, Section, TableWrap } from '../ui.js';

const CANDIDATES = `query Candidates {
  ambassadorCandidates(first: 50) { user { id displayName email } totalFollowers networks }
}`;

const INVITATIONS = `query Invitations($after: String) {
  invitations(first: 20, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { node { id sentAt message user { id displayName ambassadorStatus } invitedBy { displayName } } }
  }
}`;

const WAITING = `query Waiting {
  declined: users(first: 100, ambassadorStatus: DECLINED) { edges { node { id displayName ambassadorStatus reinvitableAt } } }
  withdrawn: users(first: 100, ambassadorStatus: WITHDRAWN) { edges { node { id displayName ambassadorStatus reinvitableAt } } }
}`;

const INVITE = `mutation Invite($ids: [ID!]!, $message: String) {
  inviteAmbassadors(userIds: $ids, message: $message) { invited { id displayName } skipped { userId reason } }
}`;

export function Programme() {
  const [version, setVersion] = useState(0);
  return html`<div class="page" id="programme">
    <${PageHeader} title=${t('programme.title')} />
    <${Candidates} version=${version} onInvited=${() => setVersion((v) => v + 1)} />
    <div class="grid-2 grid-wide-first">
      <${Invitations} version=${version} />
      <${Waiting} version=${version} />
    </div>
  </div>`;
}

function Candidates({ version, onInvited }) {
  const q = useQuery(CANDIDATES, { version });
  const [selected, setSelected] = useState(new Set());
  const [message, setMessage] = useState('');
  const [state, setState] = useState({ busy: false, error: null, result: null });
  const list = q.data?.ambassadorCandidates ?? [];
  const names = new Map(list.map((c) => [c.user.id, c.user.displayName]));
  const toggle = (id) =>
    setSelected((s) => {
      const next = new Set(s);
      next.has(id) ? next.delete(id) : next.add(id);
      return next;
    });
  const invite = async (event) => {
    event.preventDefault();
    setState({ busy: true, error: null, result: null });
    try {
      const data = await gql(INVITE, { ids: [...selected], message: message.trim() || null });
      const result = data.inviteAmbassadors;
      setState({ busy: false, error: null, result: { ...result, names: new Map(names) } });
      setSelected(new Set());
      setMessage('');
      onInvited();
    } catch (error) {
      setState({ busy: false, error, result: null });
    }
  };
  const result = state.result;
  return html`<${Section} id="candidates" title=${t('programme.candidates')} note=${t('programme.candidatesNote')} wide>
    <${ErrorNotice} error=${q.error} onRetry=${q.reload} />
    ${result &&
    html`<div class="notice notice-success" role="status" id="invite-result">
      ${result.invited.length > 0 && html`<p>${t('programme.invited', { names: fmt.list(result.invited.map((u) => u.displayName)) })}</p>`}
      ${result.skipped.map(
        (s) => html`<p>${t('programme.skipped', { name: result.names.get(s.userId) ?? s.userId, reason: t(`skip.${s.reason}`) })}</p>`,
      )}
    </div>`}
    ${!q.data && !q.error && html`<${Loading} />`}
    ${q.data &&
    (list.length === 0
      ? html`<p class="muted" id="no-candidates">${t('programme.noCandidates')}</p>`
      : html`<form onSubmit=${invite}>
          <${TableWrap} label=${t('programme.candidates')}>
            <table class="table">
              <thead>
                <tr>
                  <th scope="col" class="check"><span class="sr-only">${t('programme.invite', { n: '' })}</span></th>
                  <th scope="col">${t('programme.name')}</th>
                  <th scope="col">${t('programme.networks')}</th>
                  <th scope="col" class="num">${t('programme.followers')}</th>
                </tr>
              </thead>
              <tbody>
                ${list.map(
                  (c) => html`<tr data-candidate=${c.user.id}>
                    <td class="check">
                      <input type="checkbox" id=${`pick-${c.user.id}`} checked=${selected.has(c.user.id)}
                        onChange=${() => toggle(c.user.id)} aria-label=${t('programme.select', { name: c.user.displayName })} />
                    </td>
                    <th scope="row"><label for=${`pick-${c.user.id}`}>${c.user.displayName}</label>
                      <div class="muted small">${c.user.email}</div></th>
                    <td>${c.networks.map((n) => html`<span class="tag">${t(`network.${n}`)}</span>`)}</td>
                    <td class="num">${fmt.int(c.totalFollowers)}</td>
                  </tr>`,
                )}
              </tbody>
            </table>
          <//>
          <div class="invite-bar">
            <label class="field grow">
              <span class="field-label">${t('programme.message')}</span>
              <textarea name="message" rows="2" maxlength="1000" value=${message}
                onInput=${(e) => setMessage(e.currentTarget.value)}></textarea>
            </label>
            <button type="submit" class="button primary" id="invite" disabled=${state.busy || selected.size === 0}>
              ${state.busy ? t('programme.inviting') : t('programme.invite', { n: selected.size })}
            </button>
          </div>
          ${state.error && html`<div class="notice notice-error" role="alert"><p>${describe(state.error)}</p></div>`}
        </form>`)}
  <//>`;
}

function Invitations({ version }) {
  const [pages, setPages] = useState({ edges: [], next: null, total: 0, loading: true, error: null });
  const load = async (after, reset) => {
    setPages((p) => ({ ...p, loading: true, error: null }));
    try {
      const data = (await gql(INVITATIONS, { after })).invitations;
      setPages((p) => ({
        edges: [...(reset ? [] : p.edges), ...data.edges],
        next: data.pageInfo.hasNextPage ? data.pageInfo.endCursor : null,
        total: data.totalCount,
        loading: false,
        error: null,
      }));
    } catch (error) {
      setPages((p) => ({ ...p, loading: false, error }));
    }
  };
  useEffect(() => {
    load(null, true);
  }, [version]);
  return html`<${Section} id="invitations" title=${t('programme.invitations')} note=${t('programme.invitationsNote')}>
    <${ErrorNotice} error=${pages.error} onRetry=${() => load(null, true)} />
    ${pages.loading && pages.edges.length === 0 && html`<${Loading} />`}
    ${!pages.loading && pages.edges.length === 0 && !pages.error && html`<p class="muted">${t('programme.noInvitations')}</p>`}
    ${pages.edges.length > 0 &&
    html`<${TableWrap} label=${t('programme.invitations')}>
      <table class="table">
        <thead><tr><th scope="col">${t('programme.name')}</th><th scope="col">${t('programme.sentAt')}</th>
          <th scope="col">${t('programme.status')}</th><th scope="col">${t('programme.by')}</th></tr></thead>
        <tbody>
          ${pages.edges.map(
            ({ node }) => html`<tr data-invitation=${node.id} data-user=${node.user.id}>
              <th scope="row">${node.user.displayName}
                ${node.message && html`<div class="muted small" title=${t('programme.note')}>“${node.message}”</div>`}</th>
              <td class="date">${fmt.dateTime(node.sentAt)}</td>
              <td><span class=${`badge badge-status-${node.user.ambassadorStatus.toLowerCase()}`}>${t(`status.${node.user.ambassadorStatus}`)}</span></td>
              <td>${node.invitedBy?.displayName ?? '–'}</td>
            </tr>`,
          )}
        </tbody>
      </table>
    <//>`}
    ${pages.next &&
    html`<button type="button" class="button secondary small" onClick=${() => load(pages.next, false)} disabled=${pages.loading}>
      ${t('programme.more')}
    </button>`}
  <//>`;
}

function Waiting({ version }) {
  const q = useQuery(WAITING, { version });
  const people = q.data
    ? [...q.data.declined.edges, ...q.data.withdrawn.edges]
        .map((e) => e.node)
        .sort((a, b) => (a.reinvitableAt ?? '').localeCompare(b.reinvitableAt ?? ''))
    : [];
  const now = Date.now();
  return html`<${Section} id="ninety-days" title=${t('programme.rule')} note=${t('programme.ruleNote')}>
    <${ErrorNotice} error=${q.error} onRetry=${q.reload} />
    ${!q.data && !q.error && html`<${Loading} />`}
    ${q.data &&
    (people.length === 0
      ? html`<p class="muted">${t('programme.noRule')}</p>`
      : html`<${TableWrap} label=${t('programme.rule')}>
          <table class="table">
            <thead><tr><th scope="col">${t('programme.name')}</th><th scope="col">${t('programme.status')}</th>
              <th scope="col">${t('programme.again')}</th></tr></thead>
            <tbody>
              ${people.map(
                (p) => html`<tr data-waiting=${p.id}>
                  <th scope="row">${p.displayName}</th>
                  <td>${t(`status.${p.ambassadorStatus}`)}</td>
                  <td>${!p.reinvitableAt || Date.parse(p.reinvitableAt) <= now
                    ? t('programme.againNow')
                    : t('programme.againFrom', { date: fmt.date(p.reinvitableAt) })}</td>
                </tr>`,
              )}
            </tbody>
          </table>
        <//>`)}
  <//>`;
}
