// A horizontal bar chart drawn as inline SVG (no library): one bar per row, its label at the
// left and its count at the end. Scales with its container through the viewBox; the same
// numbers are always in a table next to it, so the SVG is one labelled image for screen readers.
import { t } from '../i18n.js';
import { h } from '../ui.js';

const NS = 'http://www.w3.org/2000/svg';

function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) if (v != null) el.setAttribute(k, String(v));
  for (const c of children) el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return el;
}

/** The longest label decides the left margin (CJK characters count about double). */
function labelWidth(labels, fontSize) {
  const units = Math.max(
    ...labels.map((s) => [...s].reduce((n, ch) => n + (ch.charCodeAt(0) > 255 ? 1 : 0.58), 0)),
  );
  return Math.min(260, Math.ceil(units * fontSize) + 12);
}

/**
 * `rows`: [{label, value}]. Answers an <figure> holding the SVG, titled `title`.
 * A round-number axis keeps bars comparable between months.
 */
export function barChart(rows, title, { id } = {}) {
  const titleId = `${id || 'chart'}-title`;
  if (!rows.length) return h('p', { class: 'muted' }, t('chart.empty'));
  const font = 14;
  const bar = 22;
  const gap = 10;
  const width = 480;
  const left = labelWidth(
    rows.map((r) => r.label),
    font,
  );
  const right = 48;
  const max = Math.max(1, ...rows.map((r) => r.value));
  const scale = (width - left - right) / max;
  const height = rows.length * (bar + gap) + gap;
  const chart = svg(
    'svg',
    {
      viewBox: `0 0 ${width} ${height}`,
      width: '100%',
      role: 'img',
      'aria-labelledby': titleId,
      class: 'ws-chart',
      preserveAspectRatio: 'xMinYMin meet',
      id,
    },
    svg(
      'title',
      { id: titleId },
      `${title}: ${rows.map((r) => `${r.label} ${r.value}`).join('，')}`,
    ),
  );
  rows.forEach((r, i) => {
    const y = gap + i * (bar + gap);
    const w = Math.max(r.value > 0 ? 2 : 0, r.value * scale);
    chart.append(
      svg(
        'text',
        {
          x: left - 8,
          y: y + bar / 2,
          'text-anchor': 'end',
          'dominant-baseline': 'central',
          'font-size': font,
          class: 'ws-chart-label',
        },
        r.label,
      ),
      svg('rect', {
        x: left,
        y,
        width: w,
        height: bar,
        rx: 3,
        class: 'ws-chart-bar',
        'data-value': r.value,
      }),
      svg(
        'text',
        {
          x: left + w + 6,
          y: y + bar / 2,
          'dominant-baseline': 'central',
          'font-size': font,
          class: 'ws-chart-value',
        },
        r.value,
      ),
    );
  });
  return h('figure', { class: 'ws-figure' }, chart, h('figcaption', { class: 'muted' }, title));
}
