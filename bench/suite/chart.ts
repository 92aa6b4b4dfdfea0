import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { PeerRun } from './peer.js';

/** One bar: appends/s, null when not measured; `label` overrides the number written on it. */
export interface Point {
  perSecond: number | null;
  label?: string;
}

/** One series of the chart: a store's appends/s by writer count; a writer count it lacks is left empty. */
export interface Series {
  name: string;
  color: string;
  values: Map<number, Point>;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
/** Whole numbers from 1 (1,234), two significant digits below (0.05): a peer may manage less than one a second. */
const fmt = (n: number) =>
  !Number.isFinite(n)
    ? 'n/a'
    : n >= 1
      ? Math.round(n).toLocaleString('en-US')
      : String(Number(n.toPrecision(2)));

/** The peer's bar for one writer count: what it acknowledged, and how it hung, failed or lost appends. */
export function peerPoint(run: PeerRun | undefined): Point {
  if (!run) return { perSecond: null, label: 'not run' };
  const errors = Object.values(run.errors).reduce((a, b) => a + b, 0);
  const label = `${fmt(run.perSecond)}${run.hung ? ' hung' : ''}${errors ? `, ${errors} errors` : ''}${run.lost ? `, ${run.lost} lost` : ''}`;
  return { perSecond: run.perSecond, label };
}

/** A bar is drawn for a rate above 0 (a log axis has no 0); anything else is a label on the axis. */
const drawn = (v: number | null): v is number => v !== null && Number.isFinite(v) && v > 0;

/**
 * Grouped bars, one group per writer count, on a logarithmic axis (the peer and SQLite's ceiling lie
 * two orders of magnitude apart). Plain SVG text, so it renders on GitHub and needs no browser here.
 */
export function appendsSvg(writers: number[], series: Series[], subtitle: string): string {
  const width = 760;
  const height = 420;
  const left = 80;
  const right = 20;
  const top = 60;
  const bottom = 70;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => [...s.values.values()].map((v) => v.perSecond)).filter(drawn);
  const maxExp = Math.ceil(Math.log10(Math.max(10, ...all)));
  // A decade below the least bar, so that it shows; below 0.001/s (not a rate these runs give) bars sit on the axis.
  const minExp = Math.max(-3, Math.floor(Math.log10(Math.min(...all, 10 ** maxExp))) - 1);
  const y = (v: number) =>
    top + plotH - ((Math.log10(Math.max(v, 10 ** minExp)) - minExp) / (maxExp - minExp)) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12" role="img" aria-labelledby="title">`,
    '<title id="title">Durable appends per second by concurrent writers: portal-core, a plain better-sqlite3 loop, and the peer</title>',
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="16" font-weight="bold">Durable appends per second by concurrent writers</text>`,
    `<text x="${width / 2}" y="42" text-anchor="middle" fill="#555">${xml(subtitle)}</text>`,
  ];
  for (let e = minExp; e <= maxExp; e++) {
    const gy = y(10 ** e);
    parts.push(
      `<line x1="${left}" y1="${gy}" x2="${width - right}" y2="${gy}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${gy + 4}" text-anchor="end" fill="#555">${fmt(10 ** e)}</text>`,
    );
  }
  parts.push(
    `<text x="18" y="${top + plotH / 2}" transform="rotate(-90 18 ${top + plotH / 2})" text-anchor="middle" fill="#555">events/s (log scale)</text>`,
  );
  const groupW = plotW / writers.length;
  const barW = Math.min(60, (groupW * 0.8) / series.length);
  writers.forEach((w, g) => {
    const gx = left + g * groupW + (groupW - barW * series.length) / 2;
    parts.push(
      `<text x="${left + g * groupW + groupW / 2}" y="${top + plotH + 20}" text-anchor="middle">${w} writer${w === 1 ? '' : 's'}</text>`,
    );
    series.forEach((s, i) => {
      const value = s.values.get(w);
      const x = gx + i * barW;
      if (!value) return;
      const measured = value.perSecond !== null && Number.isFinite(value.perSecond);
      const label = value.label ?? (measured ? fmt(value.perSecond!) : 'n/a');
      if (drawn(value.perSecond)) {
        const by = y(value.perSecond);
        parts.push(
          `<rect x="${x + 2}" y="${by}" width="${barW - 4}" height="${top + plotH - by}" fill="${s.color}"/>`,
        );
        parts.push(
          `<text x="${x + barW / 2}" y="${by - 4}" text-anchor="middle" font-size="10">${xml(label)}</text>`,
        );
      } else {
        parts.push(
          `<text x="${x + barW / 2}" y="${top + plotH - 6}" text-anchor="middle" font-size="10" fill="${s.color}">${xml(label)}</text>`,
        );
      }
    });
  });
  parts.push(
    `<line x1="${left}" y1="${top + plotH}" x2="${width - right}" y2="${top + plotH}" stroke="#333"/>`,
  );
  series.forEach((s, i) => {
    const lx = left + i * 230;
    const ly = height - 22;
    parts.push(
      `<rect x="${lx}" y="${ly - 10}" width="12" height="12" fill="${s.color}"/>`,
      `<text x="${lx + 18}" y="${ly}">${xml(s.name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** The chart written to `file` (bench/results/appends.svg). */
export function appendsChart(file: string, writers: number[], series: Series[], subtitle: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, appendsSvg(writers, series, subtitle));
}
