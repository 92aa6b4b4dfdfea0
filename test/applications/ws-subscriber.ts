import type { FastifyInstance } from 'fastify';
import type { Client } from 'graphql-ws';

const SUBSCRIPTION = `subscription($id: ID!, $trackingCode: String) {
  applicationUpdated(id: $id, trackingCode: $trackingCode) { id status assignee timeline { status } }
}`;

interface Update {
  id: string;
  status: string;
}

/** Collects pushed updates; `until(predicate)` waits for what the test expects (no timing assumptions). */
export function subscribe(client: Client, variables: Record<string, unknown>) {
  const received: Update[] = [];
  const errors: unknown[] = [];
  const state = { completed: false };
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
      complete: () => {
        state.completed = true;
        wake?.();
      },
    },
  );
  return {
    received,
    errors,
    /** True once the server completed the subscription (or the client stopped it). */
    get completed() {
      return state.completed;
    },
    stop,
    async until(predicate: () => boolean) {
      while (!predicate()) await new Promise<void>((resolve) => (wake = resolve));
    },
  };
}

/**
 * graphql-ws tells the client nothing when the server has registered a subscription, so tests count
 * registrations on the server's emitter and wait for them before changing anything.
 */
export function countSubscriptions(app: FastifyInstance): (applicationId: string) => number {
  const registered = new Map<string, number>();
  const emitter = (
    app as unknown as {
      graphql: {
        pubsub: {
          emitter: { on: (topic: string, listener: unknown, done?: (error?: unknown) => void) => unknown };
        };
      };
    }
  ).graphql.pubsub.emitter;
  const on = emitter.on.bind(emitter);
  emitter.on = (topic: string, listener: unknown, done?: (error?: unknown) => void) =>
    on(topic, listener, (error?: unknown) => {
      registered.set(topic, (registered.get(topic) ?? 0) + 1);
      done?.(error);
    });
  return (id) => registered.get(`application:${id}`) ?? 0;
}
