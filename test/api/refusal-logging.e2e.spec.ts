import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestApp, type TestApp } from '../support/harness.js';

/** A test app whose log lines are kept, parsed. */
async function appWithLog(options: Parameters<typeof startTestApp>[1] = {}) {
  const lines: Array<Record<string, unknown>> = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const t = await startTestApp({}, { ...options, logger: { level: 'info', stream } });
  return { t, lines };
}

const ERROR_LEVEL = 50;

describe('refusals in the log', () => {
  let t: TestApp | undefined;
  afterEach(async () => {
    await t?.close();
    t = undefined;
  });

  it("logs a client's mistakes at info without a stack, never as our failure", async () => {
    const logged = await appWithLog();
    t = logged.t;
    const send = (payload: string, type = 'application/json') =>
      logged.t.app.inject({ method: 'POST', url: '/graphql', headers: { 'content-type': type }, payload });
    const answers = [
      await send('{"query": '),
      await send('{"query": null}'),
      await send('{"extensions": {"persistedQuery": {"version": 1, "sha256Hash": "00"}}}'),
      await send('{"query": "{ __typename }"}', 'text/xml'),
      await send('{"query": "{ nope }"}'),
    ];
    expect(answers.map((a) => a.statusCode)).toEqual([400, 400, 400, 415, 200]);
    for (const answer of answers) expect(answer.body).not.toContain('INTERNAL');
    expect(logged.lines.filter((l) => Number(l.level) >= ERROR_LEVEL)).toEqual([]);
    const refusals = logged.lines.filter((l) => l.msg === 'graphql request refused');
    expect(refusals).toHaveLength(4);
    for (const line of refusals) {
      expect(line.level).toBe(30);
      expect(JSON.stringify(line)).not.toContain('stack');
    }
  });

  it('answers INTERNAL only for our own failure, logged as an error with the request id', async () => {
    const logged = await appWithLog({
      authenticator: {
        viewerForToken: async () => {
          throw new Error('session store exploded');
        },
      },
    });
    t = logged.t;
    const answer = await logged.t.app.inject({
      method: 'POST',
      url: '/graphql',
      headers: { 'content-type': 'application/json', authorization: 'Bearer some-token-0123456789' },
      payload: { query: '{ me { id } }' },
    });
    expect(answer.json().errors[0]).toMatchObject({
      message: 'Something went wrong on our side.',
      extensions: { code: 'INTERNAL' },
    });
    expect(answer.body).not.toContain('exploded');
    const errors = logged.lines.filter((l) => Number(l.level) >= ERROR_LEVEL);
    expect(errors).toHaveLength(1);
    expect(errors[0]?.requestId).toBe(answer.headers['x-request-id']);
    expect(JSON.stringify(errors[0])).toContain('session store exploded');
  });
});
