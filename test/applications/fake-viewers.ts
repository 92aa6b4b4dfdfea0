import { accountIdFor } from '../../src/app/account/account-id.js';
import type { Authenticator, Viewer } from '../../src/app/viewer.js';
import { deriveKeys } from '../../src/infra/keys.js';

/** The harness's secret, so fake viewers' account ids match what real sign-in would derive. */
const keys = deriveKeys('test-secret-test-secret-test-secret-0123456789');

const viewer = (identifier: string, displayName: string, extra: Partial<Viewer> = {}): Viewer => ({
  accountId: accountIdFor(keys.streamNames, identifier),
  kind: 'CITIZEN',
  identifier,
  displayName,
  roles: ['CITIZEN'],
  institution: null,
  sessionId: `session-${identifier}`,
  ...extra,
});

/** Tokens that stand for people until real sessions are used: 'token-<name>'. */
export const VIEWERS = {
  arben: viewer('J00101999W', 'Arben Hoxha'),
  elira: viewer('J05515001C', 'Elira Krasniqi'),
  business: viewer('L12345678A', 'Furra Tirana shpk', { kind: 'BUSINESS', roles: ['BUSINESS'] }),
  dpgjc1: viewer('I80715002N', 'Dritan Shehu', { roles: ['CITIZEN', 'CASEWORKER'], institution: 'DPGJC' }),
  dpgjc2: viewer('K20304003T', 'Besnik Gjoka', { roles: ['CITIZEN', 'CASEWORKER'], institution: 'DPGJC' }),
  dkm: viewer('J50920007N', 'Gentian Leka', { roles: ['CITIZEN', 'CASEWORKER'], institution: 'DKM' }),
  qkb: viewer('J50920007N', 'Gentian Leka', { roles: ['CITIZEN', 'CASEWORKER'], institution: 'QKB' }),
  auditor: viewer('J50920007N', 'Gentian Leka', { roles: ['CITIZEN', 'AUDITOR'] }),
  helpdesk: viewer('J50920007N', 'Gentian Leka', { roles: ['CITIZEN', 'HELPDESK'] }),
} satisfies Record<string, Viewer>;

export type ViewerName = keyof typeof VIEWERS;
export const tokenOf = (name: ViewerName) => `token-${name}`;

export const fakeAuthenticator: Authenticator = {
  async viewerForToken(token) {
    const name = token.startsWith('token-') ? (token.slice(6) as ViewerName) : null;
    return name && name in VIEWERS ? VIEWERS[name] : null;
  },
};

/** A minimal valid PDF of roughly `size` bytes (exactly, when size >= 64). */
export function pdfBytes(size = 1024, fill = 'x'): Buffer {
  const head = Buffer.from('%PDF-1.7\n', 'latin1');
  const tail = Buffer.from('\n%%EOF\n', 'latin1');
  const body = Buffer.alloc(Math.max(0, size - head.length - tail.length), fill);
  return Buffer.concat([head, body, tail]);
}

/** A multipart/form-data body with one part named `file`. */
export function multipartBody(content: Buffer, fileName = 'document.pdf', boundary = 'portal-boundary-1234') {
  const head = Buffer.from(
    `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${fileName}"\r\ncontent-type: application/pdf\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    body: Buffer.concat([head, content, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
    head,
    tail,
  };
}
