// Starting and ending a session in the portal: the API set (or cleared) the HttpOnly cookie; the
// portal only learns who is signed in, reopens the live socket with the new cookie and moves on.
import { request } from '../api/client';
import { resetLive } from '../api/live';
import { type AccountFieldsFragment, LogoutDocument, MeDocument } from '../generated/operations';
import { navigate } from '../router';
import { setState } from '../state';

export function homeOf(account: AccountFieldsFragment): string {
  if (account.roles.includes('CASEWORKER')) return '/queue';
  if (account.roles.includes('AUDITOR')) return '/audit';
  if (account.roles.includes('HELPDESK')) return '/helpdesk';
  return '/applications';
}

export function signedIn(account: AccountFieldsFragment, notice?: string): void {
  resetLive();
  setState({ me: account, flow: notice ? { notice } : {} });
  navigate(homeOf(account));
}

export async function refreshMe(): Promise<void> {
  try {
    const { me } = await request(MeDocument);
    setState({ me });
  } catch {
    setState({ me: null });
  }
}

export async function signOut(): Promise<void> {
  await request(LogoutDocument).catch(() => false);
  resetLive();
  setState({ me: null, flow: {} });
  navigate('/');
}
