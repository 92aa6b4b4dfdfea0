// The reference portal in headless Chromium against the built server, as `npm start` serves it:
// the journeys a person and staff take, each page checked with axe-core, with the network limited
// to the server's own origin and no console error.
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CODE,
  fromOutbox,
  launchChromium,
  openPortal,
  type Portal,
  TEMPORARY_PASSWORD,
} from './support/browser.js';
import { type ServerProcess, startServer } from './support/server-process.js';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n', 'latin1');
const pdf = (name: string) => ({ name, mimeType: 'application/pdf', buffer: PDF });
const PASSWORD = 'Lule-Bore-2026!';

describe('the reference portal in Chromium', () => {
  let server: ServerProcess;
  let browser: Browser;
  const portals: Portal[] = [];

  async function gql(query: string, variables: object = {}, language = 'sq') {
    const answer = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': language },
      body: JSON.stringify({ query, variables }),
    });
    return (await answer.json()) as { data: Record<string, Record<string, unknown>> };
  }

  /** Staff and side characters get their accounts through the API: the browser tests the journeys. */
  async function registered(nid: string, idCardNumber: string, email: string, phone: string) {
    const { data } = await gql(
      `mutation($input: RegisterCitizenInput!) { registerCitizen(input: $input) { __typename ... on OtpSent { challengeId } } }`,
      {
        input: {
          nid,
          idCardNumber,
          email,
          phone,
          password: PASSWORD,
          securityQuestion: 'Qyteti i lindjes?',
          securityAnswer: 'Korçë',
        },
      },
    );
    const challengeId = data.registerCitizen?.challengeId;
    const code = await fromOutbox(server.url, email, CODE);
    const confirmed = await gql(
      `mutation($c: ID!, $code: String!) { confirmRegistration(challengeId: $c, code: $code) { __typename } }`,
      { c: challengeId, code },
    );
    expect(confirmed.data.confirmRegistration?.__typename).toBe('SessionStarted');
  }

  async function grant(identifier: string, role: string, institution?: string) {
    const answer = await fetch(`${server.url}/dev/roles`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ identifier, role, institution }),
    });
    expect(answer.status).toBe(201);
  }

  async function open(who: string): Promise<Portal> {
    const portal = await openPortal(browser, server.url, who);
    portals.push(portal);
    return portal;
  }

  /** Signs in through the portal: identifier and password, then the code from the outbox. */
  async function signIn(
    portal: Portal,
    identifier: string,
    email: string,
    password = PASSWORD,
    name?: string,
  ) {
    const { page } = portal;
    await page.goto('/#/sign-in');
    await page.getByLabel('Numri personal ose NIPT').fill(identifier);
    await page.getByLabel('Fjalëkalimi', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Hyr', exact: true }).click();
    await page.getByLabel('Kodi 6-shifror').waitFor();
    if (name) await portal.check(name, { screenshot: true });
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, email, CODE));
    await page.getByRole('button', { name: 'Konfirmo' }).click();
  }

  beforeAll(async () => {
    server = await startServer({ ARGON2_MEMORY_KIB: '1024', ARGON2_TIME_COST: '1' });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.stop('SIGKILL');
    if (server) rmSync(server.dataDir, { recursive: true, force: true });
  });

  it('serves the portal at / and keeps the API 404 JSON for unknown paths', async () => {
    const page = await fetch(`${server.url}/`);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toMatch(/<script type="module"[^>]* src="\/assets\/[^"]+\.js"><\/script>/);
    // No inline script or style: the page carries a policy that refuses them (a violation would
    // show as a console error in the journeys below).
    expect(html).toMatch(
      /http-equiv="Content-Security-Policy"\s+content="[^"]*script-src 'self';[^"]*style-src 'self';/,
    );
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>|<style|\sstyle="/);
    const unknown = await fetch(`${server.url}/no/such/path`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({ error: 'NOT_FOUND', message: 'No such route.' });
  });

  it('a citizen registers, signs in with the code, applies with a PDF, sees the approval live and rates it', async () => {
    await registered('J05515001C', '023456789', 'elira@example.al', '+355692000002');
    await grant('J05515001C', 'CASEWORKER', 'DPSHTRR');

    const citizen = await open('citizen');
    const { page } = citizen;
    await page.goto('/');
    await expect.poll(() => page.locator('h1').textContent()).toBe('Shërbime publike në një vend');
    expect(await page.getAttribute('html', 'lang')).toBe('sq');
    await citizen.check('home', { screenshot: true });

    await page.getByRole('link', { name: 'Regjistrohu' }).first().click();
    await page.getByRole('button', { name: 'Regjistrohu' }).click();
    // Empty form: the summary lists each missing field, and its link moves the focus to the field.
    const summary = page.getByRole('alert');
    await expect.poll(() => summary.getByRole('link').count()).toBe(7);
    await summary.getByRole('link').first().click();
    expect(await page.evaluate('document.activeElement && document.activeElement.id')).toBe('nid');
    await citizen.check('register-errors', { screenshot: true });

    await page.getByLabel('Numri personal (NID)').fill('J00101999W');
    await page.getByLabel('Numri i kartës së identitetit').fill('012345678');
    await page.getByLabel('Adresa e e-mailit').fill('arben@example.al');
    await page.getByLabel('Numri i telefonit').fill('+355692000001');
    await page.getByLabel('Fjalëkalimi i ri').fill(PASSWORD);
    await page.getByLabel('Pyetja e sigurisë').fill('Emri i gjyshes?');
    await page.getByLabel('Përgjigjja e pyetjes së sigurisë').fill('Drita');
    expect(await page.getAttribute('#nid', 'autocomplete')).toBe('username');
    expect(await page.getAttribute('#password', 'autocomplete')).toBe('new-password');
    expect(await page.getAttribute('#email', 'autocomplete')).toBe('email');
    expect(await page.getAttribute('#phone', 'autocomplete')).toBe('tel');
    await page.getByRole('button', { name: 'Regjistrohu' }).click();
    await page.getByLabel('Kodi 6-shifror').waitFor();
    expect(await page.getAttribute('#code', 'autocomplete')).toBe('one-time-code');
    await citizen.check('register-code', { screenshot: true });
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, 'arben@example.al', CODE));
    await page.getByRole('button', { name: 'Konfirmo' }).click();
    await page.getByText('Llogaria juaj u krijua dhe keni hyrë.').waitFor();
    // The session is the HttpOnly cookie: script sees no token, storage holds none.
    expect(await page.evaluate('document.cookie')).toBe('');
    expect(await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(
      /[A-Za-z0-9_-]{32,}/,
    );

    // Sign out, then sign in again with the password and the code.
    await page.getByRole('button', { name: 'Dil' }).click();
    await page.getByRole('link', { name: 'Hyr' }).first().waitFor();
    await signIn(citizen, 'J00101999W', 'arben@example.al', PASSWORD, 'sign-in-code');
    await page.getByRole('heading', { name: 'Aplikimet e mia' }).waitFor();
    await citizen.check('applications-empty', { screenshot: true });

    await page.goto('/#/services');
    await page.getByLabel('Kërkoni shërbimin sipas emrit').fill('drejtimi nderkombetare');
    await page.getByRole('link', { name: 'Leje drejtimi ndërkombëtare' }).waitFor();
    await citizen.check('services', { screenshot: true });
    await page.getByRole('link', { name: 'Leje drejtimi ndërkombëtare' }).click();

    // The browser refuses a file that is not a PDF before anything is sent.
    await page
      .locator('#document-0')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from('not a pdf') });
    // Cut short: the right start, no %%EOF at the end (the server's test, repeated in the browser).
    await page.locator('#document-1').setInputFiles({
      name: 'cut.pdf',
      mimeType: 'application/pdf',
      buffer: PDF.subarray(0, PDF.length - 7),
    });
    await page.getByRole('button', { name: 'Dërgo aplikimin' }).click();
    await page.getByRole('alert').getByText('"photo.png" nuk është PDF').waitFor();
    await page.getByRole('alert').getByText('"cut.pdf" nuk është PDF').waitFor();
    await page.locator('#document-1').setInputFiles(pdf('photo.pdf'));
    await citizen.check('apply-errors', { screenshot: true });

    await page.locator('#document-0').setInputFiles(pdf('licence.pdf'));
    await page.getByLabel('Qëllimi i kërkesës (nëse dëshironi)').fill('Udhëtim në Itali');
    await page.getByRole('button', { name: 'Dërgo aplikimin' }).click();
    await page.getByRole('heading', { name: 'Leje drejtimi ndërkombëtare' }).waitFor();
    await expect.poll(() => page.locator('#application-status').textContent()).toBe('Dërguar');
    await page.getByRole('link', { name: 'licence.pdf' }).waitFor();
    await citizen.check('application', { screenshot: true });

    // A caseworker of the institution, in a browser of their own, takes the case and approves it.
    const caseworker = await open('caseworker');
    await signIn(caseworker, 'J05515001C', 'elira@example.al');
    await caseworker.page.getByRole('heading', { name: 'Radha e institucionit' }).waitFor();
    await caseworker.check('queue', { screenshot: true });
    await caseworker.page.getByRole('link', { name: 'Leje drejtimi ndërkombëtare' }).click();
    await caseworker.page.getByRole('button', { name: 'Merre këtë aplikim' }).click();
    await caseworker.page.getByText('Aplikimi ju caktua juve.').waitFor();
    await caseworker.check('case', { screenshot: true });
    await caseworker.page.getByLabel('Shënim për aplikuesin (nëse dëshironi)').fill('Gati për t’u tërhequr.');
    await caseworker.page.getByRole('button', { name: 'Mirato' }).click();
    await caseworker.page.getByText('Aplikimi u miratua.').waitFor();

    // The citizen's page, untouched, follows: the subscription brings the approval.
    await expect
      .poll(() => page.locator('#application-status').textContent(), { timeout: 15_000 })
      .toBe('Miratuar');
    await page.getByText('Gati për t’u tërhequr.').waitFor();
    await citizen.check('application-approved', { screenshot: true });
    await page.getByLabel('5 yje').check();
    await page.getByRole('button', { name: 'Dërgo vlerësimin' }).click();
    await page.getByText('Vlerësimi').waitFor();
    await expect.poll(() => page.locator('dl.summary').textContent()).toContain('5 yje');
  });

  it('three wrong passwords show the lock and when it ends, in English once chosen', async () => {
    await registered('K20304003T', '045678901', 'besnik@example.al', '+355692000004');
    const person = await open('locked');
    const { page } = person;
    await page.goto('/');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en');
    await page.reload();
    await page.getByRole('heading', { name: 'Public services in one place' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('en');

    const rejected = await gql(
      `mutation { startLogin(identifier: "K20304003T", password: "wrong") { ... on LoginRejected { message } } }`,
      {},
      'en',
    );
    // (that was one wrong password already, through the API, in English)
    await page.goto('/#/sign-in');
    for (const attempt of [2, 3]) {
      await page.getByLabel('Personal number or NIPT').fill('K20304003T');
      await page.getByLabel('Password', { exact: true }).fill(`wrong-password-${attempt}`);
      const before = new Date(
        ((await (await fetch(`${server.url}/dev/clock`)).json()) as { now: string }).now,
      );
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      if (attempt === 2) {
        await page.getByRole('alert').getByText(String(rejected.data.startLogin?.message)).waitFor();
        await person.check('sign-in-rejected', { screenshot: true });
      } else {
        const after = new Date(
          ((await (await fetch(`${server.url}/dev/clock`)).json()) as { now: string }).now,
        );
        const notice = await page.locator('.lock-notice').textContent({ timeout: 10_000 });
        const shown = (at: Date) => formatLike(new Date(at.getTime() + 3 * 3600_000));
        expect([shown(before), shown(after)].some((text) => notice?.includes(text))).toBe(true);
        await person.check('sign-in-locked', { screenshot: true });
      }
    }
  });

  it('a forgotten password leads through the code, the question and a temporary password to a new one', async () => {
    await registered('J50920007N', '056789012', 'gentian@example.al', '+355692000005');
    const person = await open('recovery');
    const { page } = person;
    await page.goto('/#/sign-in');
    await page.getByRole('link', { name: 'Keni harruar fjalëkalimin?' }).first().click();
    await page.getByLabel('Numri personal ose NIPT').fill('J50920007N');
    await person.check('recover', { screenshot: true });
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    // The code page shows once the code is sent: only then is the outbox read.
    await page.getByLabel('Kodi 6-shifror').waitFor();
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, 'gentian@example.al', CODE));
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByLabel('Qyteti i lindjes?').waitFor();
    await person.check('recover-question', { screenshot: true });
    await page.getByLabel('Qyteti i lindjes?').fill('Korçë');
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByRole('heading', { name: 'Kontrolloni telefonin dhe e-mailin' }).waitFor();
    await person.check('recover-done');
    await page.getByRole('link', { name: 'Hyni me fjalëkalimin e përkohshëm' }).click();

    const temporary = await fromOutbox(server.url, 'gentian@example.al', TEMPORARY_PASSWORD);
    await signIn(person, 'J50920007N', 'gentian@example.al', temporary);
    await page.getByRole('heading', { name: 'Zgjidhni një fjalëkalim të ri' }).waitFor();
    await page.getByLabel('Fjalëkalimi i ri').fill('short');
    await page.getByRole('button', { name: 'Ruaj fjalëkalimin' }).click();
    await page.getByRole('alert').waitFor();
    await person.check('new-password-refused', { screenshot: true });
    await page.getByLabel('Fjalëkalimi i ri').fill('Ulliri-i-Vjeter-77');
    await page.getByRole('button', { name: 'Ruaj fjalëkalimin' }).click();
    await page.getByText('Fjalëkalimi u ndryshua.', { exact: false }).waitFor();

    // The new password is the one that opens the account now.
    const login = await gql(
      `mutation { startLogin(identifier: "J50920007N", password: "Ulliri-i-Vjeter-77") { __typename } }`,
    );
    expect(login.data.startLogin?.__typename).toBe('OtpSent');
  });

  it('a foreign national applies without an account and follows the application with the tracking code', async () => {
    const foreigner = await open('foreigner');
    const { page } = foreigner;
    await page.goto('/');
    await page.getByRole('link', { name: 'Aplikoni si shtetas i huaj, pa llogari' }).click();
    await page.getByRole('link', { name: 'Konvertimi i lejes së huaj të drejtimit' }).click();
    await page.getByLabel('Emri i plotë').fill('Giulia Rossi');
    await page.getByLabel('Numri i pasaportës').fill('YA1234567');
    await page.getByLabel('Shtetësia').fill('it');
    await page.getByLabel('Adresa e e-mailit').fill('giulia@example.it');
    await page.locator('#document-0').setInputFiles(pdf('patente.pdf'));
    await page.locator('#document-1').setInputFiles(pdf('certificato.pdf'));
    await foreigner.check('foreigner-apply', { screenshot: true });
    await page.getByRole('button', { name: 'Dërgo aplikimin' }).click();
    await page.getByRole('heading', { name: 'Aplikimi u dërgua' }).waitFor();
    const code = (await page.locator('#tracking-code').textContent())?.trim() ?? '';
    expect(code.length).toBeGreaterThan(15);
    await page.getByText('Ruajeni këtë kod tani.', { exact: false }).waitFor();
    await foreigner.check('foreigner-code', { screenshot: true });

    // Another visit, with only the code.
    const later = await open('foreigner-later');
    await later.page.goto('/#/track');
    await later.page.getByLabel('Kodi i gjurmimit').fill(code);
    await later.page.getByRole('button', { name: 'Gjej aplikimin' }).click();
    await later.page.getByRole('heading', { name: 'Konvertimi i lejes së huaj të drejtimit' }).waitFor();
    await expect.poll(() => later.page.locator('#application-status').textContent()).toBe('Dërguar');
    await later.check('foreigner-track', { screenshot: true });
    // The code page shows the code only once.
    await page.goto('/#/foreigner/code');
    await page.reload();
    await page.getByRole('heading', { name: 'Kodi i gjurmimit shfaqet vetëm një herë' }).waitFor();
    expect(await page.content()).not.toContain(code);
  });

  it('an auditor verifies the chain and reads the log', async () => {
    await registered('I80715002N', '034567890', 'dritan@example.al', '+355692000003');
    await grant('I80715002N', 'AUDITOR');
    const auditor = await open('auditor');
    const { page } = auditor;
    await signIn(auditor, 'I80715002N', 'dritan@example.al');
    await page.getByRole('heading', { name: 'Auditimi' }).waitFor();
    await page.getByRole('button', { name: 'Verifiko zinxhirin' }).click();
    await expect
      .poll(() => page.locator('#chain-result').textContent())
      .toMatch(/^Zinxhiri është i plotë: u kontrolluan \d+ ngjarje/);
    await page.getByLabel('Qëllimi i këqyrjes').first().fill('Kontroll i rregullt');
    await page.getByRole('textbox', { name: 'Numri personal ose NIPT' }).first().fill('K20304003T');
    await page.getByRole('button', { name: 'Kërko' }).click();
    await page.getByRole('cell', { name: 'AccountLocked' }).first().waitFor();
    await auditor.check('audit', { screenshot: true });
  });

  it('loaded nothing from elsewhere, logged no console error and met WCAG 2.1 AA on every page', () => {
    const all = portals.map((p) => p.findings);
    expect(all.flatMap((f) => f.foreignRequests)).toEqual([]);
    expect(all.flatMap((f) => f.consoleErrors)).toEqual([]);
    expect(
      all
        .flatMap((f) => f.violations)
        .map(
          ({ page, violation }) =>
            `${page}: ${violation.id} (${violation.impact}) ${violation.nodes.map((n) => n.target.join(' ')).join(', ')}`,
        ),
    ).toEqual([]);
  });
});

/** How the portal shows a moment in English (web/src/i18n/i18n.ts), in this machine's time zone. */
function formatLike(at: Date): string {
  const parts = new Intl.DateTimeFormat('en-GB', {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${Number(part('day'))} ${part('month')} ${part('year')}, ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}
