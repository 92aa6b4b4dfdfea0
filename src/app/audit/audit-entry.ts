import { occurredAtOf } from '../../domain/audit/as-of.js';
import { redact } from '../../domain/audit/redaction.js';
import type { Actor } from '../../domain/shared/events.js';
import type { RecordedEvent } from '../../infra/eventstore/port.js';

/** One event as auditors see it, through the API or an export: secrets redacted, chain links kept. */
export interface AuditEntry {
  position: number;
  stream: string;
  revision: number;
  type: string;
  occurredAt: string;
  recordedAt: string;
  actor: string | null;
  data: unknown;
  hash: string;
  prevHash: string | null;
  personalDigest: string | null;
  correlationId: string | null;
  /**
   * The client's IP address. Personal data, but auditors investigating an attack need it; it goes to
   * exports only (the GraphQL AuditEvent has no field for it) and exports are for auditors alone.
   */
  ip: string | null;
}

export function actorLabel(actor: unknown): string | null {
  if (!actor || typeof actor !== 'object') return null;
  const { display, role, kind } = actor as Actor;
  return display ?? role ?? kind ?? null;
}

const text = (value: unknown) => (typeof value === 'string' ? value : null);

/** Metadata is picked field by field (never copied whole), so nothing unforeseen leaks through it. */
export function toAuditEntry(event: RecordedEvent): AuditEntry {
  const { metadata } = event;
  return {
    position: event.position,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    occurredAt: (occurredAtOf(event) ?? event.recordedAt).toISOString(),
    recordedAt: event.recordedAt.toISOString(),
    actor: actorLabel(metadata.actor),
    data: redact(event.data),
    hash: text(metadata.hash) ?? '',
    prevHash: text(metadata.prevHash),
    personalDigest: text(metadata.personalDigest),
    correlationId: text(metadata.correlationId),
    ip: text(metadata.ip),
  };
}
