// What the portal remembers between pages: who is signed in (asked of the API, never stored) and the
// step of a journey in progress (a challenge id, a recovery id), in memory only: a reload starts the
// journey again, and nothing that opens an account is ever written to browser storage.
import { useEffect, useState } from 'preact/hooks';
import type { AccountFieldsFragment } from './generated/operations';

export interface Flow {
  challengeId?: string;
  channels?: { channel: string; to: string }[];
  expiresAt?: string;
  changeToken?: string;
  requiresSecurityQuestion?: boolean;
  recoveryId?: string;
  securityQuestion?: string | null;
  trackingCode?: string;
  notice?: string;
}

interface State {
  me: AccountFieldsFragment | null | undefined;
  flow: Flow;
}

let state: State = { me: undefined, flow: {} };
const listeners = new Set<() => void>();

export const getState = (): State => state;

export function setState(patch: Partial<State>): void {
  state = { ...state, ...patch };
  for (const listener of listeners) listener();
}

export function setFlow(flow: Flow): void {
  setState({ flow });
}

export function useAppState(): State {
  const [, rerender] = useState(0);
  useEffect(() => {
    const listener = () => rerender((n) => n + 1);
    listeners.add(listener);
    return () => listeners.delete(listener);
  }, []);
  return state;
}
