import { html, useState } from '../lib.js';
import { t, tn, fmt } from '../i18n.js';
import { navigate, href } from '../router.js';
import { rangeOf, rangeParams } from '../range.js';
import { download } from '../api.js';
import { describe } from '../errors.js';
import { useQuery, Loading, ErrorNotice, PageHeader, Figure, RangePicker, Section, TableWrap } from '../ui.js';
import { DailyChart, BarChart, COLORS } from '../charts.js';

export const NETWORKS = ['LINKEDIN', 'X', 'FACEBOOK', 'INSTAGRAM', 'XING', 'TIKTOK', 'OTHER'];

const QUERY = `query Engagement($filter: EngagementFilter!, $contentId: ID!, $withContent: Boolean!) {
  organization { settings { individualAnalytics minimumGroupSize } }
  groups { id name memberCount }
  topics { id name }
  content(id: $contentId) @include(if: $withContent) { id title }
  engagement(filter: $filter) {
    from to
    totals {
      shares clicks potentialReach earnedMediaValue activeAmbassadors enrolledAmbassadors
      participationRate clickThroughRate
    }
    daily { date shares clicks potentialReach }
    byNetwork { network shares clicks potentialReach }
    byGroup {
      group { id name memberCount }
      shares activeAmbassadors enrolledAmbassadors participationRate
    }
    topContent(first: 10) { content { id title kind } shares clicks potentialReach }
    topAmbassadors(first: 10) { user { id displayName } shares clicks potentialReach }
  }
}`;

/** The filters the address holds, as the API takes them. */
function filtersOf(params) {
  const filters = {};
  for (const [param, field] of [
    ['group', 'groupId'],
    ['network', 'network'],
    ['topic', 'topicId'],
    ['content', 'contentId'],
  ]) {
    const value = params.get(param);
    if (value) filters[field] = value;
  }
  if (filters.network && !NETWORKS.includes(filters.network)) delete filters.network;
  return filters;
}

export function Engagement({ params }) {
  const range = rangeOf(params);
  const filters = filtersOf(params);
  const q = useQuery(QUERY, {
    filter: { from: range.from, to: range.to, ...filters },
    contentId: filters.contentId ?? '',
    withContent: Boolean(filters.contentId),
  });
  const go = (changes) => {
    const next = Object.fromEntries(params);
    delete next.days;
    delete next.from;
    delete next.to;
    Object.assign(next, rangeParams(changes.range ?? range));
    for (const [key, value] of Object.entries(changes.filters ?? {})) {
      if (value) next[key] = value;
      else delete next[key];
    }
    navigate(href('/engagement', next));
  };
  const data = q.data;
  const report = data?.engagement;
  return html`<div class="page" id="engagement" data-loading=${q.fresh ? 'false' : 'true'} data-from=${report?.from} data-to=${report?.to}>
    <${PageHeader} title=${t('engagement.title')} />
    <div class="toolbar">
      <${RangePicker} range=${range} onChange=${(r) => go({ range: r })} />
      <${CsvButton} range=${range} />
    </div>
    <${ErrorNotice} error=${q.error} onRetry=${q.reload} />
    ${!data && !q.error && html`<${Loading} />`}
    ${data && html`<${Filters} data=${data} params=${params} onChange=${(f) => go({ filters: f })} />`}
    ${report && html`<div class=${q.loading ? 'stale' : ''} aria-busy=${q.loading ? 'true' : 'false'}>
      ${q.loading && html`<${Loading} label=${t('app.updating')} />`}
      <div class="kpis">
        <${Figure} id="eng-shares" tone="primary" label=${t('kpi.shares')} value=${report.totals.shares} display=${fmt.int(report.totals.shares)}
          note=${t('kpi.participationNote', { active: fmt.int(report.totals.activeAmbassadors), enrolled: fmt.int(report.totals.enrolledAmbassadors) })} />
        <${Figure} id="eng-reach" label=${t('kpi.reach')} value=${report.totals.potentialReach}
          display=${fmt.int(report.totals.potentialReach)} note=${t('kpi.reachNote')} />
        <${Figure} id="eng-clicks" label=${t('kpi.clicks')} value=${report.totals.clicks} display=${fmt.int(report.totals.clicks)}
          note=${t('kpi.ctr', { pct: fmt.pct(report.totals.clickThroughRate, 2) })} />
        <${Figure} id="eng-emv" label=${t('kpi.emv')} value=${report.totals.earnedMediaValue}
          display=${fmt.amount(report.totals.earnedMediaValue)}
          note=${report.totals.earnedMediaValue > 0 || report.totals.potentialReach === 0 ? t('kpi.emvNote') : t('kpi.emvNone')} />
      </div>
      <${Daily} report=${report} />
      <div class="grid-2">
        <${ByNetwork} report=${report} />
        <${TopContent} report=${report} onPick=${(id) => go({ filters: { content: id } })} />
      </div>
      <div class="grid-2">
        <${ByGroup} report=${report} groups=${data.groups} minimum=${data.organization.settings.minimumGroupSize} />
        <${TopAmbassadors} report=${report} named=${data.organization.settings.individualAnalytics} />
      </div>
    </div>`}
  </div>`;
}

function Filters({ data, params, onChange }) {
  const select = (name, label, options) => html`<label class="field field-inline">
    <span class="field-label">${label}</span>
    <select name=${name} value=${params.get(name) ?? ''} onChange=${(e) => onChange({ [name]: e.currentTarget.value })}>
      <option value="">${t('engagement.any')}</option>
      ${options.map(([value, text]) => html`<option value=${value}>${text}</option>`)}
    </select>
  </label>`;
  return html`<div class="filters" role="group" aria-label=${t('engagement.filters')}>
    ${select('group', t('engagement.group'), data.groups.map((g) => [g.id, g.name]))}
    ${select('network', t('engagement.network'), NETWORKS.map((n) => [n, t(`network.${n}`)]))}
    ${select('topic', t('engagement.topic'), data.topics.map((tp) => [tp.id, tp.name]))}
    ${params.get('content') &&
    html`<div class="chip" id="content-filter">
      <span><span class="muted">${t('engagement.content')}:</span> ${data.content?.title ?? '…'}</span>
      <button type="button" class="button secondary small" onClick=${() => onChange({ content: null })}>
        ${t('engagement.clearContent')}
      </button>
    </div>`}
  </div>`;
}

function Daily({ report }) {
  const dates = report.daily.map((d) => d.date);
  return html`<${Section} id="daily" title=${t('engagement.daily')} wide>
    <${DailyChart}
      dates=${dates}
      xLabel=${t('engagement.date')}
      series=${[
        { label: t('col.shares'), values: report.daily.map((d) => d.shares), color: COLORS.shares, scale: 'count' },
        { label: t('col.clicks'), values: report.daily.map((d) => d.clicks), color: COLORS.clicks, scale: 'count' },
        { label: t('col.reach'), values: report.daily.map((d) => d.potentialReach), color: COLORS.reach, scale: 'reach' },
      ]}
    />
    <details class="figures-table">
      <summary>${t('engagement.dailyTable')}</summary>
      <${TableWrap} label=${t('engagement.daily')}>
        <table class="table">
          <thead><tr><th scope="col">${t('engagement.date')}</th><th scope="col" class="num">${t('col.shares')}</th>
            <th scope="col" class="num">${t('col.clicks')}</th><th scope="col" class="num">${t('col.reach')}</th></tr></thead>
          <tbody>
            ${report.daily.map(
              (d) => html`<tr><th scope="row">${fmt.day(d.date)}</th><td class="num">${fmt.int(d.shares)}</td>
                <td class="num">${fmt.int(d.clicks)}</td><td class="num">${fmt.int(d.potentialReach)}</td></tr>`,
            )}
          </tbody>
        </table>
      <//>
    </details>
  <//>`;
}

function ByNetwork({ report }) {
  const rows = report.byNetwork;
  return html`<${Section} id="by-network" title=${t('engagement.byNetwork')}>
    <${BarChart} labels=${rows.map((r) => t(`network.${r.network}`))} values=${rows.map((r) => r.shares)} label=${t('col.shares')} />
    <${TableWrap} label=${t('engagement.byNetwork')}>
      <table class="table">
        <thead><tr><th scope="col">${t('engagement.network')}</th><th scope="col" class="num">${t('col.shares')}</th>
          <th scope="col" class="num">${t('col.clicks')}</th><th scope="col" class="num">${t('col.reach')}</th></tr></thead>
        <tbody>
          ${rows.map(
            (r) => html`<tr data-network=${r.network}><th scope="row">${t(`network.${r.network}`)}</th>
              <td class="num">${fmt.int(r.shares)}</td><td class="num">${fmt.int(r.clicks)}</td>
              <td class="num">${fmt.int(r.potentialReach)}</td></tr>`,
          )}
        </tbody>
      </table>
    <//>
  <//>`;
}

function ByGroup({ report, groups, minimum }) {
  const hidden = groups.filter((g) => g.memberCount < minimum).length;
  return html`<${Section} id="by-group" title=${t('engagement.byGroup')}>
    <p class="privacy" id="group-privacy">
      <span class="privacy-icon" aria-hidden="true"></span>
      <span>
        ${t('engagement.privacy', { n: fmt.int(minimum) })}
        ${hidden > 0 && html` ${tn('engagement.hiddenGroups', hidden, { count: fmt.int(hidden), total: fmt.int(groups.length) })}`}
      </span>
    </p>
    ${report.byGroup.length === 0
      ? html`<p class="muted">${t('engagement.noGroups')}</p>`
      : html`<${TableWrap} label=${t('engagement.byGroup')}>
          <table class="table">
            <thead><tr><th scope="col">${t('engagement.groupName')}</th><th scope="col" class="num">${t('engagement.members')}</th>
              <th scope="col" class="num">${t('engagement.sharingOfEnrolled')}</th>
              <th scope="col" class="num">${t('engagement.participation')}</th><th scope="col" class="num">${t('col.shares')}</th></tr></thead>
            <tbody>
              ${report.byGroup.map(
                (g) => html`<tr data-group=${g.group.id}><th scope="row">${g.group.name}</th>
                  <td class="num">${fmt.int(g.group.memberCount)}</td>
                  <td class="num">${t('engagement.sharingValue', { active: fmt.int(g.activeAmbassadors), enrolled: fmt.int(g.enrolledAmbassadors) })}</td>
                  <td class="num">${fmt.pct(g.participationRate)}</td>
                  <td class="num">${fmt.int(g.shares)}</td></tr>`,
              )}
            </tbody>
          </table>
        <//>`}
  <//>`;
}

function TopContent({ report, onPick }) {
  return html`<${Section} id="top-content" title=${t('engagement.topContent')}>
    ${report.topContent.length === 0
      ? html`<p class="muted">${t('engagement.noContent')}</p>`
      : html`<${TableWrap} label=${t('engagement.topContent')}>
          <table class="table">
            <thead><tr><th scope="col">${t('engagement.title.col')}</th><th scope="col" class="num">${t('col.shares')}</th>
              <th scope="col" class="num">${t('col.clicks')}</th><th scope="col" class="num">${t('col.reach')}</th></tr></thead>
            <tbody>
              ${report.topContent.map(
                (c) => html`<tr>
                  <th scope="row">
                    <button type="button" class="link-button" onClick=${() => onPick(c.content.id)}
                      title=${t('engagement.filterBy')}>${c.content.title}</button>
                    <span class="muted small"> ${t(`kind.${c.content.kind}`)}</span>
                  </th>
                  <td class="num">${fmt.int(c.shares)}</td><td class="num">${fmt.int(c.clicks)}</td>
                  <td class="num">${fmt.int(c.potentialReach)}</td></tr>`,
              )}
            </tbody>
          </table>
        <//>`}
  <//>`;
}

function TopAmbassadors({ report, named }) {
  return html`<${Section} id="top-ambassadors" title=${t('engagement.topAmbassadors')}>
    ${!named
      ? html`<p class="privacy" id="named-off"><span class="privacy-icon" aria-hidden="true"></span><span>${t('engagement.namedOff')}</span></p>`
      : report.topAmbassadors.length === 0
        ? html`<p class="muted">${t('engagement.namedNone')}</p>`
        : html`<${TableWrap} label=${t('engagement.topAmbassadors')}>
            <table class="table">
              <thead><tr><th scope="col">${t('engagement.person')}</th><th scope="col" class="num">${t('col.shares')}</th>
                <th scope="col" class="num">${t('col.clicks')}</th><th scope="col" class="num">${t('col.reach')}</th></tr></thead>
              <tbody>
                ${report.topAmbassadors.map(
                  (a) => html`<tr><th scope="row">${a.user.displayName}</th><td class="num">${fmt.int(a.shares)}</td>
                    <td class="num">${fmt.int(a.clicks)}</td><td class="num">${fmt.int(a.potentialReach)}</td></tr>`,
                )}
              </tbody>
            </table>
          <//>`}
  <//>`;
}

function CsvButton({ range }) {
  const [state, setState] = useState({ busy: false, error: null, done: null });
  const run = async () => {
    setState({ busy: true, error: null, done: null });
    try {
      const name = await download(
        `/export/engagement.csv?from=${range.from}&to=${range.to}`,
        `engagement-${range.from}-${range.to}.csv`,
      );
      setState({ busy: false, error: null, done: name });
    } catch (error) {
      setState({ busy: false, error, done: null });
    }
  };
  return html`<div class="csv">
    <button type="button" class="button primary" id="download-csv" onClick=${run} disabled=${state.busy}
      aria-describedby="csv-note">
      ${state.busy ? t('engagement.downloading') : t('engagement.download')}
    </button>
    <span class="muted small" id="csv-note">${t('engagement.downloadNote')}</span>
    <span role="status" class="small">${state.done ? `✓ ${state.done}` : ''}</span>
    ${state.error && html`<p class="field-error" role="alert">${describe(state.error)}</p>`}
  </div>`;
}
