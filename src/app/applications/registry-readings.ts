import { createHash } from 'node:crypto';
import type { RegistryReading } from '../../domain/application/commands.js';
import type { CatalogueService } from '../../domain/catalogue/services.js';
import { canonicalJson } from '../../infra/canonical-json.js';
import type { CitizenRecord, Registries } from '../../infra/registry/port.js';

/**
 * Reads (never writes) the registry record a service needs, and keeps what was read, when, and a
 * SHA-256 digest of its canonical JSON, so a caseworker and an auditor later see the same record.
 */
export async function readRegistryFor(
  service: CatalogueService | undefined,
  applicant: { kind: 'CITIZEN' | 'BUSINESS' | 'FOREIGNER'; identifier: string },
  registries: Registries,
  now: Date,
): Promise<RegistryReading[]> {
  if (!service?.registry) return [];
  if (service.registry === 'CIVIL_REGISTRY' && applicant.kind === 'CITIZEN') {
    const record = await registries.citizen(applicant.identifier);
    return record ? [reading('civil-registry', `citizens/${record.nid}`, withoutProof(record), now)] : [];
  }
  if (service.registry === 'BUSINESS_REGISTRY' && applicant.kind === 'BUSINESS') {
    const record = await registries.business(applicant.identifier);
    return record ? [reading('business-registry', `businesses/${record.nipt}`, record, now)] : [];
  }
  return [];
}

/**
 * The ID card number is left out of what an application keeps: with the NID it is all registration
 * asks to prove who one is, so it must not sit in applications shown to caseworkers and auditors. No
 * service's decision needs it (the NID identifies the person).
 */
function withoutProof(record: CitizenRecord): Omit<CitizenRecord, 'idCardNumber'> {
  const { idCardNumber: _proof, ...kept } = record;
  return kept;
}

/**
 * The digest covers exactly the data kept, so anyone holding the application can check it. A digest of
 * the record as read, ID card number included, could not be checked, and would let whoever sees the
 * rest of the record find the number by trying the few billion candidates against it.
 */
function reading(registry: string, reference: string, data: object, now: Date): RegistryReading {
  return {
    registry,
    reference,
    digest: createHash('sha256').update(canonicalJson(data)).digest('hex'),
    retrievedAt: now.toISOString(),
    data,
  };
}
