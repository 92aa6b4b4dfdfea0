import { z } from 'zod';
import { accountIdFor } from '../../app/account/account-id.js';
import { type AuditPage, queryAuditLog } from '../../app/audit/audit-log.js';
import { recordStaffReading } from '../../app/audit/staff-reading.js';
import type { Viewer } from '../../app/viewer.js';
import { isStandingPurpose } from '../../domain/audit/data-access.js';
import { readingSubjectOf, readingText } from '../../domain/audit/reading-subject.js';
import { parseStream, type StreamKind } from '../../domain/shared/streams.js';
import type { DataAccessRow } from '../../projections/data-access.js';
import { badInput } from '../errors.js';
import { REQUEST_ID } from '../request-id.js';
import { passGate } from './gates.js';
import type { FeatureResolvers } from './index.js';
import { resolver } from './resolver.js';

/** Cursors are opaque to clients; inside they are a global position. */
function cursorOf(kind: string, position: number): string {
  return Buffer.from(`${kind}:${position}`).toString('base64url');
}

function positionOf(kind: string, cursor: string | null | undefined): number | undefined {
  if (cursor === null || cursor === undefined) return undefined;
  const match = new RegExp(`^${kind}:(\\d{1,15})$`).exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw badInput('after: not a cursor this list gave', 'after');
  return Number(match[1]);
}

const Page = (max: number) => z.number().int().min(1).max(max);
const Instant = z
  .string()
  .refine((v) => !Number.isNaN(Date.parse(v)), 'not a date-time')
  .transform((v) => new Date(v));

const AuditLogArgs = z.object({
  filter: z
    .object({
      identifier: z.string().trim().min(1).max(64).nullish(),
      stream: z.string().min(1).max(200).nullish(),
      types: z.array(z.string().min(1).max(100)).max(50).nullish(),
      from: Instant.nullish(),
      to: Instant.nullish(),
      correlationId: z.string().regex(REQUEST_ID, 'a request id: at most 64 of A-Z a-z 0-9 . _ -').nullish(),
    })
    .nullish(),
  first: Page(500).default(100),
  after: z.string().max(200).nullish(),
  purpose: z.string().max(500).nullish(),
});

/** What a person is told was read of theirs: the kinds of stream the entries came from. */
function whatWasRead(streams: Iterable<string>): string {
  const kinds = new Set<StreamKind | 'other'>();
  for (const stream of streams) kinds.add(parseStream(stream)?.kind ?? 'other');
  return readingText.auditHistory(kinds);
}

/**
 * The readings an audit answer records first, one per person whose data it holds, keyed by subject.
 *
 * Every entry of the page is attributed to its data subject (its stream's owner), so a query with no
 * filter, or only types and times, records a reading for each person on the page, and is refused when
 * any of them cannot be written. The alternative, demanding an identifier or stream, would stop
 * auditors from scanning the log for an attack (all failed sign-ins last night), which they must do;
 * a page holds at most 500 entries, so the records are bounded, and they are written concurrently.
 *
 * Records of earlier readings (data-access streams) met on a page are readings of the person's
 * data-access log, recorded like any other: who looked at whom is itself what an insider would want
 * to know. Only the auditor's own records are left out: recording a reading of them would append a
 * record for each one read, so a scan of the log to its end would chase its own tail forever. Asking
 * for one person (identifier) or their data-access stream by name is recorded as usual.
 *
 * No record is written for entries that concern no one (checkpoints, scheduled checks, an anonymous
 * upload's document stream: stream-owner.ts says why), nor for the auditor's own data. A foreign
 * national's application is recorded in the log keyed by the application, as the applications
 * feature does. An identifier or a person's stream queried is recorded even when the page is empty:
 * looking someone up is itself a reading of them.
 */
function readingsOf(
  page: AuditPage,
  queried: { accountId?: string | undefined; stream?: string | null | undefined },
  viewer: Viewer,
): Map<string, string> {
  const streams = new Map<string, Set<string>>();
  const add = (subject: string | null | undefined, stream: string | null) => {
    if (!subject || subject === viewer.accountId) return;
    const seen = streams.get(subject) ?? new Set<string>();
    if (stream) seen.add(stream);
    streams.set(subject, seen);
  };
  if (queried.accountId) add(queried.accountId, null);
  if (page.streamSubject) add(page.streamSubject, queried.stream ?? null);
  for (const [i, entry] of page.entries.entries())
    if (parseStream(entry.stream)?.kind !== 'data-access' || page.actorAccounts[i] !== viewer.accountId)
      add(page.subjects[i], entry.stream);
  const what = new Map<string, string>();
  // An identifier's query keeps its plain wording: the person sees "their audit history was read".
  for (const [subject, seen] of streams)
    what.set(
      subject,
      subject === queried.accountId && !queried.stream ? readingText.auditHistory([]) : whatWasRead(seen),
    );
  return what;
}

export const auditResolvers: FeatureResolvers = {
  Query: {
    auditLog: resolver(async (args, context) => {
      const { viewer } = await passGate(context, 'auditLog');
      const { filter, first, after, purpose } = AuditLogArgs.parse(args);
      const { services } = context;
      const accountId = filter?.identifier
        ? accountIdFor(services.keys.streamNames, filter.identifier)
        : undefined;
      const page = await queryAuditLog(services.readDb, services.store, {
        ...(accountId ? { accountId } : {}),
        ...(filter?.stream ? { stream: filter.stream } : {}),
        ...(filter?.types ? { types: filter.types } : {}),
        ...(filter?.from ? { from: filter.from } : {}),
        ...(filter?.to ? { to: filter.to } : {}),
        ...(filter?.correlationId ? { correlationId: filter.correlationId } : {}),
        ...(after ? { afterPosition: positionOf('audit', after) } : {}),
        first,
      });
      // Nothing is answered until every person on the page has the reading in their log.
      const readings = readingsOf(page, { accountId, stream: filter?.stream }, viewer);
      await Promise.all(
        [...readings].map(([subjectAccountId, what]) =>
          recordStaffReading(context.services, context, viewer, 'AUDITOR', {
            subjectAccountId,
            purpose,
            what,
          }),
        ),
      );
      const edges = page.entries.map((entry) => ({
        cursor: cursorOf('audit', entry.position),
        node: {
          position: String(entry.position),
          stream: entry.stream,
          type: entry.type,
          occurredAt: entry.occurredAt,
          actor: entry.actor,
          data: entry.data,
          hash: entry.hash,
          correlationId: entry.correlationId,
        },
      }));
      return {
        edges,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null },
        indexGaps: page.indexGaps.map(String),
      };
    }),

    verifyAuditChain: resolver(async (_args, context) => {
      await passGate(context, 'verifyAuditChain');
      const verification = await context.services.audit.verify();
      return {
        ok: verification.ok,
        checkedEvents: verification.checkedEvents,
        firstBrokenPosition:
          verification.firstBrokenPosition === null ? null : String(verification.firstBrokenPosition),
        problem: verification.problem,
        checkpoints: verification.checkpoints,
        witness: verification.witness,
      };
    }),

    myDataAccess: resolver(async (args, context) => {
      const viewer = await context.requireViewer();
      const { first, after } = z
        .object({ first: Page(200).default(50), after: z.string().max(200).nullish() })
        .parse(args);
      const before = positionOf('access', after) ?? Number.MAX_SAFE_INTEGER;
      const rows = context.services.readDb
        .prepare<[string, number, number], DataAccessRow>(
          'SELECT * FROM data_access WHERE account_id = ? AND position < ? ORDER BY position DESC LIMIT ?',
        )
        .all(viewer.accountId, before, first + 1);
      const edges = rows.slice(0, first).map((row) => ({
        cursor: cursorOf('access', row.position),
        node: {
          at: row.at,
          actor: row.actor,
          role: row.role,
          purpose: row.purpose,
          standingPurpose: isStandingPurpose(row.role, row.purpose),
          what: row.what,
          read: readingSubjectOf(row.what),
        },
      }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      };
    }),
  },
};
