// The reference portal in headless Chromium against the built server, as `npm start` serves it:
// the journeys a person and staff take, each page checked with axe-core, with the network limited
// to the server's own origin and no console error.
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nidCheckLetter } from '../../src/domain/identity/identifiers.js';
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

  /** The citizen's and the caseworker's browsers, kept signed in from one journey to the next. */
  let citizen: Portal;
  let caseworker: Portal;

  /** Applies through the portal's form, one PDF per required document; the new application's id. */
  async function applyFor(portal: Portal, serviceId: string): Promise<string> {
    const { page } = portal;
    await page.goto(`/#/services/${serviceId}/apply`);
    await page.locator('#document-1').setInputFiles(pdf('first.pdf'));
    await page.locator('#document-0').setInputFiles(pdf('second.pdf'));
    await page.getByRole('button', { name: 'Dërgo aplikimin' }).click();
    await page.waitForURL(/#\/applications\/[^/]+$/);
    await expect.poll(() => page.locator('#application-status').textContent()).toBe('Dërguar');
    return decodeURIComponent(page.url().split('/').pop() ?? '');
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

    citizen = await open('citizen');
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
    // The documents to attach are named in the chosen language.
    await page.getByLabel('Leje drejtimi shqiptare (të dyja anët)').waitFor();
    await page.getByLabel('Fotografi pasaporte').waitFor();

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
    caseworker = await open('caseworker');
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

    // Who acted is worded by the portal in the chosen language (from the API's facts, not its English).
    const timeline = page.locator('ol.timeline');
    const albanian = await timeline.textContent();
    expect(albanian).toContain('Aplikuesi');
    expect(albanian).toContain('Punonjës, DPSHTRR');
    expect(albanian).not.toMatch(/Applicant|Caseworker/);
    expect(await page.locator('dl.summary').textContent()).toContain('Punonjës, DPSHTRR');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => timeline.textContent()).toContain('Caseworker, DPSHTRR');
    expect(await timeline.textContent()).toContain('Applicant');
    await page.getByRole('button', { name: 'Shqip' }).click();
    await expect.poll(() => timeline.textContent()).toContain('Punonjës, DPSHTRR');
  });

  it('a caseworker asks for information and rejects with a reason; the citizen answers, and withdraws another', async () => {
    const { page } = citizen;
    const id = await applyFor(citizen, 'DPSHTRR-LICENCE-CONVERSION');

    const desk = caseworker.page;
    await desk.goto(`/#/queue/${encodeURIComponent(id)}`);
    await desk.getByRole('button', { name: 'Merre këtë aplikim' }).click();
    await desk.getByText('Aplikimi ju caktua juve.').waitFor();
    await desk.getByRole('button', { name: 'Kërko të dhëna' }).click();
    // The message is required: the form says so before anything is sent.
    await desk
      .getByRole('alert')
      .getByRole('link', { name: 'Plotësoni fushën "Çfarë i kërkohet aplikuesit".' })
      .waitFor();
    await desk.getByLabel('Çfarë i kërkohet aplikuesit').fill('Dërgoni edhe certifikatën mjekësore të re.');
    await desk.getByRole('button', { name: 'Kërko të dhëna' }).click();
    await desk.getByText('Kërkesa për të dhëna u dërgua.').waitFor();

    // The citizen's page follows live, and answers with a document.
    await expect
      .poll(() => page.locator('#application-status').textContent(), { timeout: 15_000 })
      .toBe('Kërkohen të dhëna');
    await page.getByText('Dërgoni edhe certifikatën mjekësore të re.').waitFor();
    await citizen.check('information-requested', { screenshot: true });
    await page.getByLabel('Përgjigjja juaj').fill('E bashkëngjita certifikatën.');
    await page.locator('#info-document').setInputFiles(pdf('certifikata.pdf'));
    await page.getByRole('button', { name: 'Dërgo përgjigjen' }).click();
    await expect.poll(() => page.locator('#application-status').textContent()).toBe('Në shqyrtim');
    await page.getByRole('link', { name: 'certifikata.pdf' }).waitFor();

    await desk.reload();
    await desk.getByLabel('Arsyeja e refuzimit').fill('Certifikata mjekësore ka skaduar.');
    await desk.getByRole('button', { name: 'Refuzo' }).click();
    await desk.getByText('Aplikimi u refuzua.').waitFor();
    await expect
      .poll(() => page.locator('#application-status').textContent(), { timeout: 15_000 })
      .toBe('Refuzuar');
    await page.getByText('Certifikata mjekësore ka skaduar.').waitFor();
    await citizen.check('application-rejected');

    // Another application, withdrawn while still open: nothing is left to withdraw afterwards.
    await applyFor(citizen, 'DPSHTRR-INTERNATIONAL-LICENCE');
    await page.getByRole('button', { name: 'Tërhiq aplikimin' }).click();
    await expect.poll(() => page.locator('#application-status').textContent()).toBe('Tërhequr');
    await page.getByRole('button', { name: 'Tërhiq aplikimin' }).waitFor({ state: 'detached' });
  });

  it('the citizen sees who looked at their data, changes the phone by code and registers their business', async () => {
    const { page } = citizen;
    await page.goto('/#/account/data-access');
    await page.locator('.card').first().waitFor();
    const readings = await page.locator('.card-list').textContent();
    // The caseworker gave no purpose of their own: the standing one, worded in Albanian.
    expect(readings).toContain('(Punonjës)');
    expect(readings).toContain('Trajtimi i një aplikimi');
    expect(readings).not.toContain('Handling an application');
    // What was read, worded from the API's facts in the chosen language, not in its English words.
    expect(readings).toContain('në radhën e punës');
    expect(readings).toContain('i shfaqur pas miratimit');
    expect(readings).not.toMatch(/Application |case queue|answer to/);
    await citizen.check('data-access', { screenshot: true });
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.locator('.card-list').textContent()).toContain('in the work queue');
    const english = await page.locator('.card-list').textContent();
    expect(english).toContain('shown after it was approved');
    expect(english).toContain('Handling an application');
    expect(english).not.toContain('case queue');
    await page.getByRole('button', { name: 'Shqip' }).click();
    await expect.poll(() => page.locator('.card-list').textContent()).toContain('në radhën e punës');

    await page.goto('/#/account/contact');
    await page.getByLabel('Numri i ri i telefonit').fill('+355692000011');
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByLabel('Kodi 6-shifror').waitFor();
    await citizen.check('contact-code');
    // The code goes to the new phone: it proves the person holds it.
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, '+355692000011', CODE));
    await page.getByRole('button', { name: 'Konfirmo' }).click();
    await page.getByText('Kontaktet u ndryshuan.').waitFor();
    expect(await page.locator('dl.summary').textContent()).toContain('+355692000011');

    // The business, registered by its administrator signed in as a citizen (the NID is filled in).
    await page.getByRole('link', { name: 'Regjistroni një biznes' }).click();
    expect(await page.getByLabel('Numri personal i administratorit').inputValue()).toBe('J00101999W');
    await page.getByLabel('NIPT i biznesit').fill('L12345678A');
    await page.getByLabel('Adresa e e-mailit').fill('info@drita-shpk.al');
    await page.getByLabel('Numri i telefonit').fill('+355692000012');
    await page.getByLabel('Fjalëkalimi i ri').fill('Dyqani-i-Drites-2026');
    await page.getByLabel('Pyetja e sigurisë').fill('Viti i themelimit?');
    await page.getByLabel('Përgjigjja e pyetjes së sigurisë').fill('2004');
    await citizen.check('register-business');
    await page.getByRole('button', { name: 'Regjistrohu' }).click();
    await page.getByLabel('Kodi 6-shifror').waitFor();
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, 'info@drita-shpk.al', CODE));
    await page.getByRole('button', { name: 'Konfirmo' }).click();
    await page.getByText('Llogaria juaj u krijua dhe keni hyrë.').waitFor();
    // The business's own account opens with its own password.
    const business = await gql(
      'mutation($id: String!, $p: String!) { startLogin(identifier: $id, password: $p) { __typename } }',
      {
        id: 'L12345678A',
        p: 'Dyqani-i-Drites-2026',
      },
    );
    expect(business.data.startLogin?.__typename).toBe('OtpSent');
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

    // The API's own English words for a wrong password, asked for someone nobody registered: every
    // rejection answers alike, and the account's three attempts are all left to the browser.
    const stranger = `J90115001${nidCheckLetter('J90115001')}`;
    const rejected = await gql(
      `mutation($id: String!) { startLogin(identifier: $id, password: "wrong") { ... on LoginRejected { message } } }`,
      { id: stranger },
      'en',
    );
    expect(rejected.data.startLogin?.message).toBeTruthy();
    await page.goto('/#/sign-in');
    for (const attempt of [1, 2, 3]) {
      await page.getByLabel('Personal number or NIPT').fill('K20304003T');
      await page.getByLabel('Password', { exact: true }).fill(`wrong-password-${attempt}`);
      const before = new Date(
        ((await (await fetch(`${server.url}/dev/clock`)).json()) as { now: string }).now,
      );
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      if (attempt < 3) {
        // (the next click waits for the button, disabled while this try is being answered)
        await page.getByRole('alert').getByText(String(rejected.data.startLogin?.message)).waitFor();
        if (attempt === 1) await person.check('sign-in-rejected', { screenshot: true });
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
    await person.check('recover-code');
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

  it('a forgotten security question too: the account’s e-mail proves who it is, and a new question is set', async () => {
    const person = await open('recovery-email');
    const { page } = person;
    await page.goto('/#/recover');
    await page.getByLabel('Numri personal ose NIPT').fill('J50920007N');
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByLabel('Kodi 6-shifror').waitFor();
    await page.getByLabel('Kodi 6-shifror').fill(await fromOutbox(server.url, 'gentian@example.al', CODE));
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByRole('link', { name: 'Nuk e mbaj mend përgjigjen' }).click();
    await page.getByRole('heading', { name: 'Konfirmoni e-mailin tuaj' }).waitFor();
    await page.getByLabel('Adresa e e-mailit').fill('tjeter@example.al');
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page
      .getByRole('alert')
      .getByText('Ky e-mail nuk përputhet me llogarinë.', { exact: false })
      .waitFor();
    await person.check('recover-email', { screenshot: true });
    await page.getByLabel('Adresa e e-mailit').fill('gentian@example.al');
    await page.getByRole('button', { name: 'Vazhdo' }).click();
    await page.getByRole('heading', { name: 'Kontrolloni telefonin dhe e-mailin' }).waitFor();

    const temporary = await fromOutbox(server.url, 'gentian@example.al', TEMPORARY_PASSWORD);
    await signIn(person, 'J50920007N', 'gentian@example.al', temporary);
    await page.getByRole('heading', { name: 'Zgjidhni një fjalëkalim të ri' }).waitFor();
    // The old question was forgotten: a new one is asked for with the new password.
    await page.getByLabel('Fjalëkalimi i ri').fill('Gjethe-Vjeshte-2026');
    await page.getByLabel('Pyetja e sigurisë').fill('Mësuesja e parë?');
    await page.getByLabel('Përgjigjja e pyetjes së sigurisë').fill('Liria');
    await person.check('new-password-question');
    await page.getByRole('button', { name: 'Ruaj fjalëkalimin' }).click();
    await page.getByText('Fjalëkalimi u ndryshua.', { exact: false }).waitFor();

    // The next recovery asks the new question.
    const { data } = await gql(
      `mutation { startPasswordRecovery(identifier: "J50920007N") { ... on RecoveryStep { recoveryId } } }`,
    );
    const asked = await gql(
      `mutation($id: ID!, $code: String!) { verifyRecoveryCode(recoveryId: $id, code: $code) { ... on RecoveryStep { securityQuestion } } }`,
      {
        id: data.startPasswordRecovery?.recoveryId,
        code: await fromOutbox(server.url, 'gentian@example.al', CODE),
      },
    );
    expect(asked.data.verifyRecoveryCode?.securityQuestion).toBe('Mësuesja e parë?');
  });

  it('a foreign national applies without an account and follows the application with the tracking code', async () => {
    const foreigner = await open('foreigner');
    const { page } = foreigner;
    await page.goto('/');
    await page.getByRole('link', { name: 'Aplikoni si shtetas i huaj, pa llogari' }).click();
    await page.getByRole('link', { name: 'Konvertimi i lejes së huaj të drejtimit' }).waitFor();
    await foreigner.check('foreigner-services');
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
    await later.page.getByLabel('Kodi i gjurmimit').waitFor();
    await later.check('track');
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
    await foreigner.check('foreigner-code-gone');
  });

  it('the helpdesk ends the lock and sends a temporary password, with a reason; an auditor verifies the chain and reads the log', async () => {
    // One staff member holding both roles: one sign-in for both pages.
    await registered('I80715002N', '034567890', 'dritan@example.al', '+355692000003');
    await grant('I80715002N', 'HELPDESK');
    await grant('I80715002N', 'AUDITOR');
    const staff = await open('staff');
    const { page } = staff;
    await signIn(staff, 'I80715002N', 'dritan@example.al');
    await page.getByRole('heading', { name: 'Auditimi' }).waitFor();

    await page.getByRole('link', { name: 'Ndihma' }).click();
    await page.getByRole('heading', { name: 'Ndihma për llogaritë' }).waitFor();
    await page.getByLabel('Numri personal ose NIPT').fill('K20304003T');
    await page.getByLabel('Qëllimi i këqyrjes').fill('Personi telefonoi për bllokimin');
    await page.getByRole('button', { name: 'Shiko' }).click();
    await expect.poll(() => page.locator('#account-status').textContent()).toContain('Po, deri më');
    await page.getByRole('button', { name: 'Zhblloko' }).click();
    // A reason is required, and said so before anything is sent.
    await page.getByRole('alert').getByRole('link', { name: 'Plotësoni fushën "Arsyeja".' }).waitFor();
    await staff.check('helpdesk', { screenshot: true });
    await page.getByLabel('Arsyeja', { exact: true }).fill('Identiteti u verifikua me telefon');
    await page.getByRole('button', { name: 'Zhblloko' }).click();
    await page.getByText('Llogaria u zhbllokua.').waitFor();
    await page.getByRole('button', { name: 'Dërgo fjalëkalim të përkohshëm' }).click();
    await page.getByText('U dërgua një fjalëkalim i përkohshëm te kontaktet e llogarisë.').waitFor();
    // The lock is over, and the temporary password sent to the person's contacts opens the account.
    const temporary = await fromOutbox(server.url, 'besnik@example.al', TEMPORARY_PASSWORD);
    const login = await gql(
      'mutation($p: String!) { startLogin(identifier: "K20304003T", password: $p) { __typename } }',
      { p: temporary },
    );
    expect(login.data.startLogin?.__typename).toBe('OtpSent');

    await page.getByRole('link', { name: 'Auditimi' }).click();
    await page.getByRole('button', { name: 'Verifiko zinxhirin' }).click();
    await expect
      .poll(() => page.locator('#chain-result').textContent())
      .toMatch(/^Zinxhiri është i plotë: u kontrolluan \d+ ngjarje/);
    await page.getByLabel('Qëllimi i këqyrjes').first().fill('Kontroll i rregullt');
    await page.getByRole('textbox', { name: 'Numri personal ose NIPT' }).first().fill('K20304003T');
    await page.getByRole('button', { name: 'Kërko' }).click();
    await page.getByRole('cell', { name: 'AccountLocked' }).first().waitFor();
    await page.getByRole('cell', { name: 'AccountUnlocked' }).first().waitFor();
    await staff.check('audit', { screenshot: true });
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
