import { describe, expect, it } from 'vitest';
import type { ChartSpec } from './spec.js';
import { niceTicks, renderSvg } from './svg.js';

/** Every tag closes in order: the document is well-formed XML. */
function wellFormed(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    if (m[3]) continue;
    if (m[1]) {
      if (stack.pop() !== m[2]) return false;
    } else stack.push(m[2]!);
  }
  return stack.length === 0;
}

const count = (svg: string, re: RegExp) => [...svg.matchAll(re)].length;

const aging: ChartSpec = {
  kind: 'bar',
  title: 'Aging <by bucket> & "balance"',
  categories: ['current', '1-30', '31-60'],
  series: [
    { name: 'Principal', values: [1000, 200, 50] },
    { name: 'Interest', values: [30, 12, null] },
  ],
  yFormat: 'money',
};

describe('SVG charts', () => {
  it('picks nice ticks', () => {
    expect(niceTicks(0, 1030)).toEqual([0, 200, 400, 600, 800, 1000, 1200]);
    expect(niceTicks(0, 0.137)).toEqual([0, 0.05, 0.1, 0.15]);
    expect(niceTicks(-40, 90)).toEqual([-50, 0, 50, 100]);
    expect(niceTicks(0, 0)).toEqual([0, 1]);
  });

  it('draws grouped bars, one rect per value, escaping text', () => {
    const svg = renderSvg(aging);
    expect(wellFormed(svg)).toBe(true);
    expect(svg).toContain('<title>Aging &lt;by bucket&gt; &amp; &quot;balance&quot;</title>');
    // 5 bars (one value is null), 1 background, 2 legend swatches.
    expect(count(svg, /<rect /g)).toBe(5 + 1 + 2);
    expect(svg).toContain('>1,000<'); // money ticks with a thousands separator
  });

  it('stacks bars on top of each other', () => {
    const svg = renderSvg({ ...aging, kind: 'stacked_bar' }, { width: 400, height: 300 });
    expect(wellFormed(svg)).toBe(true);
    // Plot height 210 px for 0..1200: the first stack is 1030 high = 180.25 px; its interest segment ends at 1030.
    const bars = [
      ...svg.matchAll(/<rect x="[\d.]+" y="([\d.]+)" width="[\d.]+" height="([\d.]+)" fill/g),
    ].map((m) => [Number(m[1]), Number(m[2])]);
    const [principal, interest] = bars;
    expect(principal![0]! + principal![1]!).toBeCloseTo(250, 1); // bottom at the zero line (40 + 210)
    expect(interest![0]! + interest![1]!).toBeCloseTo(principal![0]!, 1);
    expect(interest![0]).toBeCloseTo(250 - (1030 / 1200) * 210, 1);
  });

  it('draws lines with a point per value and gaps for nulls', () => {
    const svg = renderSvg({
      kind: 'line',
      title: 'Vintage loss',
      categories: ['0', '1', '2', '3'],
      series: [
        { name: '2024-01', values: [0, 0.01, 0.02, 0.025] },
        { name: '2024-02', values: [0, 0.015, null, null] },
      ],
      yFormat: 'percent',
      xLabel: 'months on book',
      yLabel: 'cumulative loss',
    });
    expect(wellFormed(svg)).toBe(true);
    expect(count(svg, /<polyline /g)).toBe(2);
    expect(count(svg, /<circle /g)).toBe(6);
    expect(svg).toContain('>2.5%<');
    expect(svg).toContain('months on book');
  });
});
