/**
 * Every stream's name, built and read here only. A stream is named `<kind>-<id>`: the kind says which
 * decider folds it, the id whose it is; only the audit's own two streams have fixed names. Account ids are hex and application and document ids are
 * UUID-like, so `data-access-application-<id>` (a foreign national's log, keyed by the application)
 * never meets `data-access-<account id>`.
 */
export const STREAM_KINDS = ['account', 'attempts', 'data-access', 'application', 'document'] as const;
export type StreamKind = (typeof STREAM_KINDS)[number];

const name = (kind: StreamKind) => (id: string) => `${kind}-${id}`;

/** A person's account. */
export const accountStream = name('account');
/** Sign-in attempts for an identifier that has no account (same rules, same answers, no account). */
export const attemptsStream = name('attempts');
/** A person's data-access log: every staff reading of their data. */
export const dataAccessStream = name('data-access');
export const applicationStream = name('application');
export const documentStream = name('document');

/** The audit's own streams: one of each, holding no one's data, so they have no id to read back. */
export const auditCheckpointsStream = 'audit-checkpoints';
export const auditChecksStream = 'audit-checks';

/**
 * The kind and id of a stream named after someone or something, or null for any other stream (the
 * audit's own). `data-access-` is tried before any shorter kind could claim it.
 */
export function parseStream(stream: string): { kind: StreamKind; id: string } | null {
  for (const kind of STREAM_KINDS) {
    const prefix = `${kind}-`;
    if (stream.startsWith(prefix) && stream.length > prefix.length)
      return { kind, id: stream.slice(prefix.length) };
  }
  return null;
}

/** The id of `stream` when it is of `kind`, else null. */
export const idOfStream = (stream: string, kind: StreamKind): string | null => {
  const parsed = parseStream(stream);
  return parsed?.kind === kind ? parsed.id : null;
};
