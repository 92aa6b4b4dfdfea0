import { describe, expect, it } from 'vitest';
import { gateRole, isGatedOperation, ROLE_GATES } from '../../src/app/access/role-gates.js';
import type { Role, Viewer } from '../../src/app/viewer.js';

const viewer = (roles: Role[], institution: string | null = null): Viewer => ({
  accountId: 'a1',
  kind: 'CITIZEN',
  identifier: 'J00101999W',
  displayName: 'Test',
  roles,
  institution,
  sessionId: 's1',
});

/** Not role-gated rows: fields whose use case judges the caller, a made-up one, and names every object answers to. */
const UNLISTED = [
  'applyForService',
  'me',
  'assignApplication',
  'application',
  'dropAllAccounts',
  'toString',
  'constructor',
  '__proto__',
  '',
];

const ALL: Role[] = ['CITIZEN', 'BUSINESS', 'CASEWORKER', 'HELPDESK', 'AUDITOR', 'ADMIN'];

describe('role gates: who may call each staff operation', () => {
  const GATED = Object.keys(ROLE_GATES).filter(isGatedOperation);

  it('the staff operations are role-gated rows of the table', () => {
    expect(GATED.sort()).toEqual(
      [
        'accountStatus',
        'auditLog',
        'caseQueue',
        'grantRole',
        'regeneratePassword',
        'revokeRole',
        'unlockAccount',
        'verifyAuditChain',
      ].sort(),
    );
  });

  it.each(GATED.map((operation) => [operation, ROLE_GATES[operation]] as const))(
    '%s lets exactly its roles through',
    (operation, gate) => {
      for (const role of ALL) {
        const passes = (gate.callers as readonly string[]).includes(role);
        expect(gateRole(viewer(['CITIZEN', role], 'DPGJC'), operation)).toBe(passes ? role : null);
      }
    },
  );

  it('a plain citizen passes no gate', () => {
    for (const operation of GATED) expect(gateRole(viewer(['CITIZEN']), operation)).toBeNull();
  });

  it('accountStatus is answered as HELPDESK first when the viewer holds both roles', () => {
    expect(gateRole(viewer(['CITIZEN', 'AUDITOR', 'HELPDESK']), 'accountStatus')).toBe('HELPDESK');
    expect(gateRole(viewer(['CITIZEN', 'AUDITOR']), 'accountStatus')).toBe('AUDITOR');
  });

  it('the case queue needs the institution a caseworker works for', () => {
    expect(gateRole(viewer(['CITIZEN', 'CASEWORKER'], null), 'caseQueue')).toBeNull();
    expect(gateRole(viewer(['CITIZEN', 'CASEWORKER'], 'DPGJC'), 'caseQueue')).toBe('CASEWORKER');
  });

  it('an operation the table does not list is refused to every role, even one named like an object key', () => {
    const everyone = viewer(ALL, 'DPGJC');
    for (const unknown of UNLISTED) {
      expect(isGatedOperation(unknown)).toBe(false);
      expect(gateRole(everyone, unknown)).toBeNull();
    }
  });
});
