import { accountModel } from '../../domain/account/decide.js';
import { accountStream } from '../../domain/shared/streams.js';
import type { Services } from '../services.js';

/**
 * Where to e-mail an applicant who has an account: the address the account's own fold holds, which is
 * only ever a confirmed one (given at a registration confirmed by code, or changed by a code sent to it
 * or by the helpdesk in person). An address proposed in a contact change receives nothing but that
 * change's code until it is confirmed: status e-mails carry caseworkers' notes. Null for an account
 * that is not active.
 */
export async function accountEmail(
  services: Pick<Services, 'commands'>,
  accountId: string,
): Promise<string | null> {
  const { state } = await services.commands.load(accountStream(accountId), accountModel);
  return state.status === 'ACTIVE' ? state.profile.email : null;
}
