import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { readableDocument, uploadDocument } from '../app/applications/documents.js';
import { accessorOf } from '../app/applications/read-access.js';
import { recordApplicationReading } from '../app/audit/staff-reading.js';
import type { Services } from '../app/services.js';
import type { Authenticator, Viewer } from '../app/viewer.js';
import { readingText } from '../domain/audit/reading-subject.js';
import { DocumentTooLargeError, MAX_DOCUMENT_BYTES, NotPdfError } from '../infra/documents/blob-store.js';
import { tokenOf } from './context.js';
import { attachmentDisposition } from './download-name.js';
import { ApiError, notFound, rateLimited, unauthenticated } from './errors.js';

/** Anonymous uploads (foreign nationals) per client IP per hour. */
const ANONYMOUS_UPLOADS_PER_IP_PER_HOUR = 30;
/**
 * Uploads per signed-in account per hour: an application needs at most a handful, and unused ones
 * are purged after a day (purgeUnattachedUploads), so together they bound what one account can
 * leave on disk (60 x 24 x 5 MiB a day at worst).
 */
export const UPLOADS_PER_ACCOUNT_PER_HOUR = 60;

const Params = z.object({ id: z.string().min(1).max(64) });
const Query = z.object({
  trackingCode: z.string().min(1).max(100).optional(),
  /** Why a caseworker or auditor opens the document; the role's standing purpose when absent. */
  purpose: z.string().max(500).optional(),
});

async function viewerOf(request: FastifyRequest, authenticator: Authenticator) {
  const { token, fromCookie } = tokenOf(request);
  if (!token) return { viewer: null as Viewer | null, fromCookie };
  const viewer = await authenticator.viewerForToken(token);
  if (!viewer) throw unauthenticated('The session has ended; sign in again.');
  return { viewer, fromCookie };
}

/**
 * POST /documents and GET /documents/{id}, as the contract defines them. The upload is streamed:
 * the size limit and the `%PDF-` check act while bytes arrive, and a refused upload leaves no file.
 */
export async function documentsRoutes(
  app: FastifyInstance,
  services: Services,
  authenticator: Authenticator,
) {
  await app.register(multipart, {
    // Our own counter refuses the 5,242,881st byte; busboy's limit is only a second fence.
    limits: { fileSize: MAX_DOCUMENT_BYTES + 1, files: 1, fields: 10, parts: 11 },
    throwFileSizeLimit: true,
  });

  app.post('/documents', async (request, reply) => {
    const { viewer, fromCookie } = await viewerOf(request, authenticator);
    // A cross-site form can carry the cookie but cannot set this header.
    if (viewer && fromCookie && request.headers['x-portal-request'] !== '1')
      throw new ApiError(
        'BAD_REQUEST',
        'Uploads authenticated by the cookie need the header x-portal-request: 1.',
      );
    const limit = await services.rateLimits.hit(
      viewer ? `documents:account:${viewer.accountId}` : `documents:anonymous:${request.ip}`,
      viewer ? UPLOADS_PER_ACCOUNT_PER_HOUR : ANONYMOUS_UPLOADS_PER_IP_PER_HOUR,
      3600_000,
      services.clock.now(),
    );
    if (!limit.allowed) throw rateLimited(limit.retryAfterSeconds);
    if (!request.isMultipart())
      throw new ApiError('BAD_REQUEST', 'Send multipart/form-data with one part named "file".');
    const part = await request.file();
    if (part?.fieldname !== 'file')
      throw new ApiError('BAD_REQUEST', 'Send multipart/form-data with one part named "file".');
    try {
      const document = await uploadDocument(services, part.file, part.filename, viewer?.accountId ?? null, {
        actor: viewer
          ? { kind: 'PERSON', accountId: viewer.accountId, role: viewer.kind, display: 'Uploader' }
          : { kind: 'ANONYMOUS', display: 'Uploader (anonymous)' },
        correlationId: request.id,
        ip: request.ip,
      });
      return reply.status(201).send({
        documentId: document.documentId,
        fileName: document.fileName,
        size: document.size,
        sha256: document.sha256,
      });
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (error instanceof DocumentTooLargeError || code === 'FST_REQ_FILE_TOO_LARGE') {
        // The rest of the body is not read: close the connection instead of draining megabytes.
        reply.header('connection', 'close');
        throw new ApiError('TOO_LARGE', `A document may be at most ${MAX_DOCUMENT_BYTES} bytes (5 MiB).`);
      }
      if (error instanceof NotPdfError) {
        reply.header('connection', 'close');
        throw new ApiError('NOT_PDF', 'Only PDF documents are accepted.');
      }
      throw error;
    }
  });

  app.get('/documents/:id', async (request, reply) => {
    const params = Params.safeParse(request.params);
    const query = Query.safeParse(request.query);
    if (!params.success || !query.success) throw notFound('No such document.');
    const { viewer } = await viewerOf(request, authenticator);
    const caller = accessorOf(services.keys, viewer, query.data.trackingCode);
    const readable = await readableDocument(services, params.data.id, caller);
    if (!readable || services.blobs.size(readable.document.documentId) === null)
      throw notFound('No such document.');
    const { document, through } = readable;
    // A caseworker's or auditor's download is a reading of the applicant's data: recorded first, or refused.
    if (through)
      await recordApplicationReading(
        services,
        { correlationId: request.id, ip: request.ip },
        viewer,
        caller,
        through,
        {
          purpose: query.data.purpose,
          // By id: the file name is the applicant's own text (often their name), kept out of `what`.
          what: readingText.document(document.documentId, through.applicationId),
        },
      );
    const body = services.blobs.read(document.documentId);
    if (!body) throw notFound('No such document.');
    return (
      reply
        .header('content-type', 'application/pdf')
        .header('content-length', String(document.size))
        .header('content-disposition', attachmentDisposition(document.fileName))
        .header('x-content-type-options', 'nosniff')
        // Opened in a browser tab anyway, the file runs no script and reaches no origin.
        .header('content-security-policy', 'sandbox')
        .header('cache-control', 'private, no-store')
        .send(body)
    );
  });
}
