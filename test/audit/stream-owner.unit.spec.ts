import { describe, expect, it } from 'vitest';
import { ownerNamedBy, ownerOfStreamName } from '../../src/domain/audit/stream-owner.js';

describe('whose data a stream holds', () => {
  it('reads it from the names of account streams', () => {
    expect(ownerOfStreamName('account-ab12')).toBe('ab12');
    expect(ownerOfStreamName('attempts-ab12')).toBe('ab12');
    expect(ownerOfStreamName('data-access-ab12')).toBe('ab12');
    expect(ownerOfStreamName('data-access-application-7')).toBe('application-7');
    expect(ownerOfStreamName('application-7')).toBeNull();
    expect(ownerOfStreamName('$audit-checkpoints')).toBeNull();
  });

  it('takes an application’s from its submission’s applicant, a foreign national’s as the application', () => {
    const submitted = (accountId: string | null) => ({
      applicationId: '7',
      applicant: { kind: 'CITIZEN', accountId, trackingCodeHash: null },
    });
    expect(ownerNamedBy('application-7', 'ApplicationSubmitted', submitted('ab12'))).toBe('ab12');
    expect(ownerNamedBy('application-7', 'ApplicationSubmitted', submitted(null))).toBe('application-7');
    // Later events name staff, never the owner.
    expect(ownerNamedBy('application-7', 'ApplicationAssigned', { accountId: 'staff' })).toBeNull();
  });

  it('takes a document’s from its uploader, and none from an anonymous upload or a claim', () => {
    expect(ownerNamedBy('document-d', 'DocumentUploaded', { uploaderAccountId: 'ab12' })).toBe('ab12');
    expect(ownerNamedBy('document-d', 'DocumentUploaded', { uploaderAccountId: null })).toBeNull();
    expect(ownerNamedBy('document-d', 'DocumentClaimed', { applicationId: '7' })).toBeNull();
  });

  it('takes other streams’ from a top-level account field', () => {
    expect(ownerNamedBy('other-1', 'Something', { accountId: 'ab12' })).toBe('ab12');
    expect(ownerNamedBy('other-1', 'Something', { applicantAccountId: 'cd34' })).toBe('cd34');
    expect(ownerNamedBy('other-1', 'Something', { accountId: '' })).toBeNull();
    expect(ownerNamedBy('other-1', 'Something', {})).toBeNull();
  });
});
