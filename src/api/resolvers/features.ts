import { accountResolvers } from './account.js';
import { applicationResolvers } from './applications.js';
import { auditResolvers } from './audit.js';
import type { FeatureResolvers } from './index.js';

/** Each feature's resolvers; a feature adds its map here and owns its own file. */
export const features: FeatureResolvers[] = [auditResolvers, applicationResolvers, accountResolvers];
