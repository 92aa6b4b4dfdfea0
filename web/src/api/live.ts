// applicationUpdated over graphql-ws at /graphql on the same origin. The upgrade request carries the
// session cookie, so no token is ever handed to script; a foreign applicant passes the tracking code.
import { type Client, createClient } from 'graphql-ws';
import { ApplicationUpdatedDocument, type ApplicationUpdatedSubscription } from '../generated/operations';

let client: Client | undefined;

function wsClient(): Client {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  client ??= createClient({ url: `${scheme}//${location.host}/graphql`, lazy: true, retryAttempts: 5 });
  return client;
}

/** Calls `onUpdate` with each new state of the application; returns the function that stops it. */
export function watchApplication(
  id: string,
  trackingCode: string | null,
  onUpdate: (application: ApplicationUpdatedSubscription['applicationUpdated']) => void,
): () => void {
  return wsClient().subscribe<ApplicationUpdatedSubscription>(
    { query: ApplicationUpdatedDocument, variables: { id, trackingCode } },
    {
      next: (message) => {
        if (message.data) onUpdate(message.data.applicationUpdated);
      },
      error: () => {},
      complete: () => {},
    },
  );
}

/** After sign-in or sign-out the socket must be opened anew, with the new cookie. */
export function resetLive(): void {
  void client?.dispose();
  client = undefined;
}
