import { applicationsProjection } from './applications.js';
import { auditLogProjection } from './audit.js';
import { dataAccessProjection } from './data-access.js';
import { lockoutProjection } from './lockout.js';
import type { Projection } from './runner.js';

/** Every read model of this instance, in the order they are applied. Features add theirs here. */
export function allProjections(): Projection[] {
  return [auditLogProjection(), dataAccessProjection(), applicationsProjection(), lockoutProjection()];
}
