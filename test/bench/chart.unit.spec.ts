import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendsSvg, type Point, peerPoint, type Series } from '../../bench/suite/chart.js';
import type { PeerRun } from '../../bench/suite/peer.js';

const WRITERS = [1, 16, 64];

interface Element {
  name: string;
  attributes: Record<string, string>;
  text: string;
}

/**
 * Checks that `svg` is well-formed XML of the kind the chart writes (elements, quoted attributes,
 * text with escaped markup; no comments, CDATA or processing instructions) with one <svg> root, and
 * returns its elements in document order, each with its own text.
 */
function parse(svg: string): Element[] {
  const elements: Element[] = [];
  const open: Element[] = [];
  const entity = /&(?:amp|lt|gt|quot|apos|#\d+|#x[\da-fA-F]+);/g;
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z][\w:.-]*\s*=\s*"[^"<]*")*)\s*(\/?)>/y;
  let roots = 0;
  let at = 0;
  while (at < svg.length) {
    const lt = svg.indexOf('<', at);
    const text = svg.slice(at, lt < 0 ? svg.length : lt);
    if (/[<>]/.test(text) || /&/.test(text.replace(entity, '')))
      throw new Error(`unescaped markup in text: ${JSON.stringify(text)}`);
    if (open.length === 0 && text.trim() !== '') throw new Error(`text outside the root: ${text}`);
    if (open.length > 0) open.at(-1)!.text += text;
    if (lt < 0) break;
    tag.lastIndex = lt;
    const match = tag.exec(svg);
    if (!match) throw new Error(`not a tag at ${lt}: ${svg.slice(lt, lt + 80)}`);
    const [whole, closing, name, attributeText, selfClosing] = match;
    at = lt + whole.length;
    if (closing) {
      if (attributeText || selfClosing) throw new Error(`malformed closing tag ${whole}`);
      const top = open.pop();
      if (top?.name !== name) throw new Error(`</${name}> closes <${top?.name}>`);
      continue;
    }
    const attributes: Record<string, string> = {};
    for (const [, key, value] of attributeText!.matchAll(/([A-Za-z][\w:.-]*)\s*=\s*"([^"]*)"/g)) {
      if (key! in attributes) throw new Error(`attribute ${key} twice in ${whole}`);
      if (/&/.test(value!.replace(entity, ''))) throw new Error(`unescaped & in ${whole}`);
      attributes[key!] = value!;
    }
    if (open.length === 0) roots += 1;
    const element = { name: name!, attributes, text: '' };
    elements.push(element);
    if (!selfClosing) open.push(element);
  }
  if (open.length > 0) throw new Error(`unclosed: ${open.map((e) => e.name).join(', ')}`);
  if (roots !== 1 || elements[0]?.name !== 'svg') throw new Error('not one <svg> root');
  return elements;
}

const num = (element: Element, attribute: string) => {
  const value = Number(element.attributes[attribute]);
  if (!Number.isFinite(value)) throw new Error(`${attribute}="${element.attributes[attribute]}"`);
  return value;
};

/** The chart read back: its bars (rectangles standing on the axis) by colour, left to right, and its texts. */
function read(svg: string) {
  const elements = parse(svg);
  const axis = elements.find((e) => e.name === 'line' && e.attributes.stroke === '#333')!;
  const base = num(axis, 'y1');
  const bars = elements
    .filter(
      (e) =>
        e.name === 'rect' && 'y' in e.attributes && Math.abs(num(e, 'y') + num(e, 'height') - base) < 1e-6,
    )
    .map((e) => ({ color: e.attributes.fill!, x: num(e, 'x'), y: num(e, 'y'), height: num(e, 'height') }))
    .sort((a, b) => a.x - b.x);
  const texts = elements.filter((e) => e.name === 'text');
  const ticks = elements
    .filter((e) => e.name === 'text' && e.attributes['text-anchor'] === 'end')
    .map((e) => Number(e.text.replace(/,/g, '')));
  // The highest gridline is the top of the plot; the axis spans it from left to right.
  const top = Math.min(
    ...elements.filter((e) => e.name === 'line' && e.attributes.stroke === '#ddd').map((e) => num(e, 'y1')),
  );
  return { elements, base, bars, texts, ticks, top, left: num(axis, 'x1'), right: num(axis, 'x2') };
}

const series = (name: string, color: string, values: Array<[number, Point]>): Series => ({
  name,
  color,
  values: new Map(values),
});

const ours = (values: number[]) =>
  series(
    'portal-core (synchronous=FULL)',
    '#1f77b4',
    WRITERS.map((w, i) => [w, { perSecond: values[i]! }]),
  );
const baseline = (value: number) =>
  series(
    'better-sqlite3 loop (NORMAL, no fsync)',
    '#aaaaaa',
    WRITERS.map((w) => [w, { perSecond: value }]),
  );
const peer = (runs: Array<PeerRun | undefined>) =>
  series(
    'Emmett SQLite (peer)',
    '#d62728',
    WRITERS.map((w, i) => [w, peerPoint(runs[i])]),
  );

const run = (fields: Partial<PeerRun>): PeerRun => ({
  writers: 1,
  acknowledged: 1740,
  perSecond: 289.86,
  errors: {},
  stored: 1740,
  lost: 0,
  hung: false,
  seconds: 6.2,
  ...fields,
});

describe('appendsSvg', () => {
  const measured = [
    ours([3_916, 14_360, 24_479]),
    baseline(11_713),
    peer([
      run({}),
      undefined,
      run({
        writers: 64,
        perSecond: 4.16,
        lost: 63,
        hung: true,
        errors: { SQLITE_MISUSE: 62, SQLITE_ERROR: 2 },
      }),
    ]),
  ];

  it('is well-formed SVG with a title, numbers in every coordinate and no NaN', () => {
    const svg = appendsSvg(WRITERS, measured, '2 cores, Node v20.20.2, load 0.38 at start');
    const { elements } = read(svg);
    expect(elements[0]!.attributes.xmlns).toBe('http://www.w3.org/2000/svg');
    expect(elements.some((e) => e.name === 'title' && e.text.length > 0)).toBe(true);
    expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    for (const e of elements)
      for (const key of ['x', 'y', 'x1', 'y1', 'x2', 'y2', 'width', 'height'])
        if (key in e.attributes) num(e, key);
  });

  it('draws one series per store: a legend entry each, and a bar of its colour per measured writer count', () => {
    const { bars, texts, elements } = read(appendsSvg(WRITERS, measured, ''));
    const legend = texts.map((t) => t.text);
    for (const s of measured) expect(legend.filter((t) => t === s.name)).toHaveLength(1);
    expect(
      elements.filter((e) => e.name === 'rect' && e.attributes.width === '12').map((e) => e.attributes.fill),
    ).toEqual(measured.map((s) => s.color));
    expect(bars.filter((b) => b.color === '#1f77b4')).toHaveLength(3);
    expect(bars.filter((b) => b.color === '#aaaaaa')).toHaveLength(3);
    // The peer at 16 writers did not run: a label on the axis, no bar.
    expect(bars.filter((b) => b.color === '#d62728')).toHaveLength(2);
    expect(legend).toContain('not run');
    expect(legend).toContain('4 hung, 64 errors, 63 lost');
    expect(legend).toContain('290');
    // Each group holds its writer count's bars in series order.
    expect(bars.map((b) => b.color)).toEqual([
      '#1f77b4',
      '#aaaaaa',
      '#d62728',
      '#1f77b4',
      '#aaaaaa',
      '#1f77b4',
      '#aaaaaa',
      '#d62728',
    ]);
    for (const w of ['1 writer', '16 writers', '64 writers']) expect(legend).toContain(w);
  });

  it('labels each bar with its figure', () => {
    const { texts } = read(appendsSvg(WRITERS, [ours([3_916.2, 14_360, 24_479.1])], ''));
    const labels = texts.map((t) => t.text);
    for (const label of ['3,916', '14,360', '24,479']) expect(labels).toContain(label);
  });

  it('scales the bars with the data: taller for more, by the logarithm, within the plot, on an axis that covers them', () => {
    const rate = fc.double({ min: 0.01, max: 1e7, noNaN: true });
    fc.assert(
      fc.property(fc.tuple(rate, rate, rate), fc.tuple(rate, rate, rate), (a, b) => {
        const data = [
          series(
            'a',
            '#111111',
            WRITERS.map((w, i) => [w, { perSecond: a[i]! }]),
          ),
          series(
            'b',
            '#222222',
            WRITERS.map((w, i) => [w, { perSecond: b[i]! }]),
          ),
        ];
        const { bars, ticks, top, base } = read(appendsSvg(WRITERS, data, ''));
        const values = WRITERS.flatMap((_, i) => [a[i]!, b[i]!]);
        expect(bars).toHaveLength(6);
        for (const bar of bars) {
          expect(bar.y).toBeGreaterThanOrEqual(top - 1e-9);
          expect(bar.height).toBeGreaterThan(0);
        }
        for (let i = 0; i < values.length; i++)
          for (let j = 0; j < values.length; j++)
            if (values[i]! <= values[j]!) {
              // Taller for more (beyond rounding: two rates an ulp apart may draw alike).
              expect(bars[i]!.height).toBeLessThanOrEqual(bars[j]!.height + 1e-9);
              if (values[j]! > values[i]! * 1.001) expect(bars[i]!.height).toBeLessThan(bars[j]!.height);
            }
        // Height is affine in log10(value): one slope across every pair of distinct values.
        const [first] = bars;
        const slopes = bars
          .map((bar, i) => [bar, values[i]!] as const)
          .filter(([, v]) => Math.abs(Math.log10(v) - Math.log10(values[0]!)) > 1e-3)
          .map(([bar, v]) => (bar.height - first!.height) / (Math.log10(v) - Math.log10(values[0]!)));
        for (const slope of slopes) expect(slope).toBeCloseTo(slopes[0]!, 6);
        // The axis' powers of ten reach from below the least value to at least the greatest.
        expect(Math.min(...ticks)).toBeLessThanOrEqual(Math.min(...values));
        expect(Math.max(...ticks)).toBeGreaterThanOrEqual(Math.max(...values));
        expect(base).toBeGreaterThan(top);
      }),
      { numRuns: 200 },
    );
  });

  it('a peer slower than one append a second still gets a bar, on an axis that reaches below 1', () => {
    const slow = peer([
      run({ perSecond: 0.5, acknowledged: 10, seconds: 20, hung: true }),
      undefined,
      undefined,
    ]);
    const { bars, texts, ticks } = read(appendsSvg(WRITERS, [ours([3_916, 14_360, 24_479]), slow], ''));
    const bar = bars.find((b) => b.color === '#d62728');
    expect(bar?.height).toBeGreaterThan(0);
    expect(texts.map((t) => t.text)).toContain('0.5 hung');
    expect(ticks).toContain(0.1);
    expect(ticks).toContain(100_000);
  });

  it('a peer that never ran leaves the other stores exactly as without it', () => {
    const without = read(appendsSvg(WRITERS, measured.slice(0, 2), '')).bars;
    const notRun = read(
      appendsSvg(WRITERS, [...measured.slice(0, 2), peer([undefined, undefined, undefined])], ''),
    );
    expect(notRun.bars.filter((b) => b.color === '#d62728')).toHaveLength(0);
    expect(notRun.texts.filter((t) => t.text === 'not run')).toHaveLength(3);
    expect(notRun.bars.map((b) => [b.color, b.y, b.height])).toEqual(
      without.filter((b) => b.color !== '#d62728').map((b) => [b.color, b.y, b.height]),
    );
  });

  it('a peer that acknowledged nothing, a writer count missing from a series, and no figures at all', () => {
    const failed = peer([
      run({ perSecond: 0, acknowledged: 0, errors: { SQLITE_MISUSE: 64 }, hung: true }),
      undefined,
      undefined,
    ]);
    const { bars, texts } = read(appendsSvg(WRITERS, [ours([3_916, 14_360, 24_479]), failed], ''));
    expect(bars.filter((b) => b.color === '#d62728')).toHaveLength(0);
    expect(texts.map((t) => t.text)).toContain('0 hung, 64 errors');

    const partial = series('partial', '#123456', [[64, { perSecond: 500 }]]);
    const missing = read(appendsSvg(WRITERS, [partial], ''));
    expect(missing.bars).toHaveLength(1);
    // Only the 64 writers' group, the last third of the axis, has a bar.
    expect(missing.bars[0]!.x).toBeGreaterThan(missing.left + ((missing.right - missing.left) * 2) / 3);

    const nothing = appendsSvg(WRITERS, [series('none', '#000000', [[1, { perSecond: null }]])], '');
    expect(read(nothing).bars).toHaveLength(0);
    expect(read(nothing).texts.map((t) => t.text)).toContain('n/a');
    expect(nothing).not.toMatch(/NaN|Infinity/);
  });

  it('draws no bar for a rate that is not a number, and writes n/a', () => {
    for (const perSecond of [Number.NaN, Number.POSITIVE_INFINITY]) {
      const svg = appendsSvg(
        WRITERS,
        [ours([3_916, 14_360, 24_479]), series('odd', '#654321', [[1, { perSecond }]])],
        '',
      );
      const { bars, texts } = read(svg);
      expect(bars.filter((b) => b.color === '#654321')).toHaveLength(0);
      expect(texts.map((t) => t.text)).toContain('n/a');
      expect(svg).not.toMatch(/NaN|Infinity/);
    }
  });

  it('escapes markup in the subtitle, names and labels', () => {
    const svg = appendsSvg(
      WRITERS,
      [series('a <b> & c', '#111111', [[1, { perSecond: 10, label: '<10> & more' }]])],
      'load <1> & quiet',
    );
    const texts = read(svg).texts.map((t) => t.text);
    expect(texts).toContain('load &lt;1&gt; &amp; quiet');
    expect(texts).toContain('a &lt;b&gt; &amp; c');
    expect(texts).toContain('&lt;10&gt; &amp; more');
  });
});

describe('peerPoint', () => {
  it('a peer that did not run: no figure, "not run"', () => {
    expect(peerPoint(undefined)).toEqual({ perSecond: null, label: 'not run' });
  });

  it('a clean run: its rate, rounded', () => {
    expect(peerPoint(run({}))).toEqual({ perSecond: 289.86, label: '290' });
  });

  it('a run that hung, failed and lost appends says so', () => {
    expect(
      peerPoint(
        run({ perSecond: 4.16, hung: true, errors: { SQLITE_MISUSE: 62, SQLITE_ERROR: 2 }, lost: 63 }),
      ),
    ).toEqual({ perSecond: 4.16, label: '4 hung, 64 errors, 63 lost' });
  });
});
