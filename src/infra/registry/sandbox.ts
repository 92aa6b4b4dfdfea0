import type { BusinessRecord, CitizenRecord, Registries } from './port.js';

/**
 * The sandbox registries of development and tests: a few demo people and businesses, and more added
 * through /dev/registry/*. Refused in production by configuration (REGISTRY_URL is required there).
 */
export const DEMO_CITIZENS: CitizenRecord[] = [
  {
    nid: 'J00101999W',
    idCardNumber: '012345678',
    firstName: 'Arben',
    lastName: 'Hoxha',
    birthDate: '1990-01-01',
  },
  {
    nid: 'J05515001C',
    idCardNumber: '023456789',
    firstName: 'Elira',
    lastName: 'Krasniqi',
    birthDate: '1990-05-15',
  },
  {
    nid: 'I80715002N',
    idCardNumber: '034567890',
    firstName: 'Dritan',
    lastName: 'Shehu',
    birthDate: '1988-07-15',
  },
  {
    nid: 'K20304003T',
    idCardNumber: '045678901',
    firstName: 'Besnik',
    lastName: 'Gjoka',
    birthDate: '2002-03-04',
  },
  {
    nid: 'J50920007N',
    idCardNumber: '056789012',
    firstName: 'Gentian',
    lastName: 'Leka',
    birthDate: '1995-09-20',
  },
];

export const DEMO_BUSINESSES: BusinessRecord[] = [
  { nipt: 'L12345678A', name: 'Furra Tirana shpk', administratorNid: 'J00101999W' },
  { nipt: 'K98765432B', name: 'Ndërtimi Vlora sha', administratorNid: 'J05515001C' },
];

export class SandboxRegistries implements Registries {
  private readonly citizens = new Map(DEMO_CITIZENS.map((c) => [c.nid, c]));
  private readonly businesses = new Map(DEMO_BUSINESSES.map((b) => [b.nipt, b]));

  async citizen(nid: string): Promise<CitizenRecord | null> {
    return this.citizens.get(nid) ?? null;
  }

  async business(nipt: string): Promise<BusinessRecord | null> {
    return this.businesses.get(nipt) ?? null;
  }

  /** Development only (/dev/registry/*): the real registries are never written by the portal. */
  addCitizen(record: CitizenRecord): void {
    this.citizens.set(record.nid, record);
  }

  addBusiness(record: BusinessRecord): void {
    this.businesses.set(record.nipt, record);
  }
}
