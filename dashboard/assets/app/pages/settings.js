import { html, useState, useEffect } from '../lib.js';
import { t } from '../i18n.js';
import { gql } from '../api.js';
import { useQuery, Loading, ErrorNotice, PageHeader, Section } from '../ui.js';
import { NETWORKS } from './engagement.js';

const FIELDS = `id name
  settings { individualAnalytics minimumGroupSize pointsPerShare charterVersion cpm { network amount } }
  companyFollowers { network count }`;
const LOAD = `query Settings { organization { ${FIELDS} } }`;
const SAVE = `mutation SaveSettings($input: OrganizationInput!) { updateOrganization(input: $input) { ${FIELDS} } }`;

function formOf(org) {
  const cpm = Object.fromEntries(org.settings.cpm.map((c) => [c.network, String(c.amount)]));
  const followers = Object.fromEntries(org.companyFollowers.map((c) => [c.network, String(c.count)]));
  return {
    individualAnalytics: org.settings.individualAnalytics,
    minimumGroupSize: String(org.settings.minimumGroupSize),
    pointsPerShare: String(org.settings.pointsPerShare),
    charterVersion: org.settings.charterVersion,
    cpm,
    followers,
  };
}

/** The input the API takes, or the first problem found. */
function inputOf(form) {
  const whole = (value, field, min, max) => {
    const n = Number(value);
    if (value === '' || !Number.isInteger(n) || n < min || n > max) throw t('settings.range', { field, min, max });
    return n;
  };
  const perNetwork = (values, field, parse) =>
    NETWORKS.filter((n) => (values[n] ?? '').trim() !== '').map((n) => {
      const v = Number(values[n].replace(',', '.'));
      if (!Number.isFinite(v) || v < 0) throw t('settings.invalidNumber', { field: `${field} (${t(`network.${n}`)})` });
      return parse(n, v);
    });
  return {
    individualAnalytics: form.individualAnalytics,
    minimumGroupSize: whole(form.minimumGroupSize, t('settings.minGroup'), 1, 1000),
    pointsPerShare: whole(form.pointsPerShare, t('settings.points'), 0, 1000),
    charterVersion: form.charterVersion.trim(),
    cpm: perNetwork(form.cpm, t('settings.cpm'), (network, amount) => ({ network, amount })),
    companyFollowers: perNetwork(form.followers, t('settings.followers'), (network, count) => ({
      network,
      count: Math.round(count),
    })),
  };
}

export function Settings() {
  const q = useQuery(LOAD, {});
  const [form, setForm] = useState(null);
  const [state, setState] = useState({ busy: false, error: null, problem: null, saved: false });
  useEffect(() => {
    if (q.data) setForm(formOf(q.data.organization));
  }, [q.data]);
  const set = (field) => (e) => {
    const el = e.currentTarget;
    setForm((f) => ({ ...f, [field]: el.type === 'checkbox' ? el.checked : el.value }));
  };
  const setIn = (group, network) => (e) => {
    const value = e.currentTarget.value;
    setForm((f) => ({ ...f, [group]: { ...f[group], [network]: value } }));
  };
  const save = async (event) => {
    event.preventDefault();
    let input;
    try {
      input = inputOf(form);
    } catch (problem) {
      setState({ busy: false, error: null, problem, saved: false });
      return;
    }
    setState({ busy: true, error: null, problem: null, saved: false });
    try {
      const data = await gql(SAVE, { input });
      setForm(formOf(data.updateOrganization));
      setState({ busy: false, error: null, problem: null, saved: true });
    } catch (error) {
      setState({ busy: false, error, problem: null, saved: false });
    }
  };
  return html`<div class="page" id="settings">
    <${PageHeader} title=${t('settings.title')} lead=${q.data?.organization.name} />
    <${ErrorNotice} error=${q.error} onRetry=${q.reload} />
    ${!form && !q.error && html`<${Loading} />`}
    ${form &&
    html`<form onSubmit=${save} noValidate class="settings">
      ${state.problem && html`<div class="notice notice-error" role="alert"><p>${state.problem}</p></div>`}
      <${ErrorNotice} error=${state.error} />
      ${state.saved && html`<div class="notice notice-success" role="status" id="settings-saved"><p>${t('settings.saved')}</p></div>`}
      <div class="grid-2">
        <${Section} id="settings-programme" title=${t('settings.programme')}>
          <label class="check-label switch">
            <input type="checkbox" id="individual-analytics" checked=${form.individualAnalytics} onChange=${set('individualAnalytics')}
              aria-describedby="individual-hint" />
            <span>${t('settings.individual')}</span>
          </label>
          <p class="field-hint" id="individual-hint">${t('settings.individualHint')}</p>
          <label class="field">
            <span class="field-label">${t('settings.minGroup')}</span>
            <input type="number" id="minimum-group-size" min="1" max="1000" step="1" value=${form.minimumGroupSize}
              onInput=${set('minimumGroupSize')} aria-describedby="min-group-hint" />
            <span class="field-hint" id="min-group-hint">${t('settings.minGroupHint')}</span>
          </label>
          <label class="field">
            <span class="field-label">${t('settings.points')}</span>
            <input type="number" id="points-per-share" min="0" max="1000" step="1" value=${form.pointsPerShare}
              onInput=${set('pointsPerShare')} aria-describedby="points-hint" />
            <span class="field-hint" id="points-hint">${t('settings.pointsHint')}</span>
          </label>
          <label class="field">
            <span class="field-label">${t('settings.charter')}</span>
            <input id="charter-version" maxlength="50" value=${form.charterVersion} onInput=${set('charterVersion')}
              aria-describedby="charter-hint" />
            <span class="field-hint" id="charter-hint">${t('settings.charterHint')}</span>
          </label>
        <//>
        <div class="stack">
          <${NetworkNumbers} id="settings-followers" title=${t('settings.followers')} hint=${t('settings.followersHint')}
            values=${form.followers} onInput=${(n) => setIn('followers', n)} step="1" />
          <${NetworkNumbers} id="settings-cpm" title=${t('settings.cpm')} hint=${t('settings.cpmHint')}
            values=${form.cpm} onInput=${(n) => setIn('cpm', n)} step="0.01" />
        </div>
      </div>
      <div class="form-actions">
        <button type="submit" class="button primary" id="save-settings" disabled=${state.busy}>
          ${state.busy ? t('settings.saving') : t('settings.save')}
        </button>
      </div>
    </form>`}
  </div>`;
}

function NetworkNumbers({ id, title, hint, values, onInput, step }) {
  return html`<${Section} id=${id} title=${title} note=${hint}>
    <div class="network-grid">
      ${NETWORKS.map(
        (n) => html`<label class="field field-compact">
          <span class="field-label">${t(`network.${n}`)}</span>
          <input type="number" id=${`${id}-${n}`} min="0" step=${step} inputmode="decimal" value=${values[n] ?? ''} onInput=${onInput(n)} />
        </label>`,
      )}
    </div>
  <//>`;
}
