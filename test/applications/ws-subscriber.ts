import type { Client } from 'graphql-ws';

const SUBSCRIPTION = `subscription($id: ID!, $trackingCode: String) {
  applicationUpdated(id: $id, trackingCode: $trackingCode) { id status assignee timeline { status } }
}`;

interface Update {
  id: string;
  status: string;
}

/** Collects pushed updates; `next(n)` waits for the n-th one (no timing assumptions). */
export function subscribe(client: Client, variables: Record<string, unknown>) {
  const received: Update[] = [];
  const errors: unknown[] = [];
  let wake: (() => void) | null = null;
  const stop = client.subscribe<{ applicationUpdated: Update }>(
    { query: SUBSCRIPTION, variables },
    {
      next: (value) => {
        if (value.errors) errors.push(value.errors);
        if (value.data) received.push(value.data.applicationUpdated);
        wake?.();
      },
      error: (error) => {
        errors.push(error);
        wake?.();
      },
      complete: () => wake?.(),
    },
  );
  return {
    received,
    errors,
    stop,
    async until(predicate: () => boolean) {
      while (!predicate()) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}
