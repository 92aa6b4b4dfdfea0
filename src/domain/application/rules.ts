import type { Refusal } from './outcomes.js';

/**
 * How many documents one step may name. A submission names exactly its service's required documents
 * (the catalogue's services need at most a few); information provided later may add up to
 * MAX_EXTRA_DOCUMENTS. MAX_DOCUMENT_IDS bounds any list a request may carry at all, at the edge,
 * before anything is read: twice the most a step may use, so the step's own rule gives the answer.
 */
export const MAX_EXTRA_DOCUMENTS = 10;
export const MAX_DOCUMENT_IDS = 2 * MAX_EXTRA_DOCUMENTS;

/** The one check of a named list of documents: no more than `max`, and no document twice. */
export function documentListRefusal(ids: readonly string[], max: number): Refusal | null {
  if (ids.length > max) return { kind: 'REFUSED', field: 'documentIds', code: 'TOO_MANY_DOCUMENTS' };
  if (new Set(ids).size !== ids.length)
    return { kind: 'REFUSED', field: 'documentIds', code: 'DUPLICATE_DOCUMENT' };
  return null;
}
