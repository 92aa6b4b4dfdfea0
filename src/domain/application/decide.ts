import type { Decider, StreamModel } from '../shared/decider.js';
import { decideAct } from './acts.js';
import type { ApplicationCommand } from './commands.js';
import type { ApplicationEvent } from './events.js';
import type { ApplicationDecision, ApplicationOutcome } from './outcomes.js';
import { type ApplicationState, evolve, initialState } from './state.js';
import { decideSubmission } from './submission.js';

/**
 * The application stream's one decider: a submission creates the stream; every later act is judged by
 * the ACTS table (who, in which status) and the state machine (acts.ts).
 */
export function decide(command: ApplicationCommand, state: ApplicationState): ApplicationDecision {
  return command.type === 'SubmitApplication' ? decideSubmission(state, command) : decideAct(state, command);
}

/** The fold every application command decides on; `name` keys the command handler's cache of it. */
export const applicationModel: StreamModel<ApplicationState, ApplicationEvent> = {
  name: 'application',
  initialState,
  evolve,
};

export const applicationDecider: Decider<
  ApplicationCommand,
  ApplicationState,
  ApplicationEvent,
  ApplicationOutcome
> = { ...applicationModel, decide };
