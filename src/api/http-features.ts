import type { FastifyInstance } from 'fastify';
import type { Services } from '../app/services.js';
import type { Authenticator } from '../app/viewer.js';
import { accountRoutes } from './account-routes.js';
import { documentsRoutes } from './documents-routes.js';
import { applicationUpdatesFeature } from './resolvers/applications.js';

/** HTTP routes of each feature (documents, dev registry, ...), each in its own encapsulated plugin. */
export type HttpFeature = (
  app: FastifyInstance,
  services: Services,
  authenticator: Authenticator,
) => Promise<void>;

export const httpFeatures: HttpFeature[] = [documentsRoutes, applicationUpdatesFeature, accountRoutes];
