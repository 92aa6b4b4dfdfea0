import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_DOCUMENT_BYTES } from '../../src/infra/documents/blob-store.js';
import { multipartBody, pdfBytes, tokenOf } from './fake-viewers.js';
import { type CaseApp, startCaseApp } from './support.js';

async function post(t: CaseApp, content: Buffer, fileName = 'doc.pdf', token?: string) {
  const { body, contentType } = multipartBody(content, fileName);
  return t.app.inject({
    method: 'POST',
    url: '/documents',
    headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    payload: body,
  });
}

describe('POST /documents', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('refuses a text file named .pdf with 415 NOT_PDF and keeps nothing', async () => {
    const response = await post(
      t,
      Buffer.from('just some text, not a PDF at all'),
      'letter.pdf',
      tokenOf('arben'),
    );
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('NOT_PDF');
    expect(t.services.blobs.files()).toEqual([]);
  });

  it('accepts exactly 5 MiB and records its size and SHA-256', async () => {
    const content = pdfBytes(MAX_DOCUMENT_BYTES);
    expect(content.length).toBe(5_242_880);
    const response = await post(t, content, 'passport.pdf', tokenOf('arben'));
    expect(response.statusCode).toBe(201);
    const body = response.json();
    expect(body).toMatchObject({ fileName: 'passport.pdf', size: 5_242_880 });
    const { createHash } = await import('node:crypto');
    expect(body.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(body.documentId).toMatch(/^[0-9a-f]{32}$/);
    const events = await t.services.store.readStream(`document-${body.documentId}`);
    expect(events.map((e) => e.type)).toEqual(['DocumentUploaded']);
    expect(t.services.blobs.files()).toEqual([body.documentId]);
  });

  it('refuses 5 MiB + 1 byte with 413 TOO_LARGE and removes the partial file', async () => {
    const response = await post(t, pdfBytes(MAX_DOCUMENT_BYTES + 1), 'big.pdf', tokenOf('arben'));
    expect(response.statusCode).toBe(413);
    expect(response.json().error).toBe('TOO_LARGE');
    expect(t.services.blobs.files()).toEqual([]);
    expect(await t.services.store.headPosition()).toBe(-1);
  });

  it('needs x-portal-request when the session comes from the cookie', async () => {
    const { body, contentType } = multipartBody(pdfBytes());
    const response = await t.app.inject({
      method: 'POST',
      url: '/documents',
      headers: { 'content-type': contentType, cookie: `portal_session=${tokenOf('arben')}` },
      payload: body,
    });
    expect(response.statusCode).toBe(400);
    const allowed = await t.app.inject({
      method: 'POST',
      url: '/documents',
      headers: {
        'content-type': contentType,
        cookie: `portal_session=${tokenOf('arben')}`,
        'x-portal-request': '1',
      },
      payload: body,
    });
    expect(allowed.statusCode).toBe(201);
  });

  it('answers 401 for a token that names no session, and rate-limits anonymous uploads', async () => {
    expect((await post(t, pdfBytes(), 'a.pdf', 'token-nobody')).statusCode).toBe(401);
    const statuses: number[] = [];
    for (let i = 0; i < 31; i++) statuses.push((await post(t, pdfBytes(100))).statusCode);
    expect(statuses.slice(0, 30).every((s) => s === 201)).toBe(true);
    expect(statuses[30]).toBe(429);
  });
});

describe('POST /documents on a listening server', () => {
  let t: CaseApp;
  let port: number;
  beforeEach(async () => {
    t = await startCaseApp();
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    port = (t.app.server.address() as { port: number }).port;
  });
  afterEach(async () => {
    await t?.close();
  });

  it('refuses a 60 MiB body with 413 while streaming, and memory stays flat', async () => {
    const total = 60 * 1024 * 1024;
    const { head, tail, contentType } = multipartBody(Buffer.alloc(0));
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    let sent = 0;
    // 1. Pump the body until the server answers or closes the connection, whichever the client sees
    //    first: once the server has refused, it closes the socket, and a write racing that close fails
    //    (EPIPE, ECONNRESET) before the client may have parsed the 413. Either ends the wait; nothing
    //    is ignored, so the test cannot hang.
    const ending = await new Promise<{ status: number | null; sent: number }>((resolve) => {
      let ended = false;
      const req = httpRequest({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/documents',
        headers: {
          'content-type': contentType,
          'content-length': String(head.length + total + tail.length),
          authorization: `Bearer ${tokenOf('arben')}`,
        },
      });
      const end = (status: number | null) => {
        if (ended) return;
        ended = true;
        resolve({ status, sent });
        req.destroy();
      };
      req.on('response', (res) => {
        res.resume();
        end(res.statusCode ?? null);
      });
      req.on('error', () => end(null));
      req.on('close', () => end(null));
      const chunk = Buffer.alloc(64 * 1024, 'a');
      chunk.write('%PDF-1.7\n');
      const pump = () => {
        while (!ended && sent < total) {
          sent += chunk.length;
          peak = Math.max(peak, process.memoryUsage().rss);
          if (!req.write(sent === chunk.length ? Buffer.concat([head, chunk]) : chunk)) {
            req.once('drain', pump);
            return;
          }
        }
        if (!ended) req.end(tail);
      };
      pump();
    });
    // 2. The server refused while streaming: it answered (413) or hung up before the whole body was
    //    sent. When an answer arrived, it is the 413.
    if (ending.status !== null) expect(ending.status).toBe(413);
    expect(ending.sent).toBeLessThan(total);
    // 3. Growth well under the body's size: it was never held in memory, on either side.
    expect(peak - rssBefore).toBeLessThan(total / 3);
    await vi.waitFor(() => expect(t.services.blobs.files()).toEqual([]), { timeout: 10_000 });
    expect(await t.services.store.headPosition()).toBe(-1);
  });

  it('leaves no file behind when the client is cut off mid-upload', async () => {
    const { head, contentType } = multipartBody(Buffer.alloc(0));
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    const content = pdfBytes(512 * 1024);
    socket.write(
      `POST /documents HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: ${contentType}\r\n` +
        `authorization: Bearer ${tokenOf('arben')}\r\ncontent-length: ${head.length + 4 * 1024 * 1024}\r\n\r\n`,
    );
    socket.write(head);
    socket.write(content);
    // Wait until the partial file exists, so the cut really happens mid-upload.
    await vi.waitFor(() => expect(t.services.blobs.files().some((f) => f.endsWith('.part'))).toBe(true));
    socket.destroy();
    await vi.waitFor(() => expect(t.services.blobs.files()).toEqual([]));
    expect(await t.services.store.headPosition()).toBe(-1);
  });
});
