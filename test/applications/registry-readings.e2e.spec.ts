import { createHash } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/infra/canonical-json.js';
import { type CaseApp, MUTATIONS, QUERIES, startCaseApp } from './support.js';

/** The sandbox's record of J00101999W (Arben Hoxha): its ID card number proves who one is at registration. */
const ID_CARD_NUMBER = '012345678';

describe('registry readings kept by an application', () => {
  let t: CaseApp;
  beforeEach(async () => {
    t = await startCaseApp();
  });
  afterEach(async () => {
    await t?.close();
  });

  it('keep the civil-registry record without the ID card number, with a digest of what is kept', async () => {
    const record = await t.services.registries.citizen('J00101999W');
    expect(record?.idCardNumber).toBe(ID_CARD_NUMBER);
    const applied = await t.as('arben', MUTATIONS.apply, { serviceId: 'DPGJC-PERSONAL-CERTIFICATE' });
    const id = applied.data.applyForService.id as string;

    const seen = (await t.as('dpgjc1', QUERIES.application, { id })).data.application;
    const [reading] = seen.registryRecords;
    expect(reading.data).toMatchObject({ nid: 'J00101999W', firstName: 'Arben' });
    expect(reading.data).not.toHaveProperty('idCardNumber');
    expect(reading.digest).toBe(createHash('sha256').update(canonicalJson(reading.data)).digest('hex'));

    // Nowhere: not in the answer, the log (what auditLog replays) or the read models.
    const everything = [
      JSON.stringify(seen),
      JSON.stringify(await t.services.store.readStream(`application-${id}`)),
      JSON.stringify(t.services.readDb.prepare('SELECT * FROM app_registry_records').all()),
    ].join('\n');
    expect(everything).toContain('J00101999W');
    expect(everything).not.toContain(ID_CARD_NUMBER);
  });
});
