import { jsonScalarResolvers } from '../json-scalar.js';
import { accountResolvers } from './account.js';
import { applicationResolvers } from './applications.js';
import { auditResolvers } from './audit.js';
import { helpdeskResolvers } from './helpdesk.js';
import type { FeatureResolvers } from './index.js';
import { recoveryResolvers } from './recovery.js';

/** Each feature's resolvers; a feature adds its map here and owns its own file. */
export const features: FeatureResolvers[] = [
  auditResolvers,
  applicationResolvers,
  accountResolvers,
  recoveryResolvers,
  helpdeskResolvers,
  jsonScalarResolvers,
];
