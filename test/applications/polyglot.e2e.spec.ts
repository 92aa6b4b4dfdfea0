import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { multipartBody, pdfBytes, tokenOf } from './fake-viewers.js';
import { type CaseApp, startCaseApp } from './support.js';

let t: CaseApp;
beforeAll(async () => {
  t = await startCaseApp();
});
afterAll(async () => {
  await t?.close();
});

const upload = (content: Buffer, fileName = 'document.pdf') => {
  const { body, contentType } = multipartBody(content, fileName);
  return t.app.inject({
    method: 'POST',
    url: '/documents',
    headers: { 'content-type': contentType, authorization: `Bearer ${tokenOf('arben')}` },
    payload: body,
  });
};
const latin1 = (text: string) => Buffer.from(text, 'latin1');

describe('uploads: a PDF starts with %PDF-1. and ends with %%EOF', () => {
  it.each([
    ['an HTML polyglot after %PDF-', latin1('%PDF-<html><script>alert(1)</script></html>\n%%EOF\n')],
    ['a PDF header without %%EOF', latin1(`%PDF-1.7\n${'x'.repeat(5000)}\n`)],
    ['%%EOF only before the last 1,024 bytes', latin1(`%PDF-1.7\n%%EOF\n${'x'.repeat(2000)}`)],
  ])('refuses %s with 415 NOT_PDF', async (_what, content) => {
    const response = await upload(content);
    expect(response.statusCode).toBe(415);
    expect(response.json().error).toBe('NOT_PDF');
  });

  it('accepts a PDF whose %%EOF is followed by a little trailing whitespace, across chunk boundaries', async () => {
    expect((await upload(Buffer.concat([pdfBytes(300_000), latin1('\r\n   \n')]))).statusCode).toBe(201);
  });
});

describe('downloads: served only as a PDF attachment under a clean name', () => {
  it('strips control and bidirectional characters and always ends the name in .pdf', async () => {
    const response = await upload(pdfBytes(2048), 'invoice\u202Efdp.hta');
    expect(response.statusCode).toBe(201);
    const { documentId } = response.json();
    const download = await t.app.inject({
      url: `/documents/${documentId}`,
      headers: { authorization: `Bearer ${tokenOf('arben')}` },
    });
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="invoicefdp\.hta\.pdf"/);
    // Printable ASCII only: no control and no bidirectional character reaches the header.
    expect(download.headers['content-disposition']).toMatch(/^[\x20-\x7e]+$/);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.headers['x-content-type-options']).toBe('nosniff');
    expect(download.headers['content-security-policy']).toBe('sandbox');
  });
});
