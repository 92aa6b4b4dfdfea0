/**
 * The institutions' registries, reached through the interoperability platform. Read-only by design:
 * there is no method that writes, because the portal never modifies registry data.
 */
export interface CitizenRecord {
  nid: string;
  idCardNumber: string;
  firstName: string;
  lastName: string;
  /** YYYY-MM-DD */
  birthDate: string;
}

export interface BusinessRecord {
  nipt: string;
  name: string;
  administratorNid: string;
}

export interface Registries {
  /** null when the registry has no such person. Throws RegistryUnavailableError when it cannot answer. */
  citizen(nid: string): Promise<CitizenRecord | null>;
  business(nipt: string): Promise<BusinessRecord | null>;
}

export class RegistryUnavailableError extends Error {
  readonly code = 'UNAVAILABLE';
  constructor(registry: string, cause?: unknown) {
    super(`The ${registry} registry does not answer.`, { cause });
    this.name = 'RegistryUnavailableError';
  }
}
