import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { attachmentDisposition, cleanDownloadName } from '../../src/api/download-name.js';

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"\\/]/;

describe('download names', () => {
  it('never hold a control or bidirectional character or a quote, and always end in .pdf', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (uploaded) => {
        const name = cleanDownloadName(uploaded);
        expect(name).not.toMatch(UNSAFE);
        expect(name.endsWith('.pdf')).toBe(true);
        expect(attachmentDisposition(uploaded)).toMatch(/^attachment; filename="[\x20-\x7e]+\.pdf"/);
      }),
    );
  });

  it('keeps an ordinary name as it is', () => {
    expect(cleanDownloadName('certificate.pdf')).toBe('certificate.pdf');
    expect(cleanDownloadName('invoice\u202Efdp.hta')).toBe('invoicefdp.hta.pdf');
    expect(attachmentDisposition('vërtetim.PDF')).toBe(
      `attachment; filename="v_rtetim.pdf"; filename*=UTF-8''${encodeURIComponent('vërtetim.pdf')}`,
    );
  });
});
