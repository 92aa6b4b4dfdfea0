import type { AccountCommand } from '../../domain/account/commands.js';
import { accountModel, decide } from '../../domain/account/decide.js';
import type { AccountEvent } from '../../domain/account/events.js';
import type { AccountOutcome } from '../../domain/account/outcomes.js';
import type { AccountState } from '../../domain/account/state.js';
import type { CommandMeta, StreamView } from '../command-handler.js';
import type { Services } from '../services.js';

export interface AccountRun {
  outcome: AccountOutcome;
  /** The fold the decision was taken on, the events it appended (empty when none), and the fold after them. */
  before: AccountState;
  events: AccountEvent[];
  after: AccountState;
}

/**
 * One account command through the command handler: `prepare` does the impure part (argon2, limits)
 * on the view read and returns the command; the pure decider does the rest. `prepare` may run again
 * after a conflict with another instance, so it must cache its expensive work. Answers once this
 * instance's read models include the events (read your writes).
 */
export async function runAccountCommand(
  services: Pick<Services, 'commands' | 'projections'>,
  stream: string,
  meta: CommandMeta,
  prepare: (view: StreamView<AccountState>) => AccountCommand | Promise<AccountCommand>,
): Promise<AccountRun> {
  const outcome = await services.commands.execute(
    stream,
    accountModel,
    async (view) => {
      const decision = decide(await prepare(view), view.state);
      return {
        events: decision.events,
        result: { outcome: decision.outcome, before: view.state, events: decision.events },
      };
    },
    meta,
  );
  await services.projections.waitFor(outcome.position);
  return { ...outcome.result, after: outcome.state };
}
