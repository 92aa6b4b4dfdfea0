import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Machine,
  meetsRatio,
  met,
  percentile,
  type RatioGoal,
  type Row,
  ratioGoalText,
  ratioOf,
  ratioText,
  row,
  table,
} from '../../bench/suite/report.js';

const machine: Machine = {
  cores: 2,
  cpu: 'test',
  memoryGb: 24,
  node: 'v20.0.0',
  loadAverage: [0.38, 1.74, 3.21],
};

/** A row as the suite's parts build one; `fields` overrides. */
const line = (fields: Partial<Omit<Row, 'machine'>> = {}): Row =>
  row(
    {
      name: 'a benchmark',
      figure: 1,
      unit: 'events/s',
      baseline: null,
      ratio: null,
      goal: '-',
      met: null,
      ...fields,
    },
    machine,
  );

/** The cells of the table's one data row (the header and its rule come first). */
const cells = (r: Row) => {
  const text = table([r]).split('\n')[2]!;
  const parts = text.slice(2, -2).split(' | ');
  expect(parts).toHaveLength(8);
  const [name, figure, unit, baseline, ratio, goal, verdict, load] = parts as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  return { name, figure, unit, baseline, ratio, goal, verdict, load, text };
};

describe('table', () => {
  it('is a Markdown table: header, alignment rule, one line per row with as many cells', () => {
    const text = table([line({ name: 'one' }), line({ name: 'two' })]);
    const lines = text.split('\n');
    expect(lines[0]).toBe('| benchmark | figure | unit | baseline | ratio | goal | met | load |');
    expect(lines[1]).toBe('| --- | ---: | --- | ---: | ---: | --- | --- | ---: |');
    expect(lines).toHaveLength(4);
    for (const l of lines) expect(l.split(' | ')).toHaveLength(8);
    expect(lines[2]).toMatch(/^\| one \|/);
    expect(lines[3]).toMatch(/^\| two \|/);
  });

  it('writes figures by size: thousands separated and whole from 100, one decimal from 10, two below', () => {
    expect(cells(line({ figure: 24_479.146 })).figure).toBe('24,479');
    expect(cells(line({ figure: 100 })).figure).toBe('100');
    expect(cells(line({ figure: 99.96 })).figure).toBe('100');
    expect(cells(line({ figure: 46.24 })).figure).toBe('46.2');
    expect(cells(line({ figure: 8.0123 })).figure).toBe('8.01');
    expect(cells(line({ figure: 0.004 })).figure).toBe('0');
    expect(cells(line({ figure: null })).figure).toBe('-');
  });

  it("names the baseline beside its figure, '-' when there is none", () => {
    expect(cells(line({ baseline: 11_713.3, baselineName: 'better-sqlite3 NORMAL' })).baseline).toBe(
      '11,713 (better-sqlite3 NORMAL)',
    );
    expect(cells(line({ baseline: 4.16 })).baseline).toBe('4.16');
    expect(cells(line({ baseline: null, baselineName: 'Emmett SQLite' })).baseline).toBe('-');
  });

  it("says whether the goal was met: yes, **no**, or 'not measured' for null", () => {
    expect(cells(line({ met: true })).verdict).toBe('yes');
    expect(cells(line({ met: false })).verdict).toBe('**no**');
    expect(cells(line({ met: null })).verdict).toBe('not measured');
  });

  it('gives the 1-minute load average when the row was measured', () => {
    expect(cells(line()).load).toBe('0.38');
  });

  it('lists the notes after the table, one per row that has one', () => {
    const text = table([
      line({ name: 'one', note: 'first' }),
      line({ name: 'two' }),
      line({ name: 'three', note: 'third' }),
    ]);
    expect(text.split('\n\n')[1]).toBe('- one: first\n- three: third');
    expect(table([line()])).not.toContain('\n\n');
  });

  it("prints a row's ratio in its goal's unit: a multiple for a goal written 'x', a percentage for '%'", () => {
    const multiple: RatioGoal = { atLeast: 50, as: 'x' };
    const vsPeer = cells(
      line({
        name: 'appends vs peer, 1 writer',
        figure: 3_916.16,
        baseline: 289.86,
        baselineName: 'Emmett SQLite',
        ratio: 13.5103,
        ratioUnit: multiple.as,
        goal: `${ratioGoalText(multiple)} peer`,
        met: meetsRatio(13.5103, multiple),
      }),
    );
    expect(vsPeer.goal).toBe('>= 50x peer');
    expect(vsPeer.ratio).toBe('13.5x');
    expect(vsPeer.verdict).toBe('**no**');

    const share: RatioGoal = { atLeast: 90, as: '%' };
    const signIn = cells(
      line({ ratio: 0.5538, ratioUnit: share.as, goal: `${ratioGoalText(share)} of argon2`, met: false }),
    );
    expect(signIn.goal).toBe('>= 90% of argon2');
    expect(signIn.ratio).toBe('55.4%');
  });

  it('writes the ratio in the unit of any ratio goal, whatever the ratio', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.constantFrom<RatioGoal['as']>('x', '%'),
        (ratio, atLeast, as) => {
          const goal = { atLeast, as };
          const c = cells(line({ ratio, ratioUnit: goal.as, goal: ratioGoalText(goal) }));
          expect(c.ratio.endsWith(as)).toBe(true);
          expect(c.goal.endsWith(as)).toBe(true);
        },
      ),
    );
  });

  it("a peer that did not run (no baseline, no ratio): '-' for both and 'not measured'", () => {
    const c = cells(
      line({
        name: 'appends vs peer, 1 writer',
        figure: 3_916,
        baseline: null,
        baselineName: 'Emmett SQLite',
        ratio: ratioOf(3_916, null),
        ratioUnit: 'x',
        goal: '>= 50x peer',
        met: null,
        note: 'peer: not installed',
      }),
    );
    expect(c.text).toBe(
      '| appends vs peer, 1 writer | 3,916 | events/s | - | - | >= 50x peer | not measured | 0.38 |',
    );
  });

  it('a part that failed: a row of dashes, and its failure in the notes', () => {
    const failed = line({
      name: 'over HTTP',
      figure: null,
      unit: '-',
      note: 'failed: the server exited (1)',
    });
    expect(table([failed])).toBe(
      [
        '| benchmark | figure | unit | baseline | ratio | goal | met | load |',
        '| --- | ---: | --- | ---: | ---: | --- | --- | ---: |',
        '| over HTTP | - | - | - | - | - | not measured | 0.38 |',
        '',
        '- over HTTP: failed: the server exited (1)',
      ].join('\n'),
    );
  });
});

describe('ratioText', () => {
  it("writes a multiple with the figures' precision and an x, a percentage to one decimal", () => {
    expect(ratioText(2.0898, 'x')).toBe('2.09x');
    expect(ratioText(0.8061, 'x')).toBe('0.81x');
    expect(ratioText(5_883.799, 'x')).toBe('5,884x');
    expect(ratioText(2.0898, '%')).toBe('209%');
    expect(ratioText(0.33433, '%')).toBe('33.4%');
    expect(ratioText(0.5538)).toBe('55.4%');
    expect(ratioText(null, 'x')).toBe('-');
    expect(ratioText(null, '%')).toBe('-');
  });
});

describe('ratioOf', () => {
  it('is the figure over the baseline', () => {
    expect(ratioOf(24_479, 11_713)).toBeCloseTo(2.0899, 4);
    expect(ratioOf(0, 10)).toBe(0);
  });

  it('is null when either side was not measured or the baseline gives no ratio', () => {
    expect(ratioOf(null, 10)).toBeNull();
    expect(ratioOf(10, null)).toBeNull();
    expect(ratioOf(10, 0)).toBeNull();
    expect(ratioOf(10, -1)).toBeNull();
    expect(ratioOf(10, Number.NaN)).toBeNull();
    expect(ratioOf(Number.NaN, 10)).toBeNull();
    expect(ratioOf(1e308, 1e-308)).toBeNull();
  });

  it('times the baseline gives the figure back', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e9, noNaN: true }),
        fc.double({ min: 1e-3, max: 1e9, noNaN: true }),
        (figure, baseline) => {
          const ratio = ratioOf(figure, baseline);
          expect(ratio).not.toBeNull();
          expect(ratio! * baseline).toBeCloseTo(figure, 6);
        },
      ),
    );
  });
});

describe('goals on a ratio', () => {
  it('reads a multiple as times the baseline and a percentage as hundredths of it', () => {
    const times: RatioGoal = { atLeast: 2.5, as: 'x' };
    expect(ratioGoalText(times)).toBe('>= 2.5x');
    expect(meetsRatio(2.5, times)).toBe(true);
    expect(meetsRatio(2.49, times)).toBe(false);
    expect(meetsRatio(0.9, times)).toBe(false);

    const share: RatioGoal = { atLeast: 90, as: '%' };
    expect(ratioGoalText(share)).toBe('>= 90%');
    expect(meetsRatio(0.9, share)).toBe(true);
    expect(meetsRatio(0.89, share)).toBe(false);
    expect(meetsRatio(2.5, share)).toBe(true);
    // The same bar written both ways judges alike.
    expect(meetsRatio(0.6, { atLeast: 60, as: '%' })).toBe(meetsRatio(0.6, { atLeast: 0.6, as: 'x' }));
    expect(meetsRatio(0.59, { atLeast: 60, as: '%' })).toBe(meetsRatio(0.59, { atLeast: 0.6, as: 'x' }));
  });

  it('is not measured without a ratio', () => {
    expect(meetsRatio(null, { atLeast: 2.5, as: 'x' })).toBeNull();
    expect(meetsRatio(null, { atLeast: 60, as: '%' })).toBeNull();
  });

  it('once met stays met for any larger ratio, and a percentage is a hundredth of the multiple', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.integer({ min: 0, max: 100_000 }),
        (a, b, percent) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          const share: RatioGoal = { atLeast: percent, as: '%' };
          const times: RatioGoal = { atLeast: percent / 100, as: 'x' };
          if (meetsRatio(low, share)) expect(meetsRatio(high, share)).toBe(true);
          if (meetsRatio(low, times)) expect(meetsRatio(high, times)).toBe(true);
          expect(meetsRatio(low, share)).toBe(meetsRatio(low, times));
        },
      ),
    );
  });
});

describe('met', () => {
  it('is no when any condition is not met, not measured when any could not be judged, else yes', () => {
    expect(met(true, true)).toBe(true);
    expect(met(true, false)).toBe(false);
    expect(met(null, false)).toBe(false);
    expect(met(true, null)).toBeNull();
    expect(met(null)).toBeNull();
    expect(met()).toBe(true);
  });

  it('agrees with its definition for any conditions in any order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(true, false, null)), (conditions) => {
        const expected = conditions.some((c) => c === false)
          ? false
          : conditions.some((c) => c === null)
            ? null
            : true;
        expect(met(...conditions)).toBe(expected);
        expect(met(...[...conditions].reverse())).toBe(expected);
      }),
    );
  });
});

describe('percentile', () => {
  const sortedValues = fc
    .array(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }), {
      minLength: 1,
      maxLength: 300,
    })
    .map((values) => values.sort((a, b) => a - b));
  const percent = fc.integer({ min: 0, max: 100 });

  it('is 0 for no values', () => {
    expect(percentile([], 50)).toBe(0);
    expect(percentile([], 99)).toBe(0);
  });

  it('p0 is the smallest and p100 the largest', () => {
    fc.assert(
      fc.property(sortedValues, (sorted) => {
        expect(percentile(sorted, 0)).toBe(sorted[0]);
        expect(percentile(sorted, 100)).toBe(sorted.at(-1));
      }),
    );
  });

  it('is one of the values', () => {
    fc.assert(
      fc.property(sortedValues, fc.double({ min: 0, max: 100, noNaN: true }), (sorted, p) => {
        expect(sorted).toContain(percentile(sorted, p));
      }),
    );
  });

  it('never falls as p rises', () => {
    fc.assert(
      fc.property(
        sortedValues,
        fc.double({ min: 0, max: 100, noNaN: true }),
        fc.double({ min: 0, max: 100, noNaN: true }),
        (sorted, a, b) => {
          const [low, high] = a <= b ? [a, b] : [b, a];
          expect(percentile(sorted, low)).toBeLessThanOrEqual(percentile(sorted, high));
        },
      ),
    );
  });

  it('has at least p% of the values at or below it and at most p% below it', () => {
    fc.assert(
      fc.property(sortedValues, percent, (sorted, p) => {
        const value = percentile(sorted, p);
        const atOrBelow = sorted.filter((v) => v <= value).length;
        const below = sorted.filter((v) => v < value).length;
        // In whole numbers: count / n >= p / 100.
        expect(atOrBelow * 100).toBeGreaterThanOrEqual(p * sorted.length);
        expect(below * 100).toBeLessThanOrEqual(p * sorted.length);
      }),
    );
  });

  it('is the value at index floor(p * n / 100), the last for p = 100', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2_000 }), percent, (n, p) => {
        const ranks = Array.from({ length: n }, (_, i) => i);
        expect(percentile(ranks, p)).toBe(Math.min(n - 1, Math.floor((p * n) / 100)));
      }),
    );
    // Of 100 values p99 is the largest, of 200 the second largest; of two, p50 is the larger.
    const hundred = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(hundred, 99)).toBe(100);
    expect(percentile([...hundred, ...hundred.map((v) => v + 100)], 99)).toBe(199);
    expect(percentile([1, 2], 50)).toBe(2);
    // Where (p / 100) * n falls just under a whole number: 29 / 100 * 100 = 28.999...
    expect(percentile(hundred, 29)).toBe(30);
    expect(
      percentile(
        Array.from({ length: 50 }, (_, i) => i),
        58,
      ),
    ).toBe(29);
  });
});
