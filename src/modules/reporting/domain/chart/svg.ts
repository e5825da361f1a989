import type { ChartSpec } from './spec.js';

/**
 * Draws a chart spec as a standalone SVG document: axes with "nice" ticks (1, 2, 5 × 10^n), grouped bars,
 * stacked bars or lines with point markers, a legend, the title. Plain strings, no DOM and no browser. Text is
 * XML-escaped, so labels from data cannot inject markup.
 */
export interface SvgOptions {
  width?: number;
  height?: number;
}

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f'];
const MARGIN = { top: 40, right: 150, bottom: 50, left: 70 };

export const escapeXml = (s: string): string =>
  s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');

const round = (n: number) => Math.round(n * 100) / 100;

/** Axis bounds and ticks covering [min, max] with about `count` steps of 1, 2 or 5 × 10^n. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  const lo = Math.min(0, min);
  const hi = Math.max(0, max);
  if (hi === lo) return [0, 1];
  const raw = (hi - lo) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  // The finest of 1, 2, 5 × 10^n that needs at most count + 1 intervals.
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => (hi - lo) / s <= count + 1)!;
  const ticks: number[] = [];
  for (let t = Math.floor(lo / step) * step; t <= hi + step * 1e-9; t += step)
    ticks.push(Number(t.toPrecision(12)));
  if (ticks.at(-1)! < hi) ticks.push(Number((ticks.at(-1)! + step).toPrecision(12)));
  return ticks;
}

function tickLabel(value: number, format: ChartSpec['yFormat']): string {
  if (format === 'percent') return `${Number((value * 100).toPrecision(10))}%`;
  if (format === 'money') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return String(value);
}

function extent(spec: ChartSpec): [number, number] {
  let min = 0;
  let max = 0;
  if (spec.kind === 'stacked_bar') {
    spec.categories.forEach((_, i) => {
      let up = 0;
      let down = 0;
      for (const s of spec.series) {
        const v = s.values[i] ?? 0;
        if (v >= 0) up += v;
        else down += v;
      }
      max = Math.max(max, up);
      min = Math.min(min, down);
    });
  } else {
    for (const s of spec.series)
      for (const v of s.values) {
        if (v === null) continue;
        max = Math.max(max, v);
        min = Math.min(min, v);
      }
  }
  return [min, max];
}

export function renderSvg(spec: ChartSpec, options: SvgOptions = {}): string {
  const width = options.width ?? 720;
  const height = options.height ?? 400;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const [min, max] = extent(spec);
  const ticks = niceTicks(min, max);
  const lo = ticks[0]!;
  const hi = ticks.at(-1)!;
  const y = (v: number) => round(MARGIN.top + plotH - ((v - lo) / (hi - lo)) * plotH);
  const band = plotW / Math.max(1, spec.categories.length);
  const x0 = (i: number) => MARGIN.left + i * band;
  const out: string[] = [];

  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${escapeXml(spec.title)}</title>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text x="${width / 2}" y="22" text-anchor="middle" font-size="16" font-weight="bold">${escapeXml(spec.title)}</text>`,
  );
  out.push('<g class="axis-y">');
  for (const t of ticks) {
    out.push(
      `<line x1="${MARGIN.left}" x2="${MARGIN.left + plotW}" y1="${y(t)}" y2="${y(t)}" stroke="${t === 0 ? '#333' : '#ddd'}"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${escapeXml(tickLabel(t, spec.yFormat))}</text>`,
    );
  }
  out.push('</g><g class="axis-x">');
  spec.categories.forEach((c, i) => {
    out.push(
      `<text x="${round(x0(i) + band / 2)}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${escapeXml(c)}</text>`,
    );
  });
  out.push('</g>');
  if (spec.xLabel)
    out.push(
      `<text x="${MARGIN.left + plotW / 2}" y="${height - 8}" text-anchor="middle">${escapeXml(spec.xLabel)}</text>`,
    );
  if (spec.yLabel) {
    const cy = MARGIN.top + plotH / 2;
    out.push(
      `<text x="16" y="${cy}" text-anchor="middle" transform="rotate(-90 16 ${cy})">${escapeXml(spec.yLabel)}</text>`,
    );
  }

  out.push('<g class="series">');
  const color = (s: number) => PALETTE[s % PALETTE.length]!;
  if (spec.kind === 'bar') {
    const barW = (band * 0.8) / Math.max(1, spec.series.length);
    spec.series.forEach((s, si) => {
      s.values.forEach((v, i) => {
        if (v === null) return;
        const top = y(Math.max(v, 0));
        out.push(
          `<rect x="${round(x0(i) + band * 0.1 + si * barW)}" y="${top}" width="${round(barW)}" height="${round(y(Math.min(v, 0)) - top)}" fill="${color(si)}"><title>${escapeXml(`${s.name} ${spec.categories[i]}: ${v}`)}</title></rect>`,
        );
      });
    });
  } else if (spec.kind === 'stacked_bar') {
    spec.categories.forEach((c, i) => {
      let up = 0;
      let down = 0;
      spec.series.forEach((s, si) => {
        const v = s.values[i] ?? 0;
        if (v === 0) return;
        const from = v > 0 ? up : down;
        const to = from + v;
        if (v > 0) up = to;
        else down = to;
        const top = y(Math.max(from, to));
        out.push(
          `<rect x="${round(x0(i) + band * 0.15)}" y="${top}" width="${round(band * 0.7)}" height="${round(y(Math.min(from, to)) - top)}" fill="${color(si)}"><title>${escapeXml(`${s.name} ${c}: ${v}`)}</title></rect>`,
        );
      });
    });
  } else {
    spec.series.forEach((s, si) => {
      const points = s.values
        .map((v, i) => (v === null ? null : `${round(x0(i) + band / 2)},${y(v)}`))
        .filter((p): p is string => p !== null);
      if (points.length > 1)
        out.push(
          `<polyline points="${points.join(' ')}" fill="none" stroke="${color(si)}" stroke-width="2"/>`,
        );
      for (const p of points) {
        const [cx, cy] = p.split(',');
        out.push(`<circle cx="${cx}" cy="${cy}" r="3" fill="${color(si)}"/>`);
      }
    });
  }
  out.push('</g><g class="legend">');
  spec.series.forEach((s, si) => {
    const ly = MARGIN.top + si * 18;
    out.push(
      `<rect x="${width - MARGIN.right + 16}" y="${ly}" width="12" height="12" fill="${color(si)}"/>`,
      `<text x="${width - MARGIN.right + 34}" y="${ly + 10}">${escapeXml(s.name)}</text>`,
    );
  });
  out.push('</g></svg>');
  return out.join('\n');
}
