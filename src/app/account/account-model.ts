import type { AccountEvent } from '../../domain/account/events.js';
import { type AccountState, evolveAccount, initialAccountState } from '../../domain/account/state.js';
import type { StreamModel } from '../../domain/shared/decider.js';

/** The account fold every sign-in command uses; attempts streams fold with it too. */
export const accountModel: StreamModel<AccountState, AccountEvent> = {
  name: 'account',
  initialState: initialAccountState,
  evolve: evolveAccount,
};
