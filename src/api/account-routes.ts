import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { changeRole } from '../app/account/roles.js';
import type { Services } from '../app/services.js';
import { GRANTABLE_ROLES } from '../domain/account/terms.js';
import { isValidNid, isValidNipt, normaliseIdentifier } from '../domain/identity/identifiers.js';
import { systemActor } from '../domain/shared/events.js';
import { ApiError } from './errors.js';
import { preferredLanguage } from './language.js';
import { inputRefused } from './outcomes/account.js';

const Nid = z.string().transform(normaliseIdentifier).refine(isValidNid, 'not a valid NID');
const CitizenBody = z.object({
  nid: Nid,
  idCardNumber: z.string().trim().min(1).max(32),
  firstName: z.string().trim().min(1).max(100),
  lastName: z.string().trim().min(1).max(100),
  birthDate: z.iso.date(),
});
const BusinessBody = z.object({
  nipt: z.string().transform(normaliseIdentifier).refine(isValidNipt, 'not a valid NIPT'),
  name: z.string().trim().min(1).max(200),
  administratorNid: Nid,
});
const RoleBody = z.object({
  identifier: z.string().min(1).max(64),
  role: z.string().min(1).max(32),
  institution: z.string().max(64).nullish(),
});

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  throw new ApiError('BAD_REQUEST', `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`);
}

/**
 * Development tools of the sign-in feature (only with DEV_TOOLS=1): people and businesses for the
 * sandbox registries, and roles granted as events without an admin.
 */
export async function accountRoutes(app: FastifyInstance, services: Services) {
  if (!services.config.DEV_TOOLS) return;

  app.post('/dev/registry/citizens', async (request, reply) => {
    const record = parse(CitizenBody, request.body);
    if (!services.sandboxRegistries)
      throw new ApiError('NOT_FOUND', 'REGISTRY_URL is set: there is no sandbox registry.');
    services.sandboxRegistries.addCitizen(record);
    return reply.status(201).send(record);
  });

  app.post('/dev/registry/businesses', async (request, reply) => {
    const record = parse(BusinessBody, request.body);
    if (!services.sandboxRegistries)
      throw new ApiError('NOT_FOUND', 'REGISTRY_URL is set: there is no sandbox registry.');
    services.sandboxRegistries.addBusiness(record);
    return reply.status(201).send(record);
  });

  app.post('/dev/roles', async (request, reply) => {
    const body = parse(RoleBody, request.body);
    const lang = preferredLanguage(request.headers['accept-language']);
    const result = await changeRole(
      services,
      { lang },
      { actor: systemActor('dev tools'), correlationId: request.id, ip: request.ip },
      { ...body, reason: 'granted through /dev/roles' },
      'GRANT',
      undefined,
      GRANTABLE_ROLES, // development may make an ADMIN; grantRole never does
    );
    if (result.kind === 'InputRefused') {
      const { field, message } = inputRefused(result, lang);
      throw new ApiError('BAD_REQUEST', `${field}: ${message}`);
    }
    return reply.status(201).send(result.account);
  });
}
