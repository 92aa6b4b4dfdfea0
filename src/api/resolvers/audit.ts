import { z } from 'zod';
import { accountIdFor } from '../../app/account/account-id.js';
import { queryAuditLog } from '../../app/audit/audit-log.js';
import { DataAccessNotRecorded, recordDataAccess } from '../../app/audit/data-access-recorder.js';
import { DataAccessRefused, type StaffRole } from '../../domain/audit/data-access.js';
import type { DataAccessRow } from '../../projections/data-access.js';
import type { RequestContext, Role, Viewer } from '../context.js';
import { ApiError, badInput, forbidden } from '../errors.js';
import type { FeatureResolvers } from './index.js';

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
    })
    .nullish(),
  first: Page(500).default(100),
  after: z.string().max(200).nullish(),
  purpose: z.string().max(500).nullish(),
});

async function requireRole(context: RequestContext, role: Role): Promise<Viewer> {
  const viewer = await context.requireViewer();
  if (!viewer.roles.includes(role)) throw forbidden();
  return viewer;
}

/** Streams named after the account they belong to carry its id; an application's owner is looked up. */
function subjectOfStream(context: RequestContext, stream: string): string | null {
  for (const prefix of ['account-', 'data-access-', 'attempts-'])
    if (stream.startsWith(prefix)) return stream.slice(prefix.length);
  const owner = context.services.readDb
    .prepare('SELECT account_id FROM audit_stream_owner WHERE stream = ?')
    .get(stream) as { account_id: string } | undefined;
  return owner?.account_id ?? null;
}

/**
 * Records a staff reading in the person's data-access log before the answer is given; a reading that
 * cannot be recorded is refused. Other features' staff queries (accountStatus, application) call this.
 */
export async function recordStaffReading(
  context: RequestContext,
  viewer: Viewer,
  role: StaffRole,
  reading: { subjectAccountId: string; purpose: string | null | undefined; what: string },
): Promise<void> {
  try {
    await recordDataAccess(context.services, {
      subjectAccountId: reading.subjectAccountId,
      actor: viewer.displayName,
      actorAccountId: viewer.accountId,
      role,
      purpose: reading.purpose ?? null,
      what: reading.what,
      correlationId: context.correlationId,
      ip: context.ip,
    });
  } catch (error) {
    if (error instanceof DataAccessRefused) throw badInput(error.message, 'purpose');
    if (error instanceof DataAccessNotRecorded) throw new ApiError('UNAVAILABLE', error.message);
    throw error;
  }
}

/** Mercurius types the context as its own; ours is built by buildContext (src/api/context.ts). */
const resolver =
  (answer: (args: unknown, context: RequestContext) => Promise<unknown>) =>
  (_root: unknown, args: unknown, context: unknown) =>
    answer(args, context as RequestContext);

export const auditResolvers: FeatureResolvers = {
  Query: {
    auditLog: resolver(async (args, context) => {
      const viewer = await requireRole(context, 'AUDITOR');
      const { filter, first, after, purpose } = AuditLogArgs.parse(args);
      const { services } = context;
      let accountId: string | undefined;
      if (filter?.identifier) accountId = accountIdFor(services.keys.streamNames, filter.identifier);
      const subjects = new Set<string>();
      if (accountId) subjects.add(accountId);
      if (filter?.stream) {
        const owner = subjectOfStream(context, filter.stream);
        if (owner) subjects.add(owner);
      }
      for (const subjectAccountId of subjects)
        await recordStaffReading(context, viewer, 'AUDITOR', {
          subjectAccountId,
          purpose,
          what: filter?.stream ? `Audit history (${filter.stream.split('-')[0]} events)` : 'Audit history',
        });
      const page = await queryAuditLog(services.readDb, services.store, {
        ...(accountId ? { accountId } : {}),
        ...(filter?.stream ? { stream: filter.stream } : {}),
        ...(filter?.types ? { types: filter.types } : {}),
        ...(filter?.from ? { from: filter.from } : {}),
        ...(filter?.to ? { to: filter.to } : {}),
        ...(after ? { afterPosition: positionOf('audit', after) } : {}),
        first,
      });
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
        },
      }));
      return { edges, pageInfo: { hasNextPage: page.hasNextPage, endCursor: edges.at(-1)?.cursor ?? null } };
    }),

    verifyAuditChain: resolver(async (_args, context) => {
      await requireRole(context, 'AUDITOR');
      const verification = await context.services.audit.verify();
      return {
        ok: verification.ok,
        checkedEvents: verification.checkedEvents,
        firstBrokenPosition:
          verification.firstBrokenPosition === null ? null : String(verification.firstBrokenPosition),
        problem: verification.problem,
        checkpoints: verification.checkpoints,
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
        node: { at: row.at, actor: row.actor, role: row.role, purpose: row.purpose, what: row.what },
      }));
      return {
        edges,
        pageInfo: { hasNextPage: rows.length > first, endCursor: edges.at(-1)?.cursor ?? null },
      };
    }),
  },
};
