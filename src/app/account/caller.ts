import type { Actor } from '../../domain/shared/events.js';
import type { Language } from '../../domain/shared/language.js';
import type { CommandMeta } from '../command-handler.js';

/** What a use case needs to know of the request that called it (the API's RequestContext fits). */
export interface Caller {
  lang: Language;
  ip: string;
  meta(actor?: Actor): CommandMeta;
}

export const personActor = (accountId: string): Actor => ({ kind: 'PERSON', accountId });
