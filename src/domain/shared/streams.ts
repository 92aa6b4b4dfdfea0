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

// Read models ask this of every event they replay: prefixes made once, no allocation to find a kind.
const PREFIXES = STREAM_KINDS.map((kind) => [kind, `${kind}-`] as const);

/** The kind of a stream named by this module, or null for any other stream (checkpoints, checks). */
export function kindOfStream(stream: string): StreamKind | null {
  for (const [kind, prefix] of PREFIXES)
    if (stream.length > prefix.length && stream.startsWith(prefix)) return kind;
  return null;
}

/** The kind and id of a stream named by this module, or null for any other stream. */
export function parseStream(stream: string): { kind: StreamKind; id: string } | null {
  const kind = kindOfStream(stream);
  return kind === null ? null : { kind, id: stream.slice(kind.length + 1) };
}

/** The id of `stream` when it is of `kind`, else null. No kind's prefix begins another's, so one test decides. */
export function idOfStream(stream: string, kind: StreamKind): string | null {
  const prefixLength = kind.length + 1;
  return stream.length > prefixLength && stream.startsWith(kind) && stream[kind.length] === '-'
    ? stream.slice(prefixLength)
    : null;
}
