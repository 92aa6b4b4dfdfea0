import { applicationsProjection } from './applications.js';
import type { Projection } from './runner.js';

/** Every read model of this instance, in the order they are applied. Features add theirs here. */
export function allProjections(): Projection[] {
  return [applicationsProjection()];
}
