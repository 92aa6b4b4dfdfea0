import type { Authenticator } from '../../api/context.js';
import type { Services } from '../services.js';

/** Sessions → viewers. Placeholder until sessions exist: nobody is signed in. */
export function createAuthenticator(_services: Services): Authenticator {
  return { viewerForToken: async () => null };
}
