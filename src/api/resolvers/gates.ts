import { type GatedOperation, type GateRole, gateRole } from '../../app/access/role-gates.js';
import type { Viewer } from '../../app/viewer.js';
import { forbidden } from '../errors.js';

/**
 * The signed-in viewer and the role it passes the operation's gate in (src/app/access/role-gates.ts);
 * UNAUTHENTICATED without a session, FORBIDDEN for a role the table does not let through.
 */
export async function passGate<O extends GatedOperation>(
  context: { requireViewer(): Promise<Viewer> },
  operation: O,
): Promise<{ viewer: Viewer; role: GateRole<O> }> {
  const viewer = await context.requireViewer();
  const role = gateRole(viewer, operation);
  if (role === null) throw forbidden();
  return { viewer, role };
}
