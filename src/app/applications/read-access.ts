import { type Accessor, maySee, standingOf } from '../../domain/application/access.js';
import { applicationModel } from '../../domain/application/decide.js';
import type { ExistingApplication } from '../../domain/application/state.js';
import { isApplicationId } from '../../domain/shared/ids.js';
import { applicationStream } from '../../domain/shared/streams.js';
import type { Keys } from '../../infra/keys.js';
import type { Services } from '../services.js';
import type { Viewer } from '../viewer.js';
import { applicationIdForTrackingCode, sameHash, trackingCodeHash } from './tracking-codes.js';

/** Whoever asks, as the access rules see them: the signed-in viewer (if any) and a tracking code it presented. */
export function accessorOf(keys: Keys, viewer: Viewer | null, trackingCode?: string | null): Accessor {
  return {
    accountId: viewer?.accountId ?? null,
    roles: viewer?.roles ?? [],
    institution: viewer?.institution ?? null,
    trackingCodeHash: trackingCode ? trackingCodeHash(keys, trackingCode) : null,
  };
}

/**
 * The one place reads decide who sees an application: from its stream, never from a read model.
 * null when it does not exist or the caller may not see it (the two look the same from outside).
 */
export async function visibleApplication(
  services: Pick<Services, 'commands'>,
  applicationId: string,
  accessor: Accessor,
): Promise<ExistingApplication | null> {
  if (!isApplicationId(applicationId)) return null;
  const { state } = await services.commands.load(applicationStream(applicationId), applicationModel);
  if (state.status === 'NONE') return null;
  return maySee(standingOf(state, accessor)) ? state : null;
}

/** Finds a foreign national's application from its tracking code alone (no read model involved). */
export async function applicationForTrackingCode(
  services: Pick<Services, 'commands' | 'keys'>,
  trackingCode: string,
): Promise<ExistingApplication | null> {
  const id = applicationIdForTrackingCode(services.keys, trackingCode);
  const { state } = await services.commands.load(applicationStream(id), applicationModel);
  if (state.status === 'NONE' || !state.applicant.trackingCodeHash) return null;
  return sameHash(state.applicant.trackingCodeHash, trackingCodeHash(services.keys, trackingCode))
    ? state
    : null;
}
