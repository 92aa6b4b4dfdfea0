import type { FastifyInstance } from 'fastify';

/** GET /metrics as Prometheus would (from loopback, the default METRICS_ALLOW). */
export async function scrapeText(app: FastifyInstance): Promise<string> {
  const response = await app.inject({ method: 'GET', url: '/metrics', remoteAddress: '127.0.0.1' });
  if (response.statusCode !== 200) throw new Error(`/metrics answered ${response.statusCode}`);
  return response.body;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

/**
 * A scrape's samples, to read values from. The format itself is checked elsewhere (promtool, in
 * exposition.int.spec.ts); this only reads `name{labels} value` lines. For a histogram, ask for its
 * `_count` (observations) or `_sum`.
 */
export class Scrape {
  private readonly samples: Sample[];
  constructor(readonly text: string) {
    this.samples = text
      .split('\n')
      .filter((line) => line && !line.startsWith('#'))
      .map((line) => {
        const match = SAMPLE.exec(line);
        if (!match) throw new Error(`not a sample line: ${line}`);
        const labels: Record<string, string> = {};
        for (const [, key, value] of (match[2] ?? '').matchAll(LABEL)) labels[key!] = value!;
        return { name: match[1]!, labels, value: Number(match[3]) };
      });
  }

  static async of(app: FastifyInstance): Promise<Scrape> {
    return new Scrape(await scrapeText(app));
  }

  /** The sum of the samples named `name` whose labels include `labels`. */
  value(name: string, labels: Record<string, string> = {}): number {
    let total = 0;
    for (const sample of this.samples)
      if (sample.name === name && Object.entries(labels).every(([k, v]) => sample.labels[k] === v))
        total += sample.value;
    return total;
  }

  /** How much the series moved from `before` to this scrape. */
  delta(before: Scrape, name: string, labels: Record<string, string> = {}): number {
    return this.value(name, labels) - before.value(name, labels);
  }
}
