import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One series of the chart: appends/s by writer count; null = not measured, NaN-free; `label` per bar overrides the number. */
export interface Series {
  name: string;
  color: string;
  values: Map<number, { perSecond: number | null; label?: string }>;
}

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/**
 * Grouped bars, one group per writer count, on a logarithmic axis (the peer and SQLite's ceiling lie
 * two orders of magnitude apart). Plain SVG text, so it renders on GitHub and needs no browser here.
 */
export function appendsChart(file: string, writers: number[], series: Series[], subtitle: string): void {
  const width = 760;
  const height = 420;
  const left = 80;
  const right = 20;
  const top = 60;
  const bottom = 70;
  const plotW = width - left - right;
  const plotH = height - top - bottom;
  const all = series.flatMap((s) => [...s.values.values()].map((v) => v.perSecond ?? 0)).filter((v) => v > 0);
  const maxExp = Math.ceil(Math.log10(Math.max(10, ...all)));
  const minExp = Math.max(0, Math.floor(Math.log10(Math.max(1, Math.min(...all, 10 ** maxExp)))) - 1);
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
      const label = value.label ?? (value.perSecond === null ? 'n/a' : fmt(value.perSecond));
      if (value.perSecond !== null && value.perSecond > 0) {
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
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${parts.join('\n')}\n`);
}
