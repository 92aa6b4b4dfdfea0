import { accountStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';

/**
 * Where to e-mail an applicant who has an account. Read from the account stream itself: the latest
 * `personal.email` any of its events carries (registration, a confirmed contact change). Generic on
 * purpose, so it does not depend on the account feature's event names.
 */
export async function accountEmail(
  services: Pick<Services, 'store'>,
  accountId: string,
): Promise<string | null> {
  const events = await services.store.readStream(accountStream(accountId));
  let email: string | null = null;
  for (const event of events) {
    const personal = event.data.personal as { email?: unknown } | undefined;
    const found = personal?.email;
    if (typeof found === 'string' && found.includes('@')) email = found;
  }
  return email;
}
