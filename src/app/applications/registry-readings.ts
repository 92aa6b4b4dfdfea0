import { createHash } from 'node:crypto';
import type { RegistryReading } from '../../domain/application/submit.js';
import type { CatalogueService } from '../../domain/catalogue/services.js';
import { canonicalJson } from '../../infra/canonical-json.js';
import type { Registries } from '../../infra/registry/port.js';

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
    return record ? [reading('civil-registry', `citizens/${record.nid}`, record, now)] : [];
  }
  if (service.registry === 'BUSINESS_REGISTRY' && applicant.kind === 'BUSINESS') {
    const record = await registries.business(applicant.identifier);
    return record ? [reading('business-registry', `businesses/${record.nipt}`, record, now)] : [];
  }
  return [];
}

function reading(registry: string, reference: string, data: object, now: Date): RegistryReading {
  return {
    registry,
    reference,
    digest: createHash('sha256').update(canonicalJson(data)).digest('hex'),
    retrievedAt: now.toISOString(),
    data,
  };
}
