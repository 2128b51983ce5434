import { html } from '../lib.js';
import { t, fmt } from '../i18n.js';
import { navigate, href } from '../router.js';
import { rangeOf, rangeParams } from '../range.js';
import { useQuery, Loading, ErrorNotice, PageHeader, Figure, RangePicker, Section } from '../ui.js';
import { DailyChart, COLORS } from '../charts.js';

const QUERY = `query Overview($filter: EngagementFilter!) {
  organization { companyFollowers { network count } }
  engagement(filter: $filter) {
    from to
    funnel { employees invited active paused declined withdrawn }
    totals {
      shares clicks potentialReach earnedMediaValue activeAmbassadors enrolledAmbassadors
      participationRate clickThroughRate networkMultiplier
    }
    daily { date shares }
  }
}`;

const FUNNEL = ['employees', 'invited', 'active', 'paused', 'declined', 'withdrawn'];

export function Overview({ params }) {
  const range = rangeOf(params);
  const q = useQuery(QUERY, { filter: { from: range.from, to: range.to } });
  const report = q.data?.engagement;
  return html`<div class="page" id="overview" data-loading=${q.fresh ? 'false' : 'true'} data-from=${report?.from} data-to=${report?.to}>
    <${PageHeader} title=${t('overview.title')} />
    <div class="toolbar">
      <${RangePicker} range=${range} onChange=${(r) => navigate(href('/overview', rangeParams(r)))} />
    </div>
    <${ErrorNotice} error=${q.error} onRetry=${q.reload} />
    ${!report && !q.error && html`<${Loading} />`}
    ${report && html`<div class=${q.loading ? 'stale' : ''} aria-busy=${q.loading ? 'true' : 'false'}>
      ${q.loading && html`<${Loading} label=${t('app.updating')} />`}
      <${Headline} report=${report} org=${q.data.organization} />
      <div class="grid-2">
        <${Funnel} funnel=${report.funnel} />
        <${Section} id="daily" title=${t('overview.daily')}
          actions=${html`<a class="link-more" href=${href('/engagement', rangeParams(range))}>${t('overview.more')}</a>`}>
          <div class="stat-strip">
            <${Figure} id="fig-shares" label=${t('kpi.shares')} value=${report.totals.shares} display=${fmt.int(report.totals.shares)} />
            <${Figure} id="fig-reach" label=${t('kpi.reach')} value=${report.totals.potentialReach}
              display=${fmt.int(report.totals.potentialReach)} />
            <${Figure} id="fig-clicks" label=${t('kpi.clicks')} value=${report.totals.clicks} display=${fmt.int(report.totals.clicks)}
              note=${t('kpi.ctr', { pct: fmt.pct(report.totals.clickThroughRate, 2) })} />
          </div>
          <${DailyChart}
            height=${220}
            xLabel=${t('engagement.date')}
            dates=${report.daily.map((d) => d.date)}
            series=${[{ label: t('col.shares'), values: report.daily.map((d) => d.shares), color: COLORS.shares, fill: 'rgba(37,71,208,0.08)', scale: 'count' }]}
          />
        <//>
      </div>
    </div>`}
  </div>`;
}

function Headline({ report, org }) {
  const totals = report.totals;
  const company = org.companyFollowers.reduce((sum, n) => sum + n.count, 0);
  return html`<div class="kpis">
    <${Figure} id="fig-enrolled" tone="primary" label=${t('kpi.enrolled')} value=${totals.enrolledAmbassadors}
      display=${fmt.int(totals.enrolledAmbassadors)} note=${t('kpi.enrolledNote')} />
    <${Figure} id="fig-participation" label=${t('kpi.participation')} value=${totals.participationRate}
      display=${fmt.pct(totals.participationRate)}
      note=${t('kpi.participationNote', { active: fmt.int(totals.activeAmbassadors), enrolled: fmt.int(totals.enrolledAmbassadors) })} />
    <${Figure} id="fig-multiplier" label=${t('kpi.multiplier')} value=${totals.networkMultiplier}
      display=${company ? fmt.ratio(totals.networkMultiplier) : '–'}
      note=${company
        ? t('kpi.multiplierNote', { company: fmt.int(company), people: fmt.int(Math.round(totals.networkMultiplier * company)) })
        : t('kpi.multiplierNone')} />
    <${Figure} id="fig-emv" label=${t('kpi.emv')} value=${totals.earnedMediaValue}
      display=${fmt.amount(totals.earnedMediaValue)}
      note=${totals.earnedMediaValue > 0 || totals.potentialReach === 0 ? t('kpi.emvNote') : t('kpi.emvNone')} />
  </div>`;
}

function Funnel({ funnel }) {
  const max = Math.max(1, funnel.employees);
  return html`<${Section} id="funnel" title=${t('overview.funnel')} note=${t('overview.funnelNote')}>
    <ol class="funnel">
      ${FUNNEL.map((key) => {
        const value = funnel[key];
        return html`<li class=${`funnel-row funnel-${key}`} id=${`funnel-${key}`} data-value=${value}>
          <span class="funnel-label">${t(`funnel.${key}`)}</span>
          <span class="funnel-bar" aria-hidden="true"><span style=${{ width: `${(100 * value) / max}%` }}></span></span>
          <span class="funnel-count">${fmt.int(value)}</span>
          <span class="funnel-pct">${key === 'employees' ? '' : t('funnel.ofEmployees', { pct: fmt.pct(value / max) })}</span>
        </li>`;
      })}
    </ol>
  <//>`;
}
