/**
 * What every domain event looks like before it is stored: a past-tense type and its data. Personal
 * data (names, e-mail, phone, passport numbers) sits under `data.personal`, apart from the facts, so
 * that it can later be encrypted per person and forgotten without rewriting history; the hash chain
 * covers only a digest of it.
 */
export interface DomainEvent<TType extends string = string, TData extends object = object> {
  type: TType;
  data: TData;
}

/** Who did it, as recorded in every event's metadata. Staff are named by role, not personal number. */
export interface Actor {
  kind: 'PERSON' | 'STAFF' | 'ANONYMOUS' | 'SYSTEM';
  accountId?: string;
  role?: string;
  /** 'Caseworker, DPGJC', 'Helpdesk', 'System (scheduler)': what audit answers show. */
  display?: string;
}

export const systemActor = (job: string): Actor => ({ kind: 'SYSTEM', display: `System (${job})` });
