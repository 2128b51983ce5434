// Charts drawn by uPlot. Each chart is decoration for sighted readers: the
// same figures are always on the page as text or a table, so the canvas is
// hidden from assistive technology.
import uPlot from '../vendor/uplot/uPlot.esm.js';
import { html, useEffect, useRef } from './lib.js';
import { fmt } from './i18n.js';

export const COLORS = { shares: '#2547d0', clicks: '#0b8a66', reach: '#c26a00' };

const AXIS = { stroke: '#4a5466', grid: { stroke: '#e8ebf2', width: 1 }, ticks: { stroke: '#e8ebf2', width: 1 } };
const utc = (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC');
const dayOf = (ts) => new Date(ts * 1000).toISOString().slice(0, 10);

/** Mounts a uPlot chart that follows its box's width. */
function usePlot(box, build, deps) {
  useEffect(() => {
    const el = box.current;
    if (!el) return undefined;
    let width = el.clientWidth || 600;
    el.replaceChildren();
    const plot = build(width, el);
    let frame = 0;
    const observer = new ResizeObserver(() => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => {
        const next = el.clientWidth;
        if (next && Math.abs(next - width) > 1) {
          width = next;
          plot.setSize({ width, height: plot.height });
        }
      });
    });
    observer.observe(el);
    return () => {
      cancelAnimationFrame(frame);
      observer.disconnect();
      plot.destroy();
    };
  }, deps);
}

/**
 * Daily lines: `series` is [{ label, values, color, scale: 'count'|'reach' }],
 * counts on the left axis, reach (larger numbers) on the right.
 */
export function DailyChart({ dates, series, xLabel, height = 280 }) {
  const box = useRef(null);
  const key = JSON.stringify([dates, series.map((s) => [s.label, s.values])]);
  usePlot(
    box,
    (width, el) => {
      const hasReach = series.some((s) => s.scale === 'reach');
      const axes = [
        { ...AXIS, values: (u, ticks) => ticks.map((ts) => fmt.dayShort(dayOf(ts))) },
        { ...AXIS, scale: 'count', values: (u, ticks) => ticks.map((v) => fmt.compact(v)), size: 56 },
      ];
      if (hasReach) {
        axes.push({
          ...AXIS,
          scale: 'reach',
          side: 1,
          grid: { show: false },
          values: (u, ticks) => ticks.map((v) => fmt.compact(v)),
          size: 60,
        });
      }
      return new uPlot(
        {
          width,
          height,
          tzDate: utc,
          scales: { x: { time: true }, count: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] }, reach: { range: (u, min, max) => [0, Math.max(4, max * 1.1)] } },
          cursor: { drag: { x: false, y: false }, points: { size: 7 } },
          legend: { live: true },
          series: [
            { label: xLabel, value: (u, ts) => (ts == null ? '' : fmt.day(dayOf(ts))) },
            ...series.map((s) => ({
              label: s.label,
              scale: s.scale,
              stroke: s.color,
              width: 2,
              fill: s.fill,
              points: { show: dates.length <= 31, size: 4, fill: s.color },
              value: (u, v) => (v == null ? '–' : fmt.int(v)),
            })),
          ],
          axes,
        },
        [dates.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000), ...series.map((s) => s.values)],
        el,
      );
    },
    [key, height, xLabel],
  );
  return html`<div class="chart" ref=${box} aria-hidden="true"></div>`;
}

/** One bar per category (e.g. per network). */
export function BarChart({ labels, values, label, color = COLORS.shares, height = 240 }) {
  const box = useRef(null);
  const key = JSON.stringify([labels, values, label]);
  usePlot(
    box,
    (width, el) =>
      new uPlot(
        {
          width,
          height,
          scales: {
            x: { time: false, range: () => [-0.5, labels.length - 0.5] },
            y: { range: (u, min, max) => [0, Math.max(4, max * 1.15)] },
          },
          cursor: { drag: { x: false, y: false }, points: { show: false } },
          legend: { show: false },
          series: [
            {},
            {
              label,
              fill: color,
              stroke: color,
              width: 0,
              paths: uPlot.paths.bars({ size: [0.6, 72] }),
              points: { show: false },
            },
          ],
          axes: [
            {
              ...AXIS,
              grid: { show: false },
              splits: () => labels.map((_, i) => i),
              values: (u, ticks) => ticks.map((i) => labels[i] ?? ''),
            },
            { ...AXIS, values: (u, ticks) => ticks.map((v) => fmt.compact(v)), size: 56 },
          ],
        },
        [labels.map((_, i) => i), values],
        el,
      ),
    [key, height],
  );
  return html`<div class="chart" ref=${box} aria-hidden="true"></div>`;
}
