import type { AccountCommand, NewContacts } from '../../src/domain/account/commands.js';
import { accountDecider } from '../../src/domain/account/decide.js';
import type {
  AccountEvent,
  Channel,
  CodePurpose,
  GrantableRole,
  OtpIssued,
  SessionStarted,
} from '../../src/domain/account/events.js';
import { CODE_TTL_MS, FAILURES_BEFORE_LOCK, SESSION_ABSOLUTE_MS } from '../../src/domain/account/rules.js';
import type { AccountState } from '../../src/domain/account/state.js';
import { DeciderSpecification } from './decider-spec.js';

/**
 * Fixed ids, hashes and instants for the account decider's specifications, and the histories they start
 * from. Histories are built by the decider itself (decide, then keep the events), so they are exactly
 * what the command handler would have appended; expected events in the specs are written literally.
 */

export const given = DeciderSpecification.for(accountDecider);

// --- instants -------------------------------------------------------------------------------------
export const T0 = new Date('2026-03-02T08:00:00.000Z');
/** `ms` after T0. */
export const at = (ms: number) => new Date(T0.getTime() + ms);
/** `ms` after T0, as events store it. */
export const isoAt = (ms: number) => at(ms).toISOString();
export const MINUTE = 60_000;

// --- ids and hashes -------------------------------------------------------------------------------
export const ACCOUNT_ID = 'account-0001';
export const STAFF_ACCOUNT_ID = 'account-staff';
export const PERSON = {
  identifier: 'J00101999W',
  displayName: 'Arben Hoxha',
  email: 'arben@example.al',
  phone: '+355691234567',
  securityQuestion: 'Emri i gjyshes?',
} as const;
export const NEW_EMAIL = 'arben.new@example.al';
export const NEW_PHONE = '+355699999999';
export const HASH = {
  password: '$argon2id$password',
  newPassword: '$argon2id$new-password',
  answer: '$argon2id$answer',
  newAnswer: '$argon2id$new-answer',
  temporaryPassword: 'hmac-temporary-password-1',
  wrongTemporaryPassword: 'hmac-not-the-temporary-password',
  changeToken: 'hmac-change-token',
} as const;
export const CHALLENGE = {
  registration: 'challenge-registration',
  signIn: 'challenge-sign-in',
  passwordChange: 'challenge-password-change',
  recovery: 'recovery-1',
  temporarySignIn: 'challenge-temporary-sign-in',
  contactChange: 'challenge-contact-change',
} as const;
/** The HMAC of the right code for a challenge. */
export const codeHash = (challengeId: string) => `hmac-code-${challengeId}`;
export const WRONG_CODE = 'hmac-code-wrong';
export const SESSION = {
  registration: 'session-registration',
  signIn: 'session-sign-in',
  reset: 'session-reset',
} as const;
export const TEMPORARY_PASSWORD = {
  temporaryPasswordId: 'temporary-password-1',
  passwordHash: HASH.temporaryPassword,
} as const;
export const BOTH: Channel[] = ['SMS', 'EMAIL'];
export const REASON = 'Identity checked at the counter';

// --- commands -------------------------------------------------------------------------------------
type Of<T extends AccountCommand['type']> = Extract<AccountCommand, { type: T }>;
type Args<T extends AccountCommand['type']> = Partial<Omit<Of<T>, 'type'>>;

export const command = {
  registerAccount: (o: Args<'RegisterAccount'> = {}): Of<'RegisterAccount'> => ({
    type: 'RegisterAccount',
    accountId: ACCOUNT_ID,
    kind: 'CITIZEN',
    ...PERSON,
    passwordHash: HASH.password,
    securityAnswerHash: HASH.answer,
    challengeId: CHALLENGE.registration,
    codeHash: codeHash(CHALLENGE.registration),
    now: T0,
    ...o,
  }),
  confirmRegistration: (o: Args<'ConfirmRegistration'> = {}): Of<'ConfirmRegistration'> => ({
    type: 'ConfirmRegistration',
    challengeId: CHALLENGE.registration,
    codeHash: codeHash(CHALLENGE.registration),
    sessionId: SESSION.registration,
    grantAdmin: false,
    now: T0,
    ...o,
  }),
  startSignIn: (o: Args<'StartSignIn'> = {}): Of<'StartSignIn'> => ({
    type: 'StartSignIn',
    accountId: ACCOUNT_ID,
    purpose: 'SIGN_IN',
    passwordMatches: true,
    codeLimit: { allowed: true },
    challengeId: CHALLENGE.signIn,
    codeHash: codeHash(CHALLENGE.signIn),
    now: T0,
    ...o,
  }),
  completeSignIn: (o: Args<'CompleteSignIn'> = {}): Of<'CompleteSignIn'> => ({
    type: 'CompleteSignIn',
    challengeId: CHALLENGE.signIn,
    codeHash: codeHash(CHALLENGE.signIn),
    sessionId: SESSION.signIn,
    grantAdmin: false,
    now: T0,
    ...o,
  }),
  resendCode: (o: Args<'ResendCode'> = {}): Of<'ResendCode'> => ({
    type: 'ResendCode',
    challengeId: CHALLENGE.signIn,
    codeHash: 'hmac-code-resent',
    now: T0,
    ...o,
  }),
  endSession: (o: Args<'EndSession'> = {}): Of<'EndSession'> => ({
    type: 'EndSession',
    sessionId: SESSION.signIn,
    reason: 'LOGOUT',
    now: T0,
    ...o,
  }),
  changePassword: (o: Args<'ChangePassword'> = {}): Of<'ChangePassword'> => ({
    type: 'ChangePassword',
    challengeId: CHALLENGE.passwordChange,
    codeHash: codeHash(CHALLENGE.passwordChange),
    passwordHash: HASH.newPassword,
    keepSessionId: SESSION.signIn,
    now: T0,
    ...o,
  }),
  setNewPassword: (o: Args<'SetNewPassword'> = {}): Of<'SetNewPassword'> => ({
    type: 'SetNewPassword',
    changeTokenHash: HASH.changeToken,
    passwordHash: HASH.newPassword,
    security: null,
    sessionId: SESSION.reset,
    grantAdmin: false,
    now: T0,
    ...o,
  }),
  grantRole: (o: Args<'GrantRole'> = {}): Of<'GrantRole'> => ({
    type: 'GrantRole',
    role: 'HELPDESK',
    institution: null,
    reason: 'Joins the helpdesk',
    now: T0,
    ...o,
  }),
  revokeRole: (o: Args<'RevokeRole'> = {}): Of<'RevokeRole'> => ({
    type: 'RevokeRole',
    role: 'HELPDESK',
    reason: 'Left the helpdesk',
    now: T0,
    ...o,
  }),
  startRecovery: (o: Args<'StartRecovery'> = {}): Of<'StartRecovery'> => ({
    type: 'StartRecovery',
    accountId: ACCOUNT_ID,
    recoveryId: CHALLENGE.recovery,
    codeHash: codeHash(CHALLENGE.recovery),
    now: T0,
    ...o,
  }),
  verifyRecoveryCode: (o: Args<'VerifyRecoveryCode'> = {}): Of<'VerifyRecoveryCode'> => ({
    type: 'VerifyRecoveryCode',
    recoveryId: CHALLENGE.recovery,
    codeHash: codeHash(CHALLENGE.recovery),
    now: T0,
    ...o,
  }),
  answerSecurityQuestion: (o: Args<'AnswerSecurityQuestion'> = {}): Of<'AnswerSecurityQuestion'> => ({
    type: 'AnswerSecurityQuestion',
    recoveryId: CHALLENGE.recovery,
    answerMatches: true,
    temporaryPassword: { ...TEMPORARY_PASSWORD },
    codeLimit: { allowed: true },
    now: T0,
    ...o,
  }),
  confirmRecoveryEmail: (o: Args<'ConfirmRecoveryEmail'> = {}): Of<'ConfirmRecoveryEmail'> => ({
    type: 'ConfirmRecoveryEmail',
    recoveryId: CHALLENGE.recovery,
    email: PERSON.email,
    temporaryPassword: { ...TEMPORARY_PASSWORD },
    codeLimit: { allowed: true },
    now: T0,
    ...o,
  }),
  regeneratePassword: (o: Args<'RegeneratePassword'> = {}): Of<'RegeneratePassword'> => ({
    type: 'RegeneratePassword',
    staffAccountId: STAFF_ACCOUNT_ID,
    targetIsConfiguredAdmin: false,
    temporaryPassword: { ...TEMPORARY_PASSWORD },
    newContacts: null,
    reason: REASON,
    codeLimit: { allowed: true },
    now: T0,
    ...o,
  }),
  unlockAccount: (o: Args<'UnlockAccount'> = {}): Of<'UnlockAccount'> => ({
    type: 'UnlockAccount',
    reason: REASON,
    staffAccountId: STAFF_ACCOUNT_ID,
    byAdmin: false,
    targetIsConfiguredAdmin: false,
    now: T0,
    ...o,
  }),
  startContactChange: (o: Args<'StartContactChange'> = {}): Of<'StartContactChange'> => ({
    type: 'StartContactChange',
    sessionId: SESSION.registration,
    challengeId: CHALLENGE.contactChange,
    codeHash: codeHash(CHALLENGE.contactChange),
    newContacts: { email: NEW_EMAIL },
    now: T0,
    ...o,
  }),
  completeContactChange: (o: Args<'CompleteContactChange'> = {}): Of<'CompleteContactChange'> => ({
    type: 'CompleteContactChange',
    challengeId: CHALLENGE.contactChange,
    codeHash: codeHash(CHALLENGE.contactChange),
    now: T0,
    ...o,
  }),
};

// --- expected events written literally ----------------------------------------------------------
export function otpIssued(
  challengeId: string,
  purpose: CodePurpose,
  now: Date,
  hash = codeHash(challengeId),
  channels: Channel[] = BOTH,
): OtpIssued {
  return {
    type: 'OtpIssued',
    data: {
      accountId: ACCOUNT_ID,
      challengeId,
      purpose,
      codeHash: hash,
      channels,
      issuedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + CODE_TTL_MS).toISOString(),
    },
  };
}
export const otpVerified = (challengeId: string, now: Date): AccountEvent => ({
  type: 'OtpVerified',
  data: { accountId: ACCOUNT_ID, challengeId, verifiedAt: now.toISOString() },
});
export const otpRejected = (challengeId: string, wrongTries: number, now: Date): AccountEvent => ({
  type: 'OtpRejected',
  data: { accountId: ACCOUNT_ID, challengeId, wrongTries, rejectedAt: now.toISOString() },
});
export const sessionStarted = (sessionId: string, now: Date): SessionStarted => ({
  type: 'SessionStarted',
  data: {
    accountId: ACCOUNT_ID,
    sessionId,
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS).toISOString(),
  },
});

// --- histories, built by the decider ---------------------------------------------------------------
export function fold(events: readonly AccountEvent[]): AccountState {
  return events.reduce((s, e) => accountDecider.evolve(s, e), accountDecider.initialState());
}

/** The history after `command` was decided on it; throws when it appended nothing (a broken fixture). */
export function followedBy(events: readonly AccountEvent[], ...commands: AccountCommand[]): AccountEvent[] {
  let history = [...events];
  for (const c of commands) {
    const decision = accountDecider.decide(c, fold(history));
    if (decision.events.length === 0)
      throw new Error(`fixture: ${c.type} appended nothing (${JSON.stringify(decision.outcome)})`);
    history = [...history, ...decision.events];
  }
  return history;
}

/** Registered, contacts not yet proven: AccountRegistered and the REGISTRATION code. */
export const registeredCitizen = (now = T0) => followedBy([], command.registerAccount({ now }));

/** Registration confirmed at `now`: ACTIVE, with the session SESSION.registration started then. */
export const activeAccount = (now = T0) =>
  followedBy(registeredCitizen(now), command.confirmRegistration({ now }));

/** Active since T0, then FAILURES_BEFORE_LOCK wrong passwords at `now`: locked until now + LOCK_MS. */
export const lockedAccount = (now = T0) =>
  followedBy(
    activeAccount(),
    ...Array.from({ length: FAILURES_BEFORE_LOCK }, () =>
      command.startSignIn({ passwordMatches: false, now }),
    ),
  );

/** The right password at `now`: a SIGN_IN code (CHALLENGE.signIn) is open. */
export const signInChallengeOpen = (now = T0, base = activeAccount()) =>
  followedBy(base, command.startSignIn({ now }));

/** Signed in at `now` with password and code: SESSION.signIn (besides SESSION.registration). */
export const signedIn = (now = T0, base = activeAccount()) =>
  followedBy(signInChallengeOpen(now, base), command.completeSignIn({ now }));

/** A RECOVERY code (CHALLENGE.recovery) sent at `now`. */
export const recoveryStarted = (now = T0, base = activeAccount()) =>
  followedBy(base, command.startRecovery({ now }));

/** The recovery code came back: the answer or the e-mail is next. */
export const recoveryCodeVerified = (now = T0, base = activeAccount()) =>
  followedBy(recoveryStarted(now, base), command.verifyRecoveryCode({ now }));

export type RecoveryVia = 'SECURITY_ANSWER' | 'EMAIL';

/** TEMPORARY_PASSWORD issued at `now` after the right answer, or the right e-mail (a new question is due). */
export const temporaryPasswordIssued = (
  via: RecoveryVia = 'SECURITY_ANSWER',
  now = T0,
  base = activeAccount(),
) =>
  followedBy(
    recoveryCodeVerified(now, base),
    via === 'EMAIL' ? command.confirmRecoveryEmail({ now }) : command.answerSecurityQuestion({ now }),
  );

/** The temporary password typed at sign-in: a TEMPORARY_SIGN_IN code (CHALLENGE.temporarySignIn) is open. */
export const temporaryPasswordAccepted = (
  via: RecoveryVia = 'SECURITY_ANSWER',
  now = T0,
  base = activeAccount(),
) =>
  followedBy(
    temporaryPasswordIssued(via, now, base),
    command.startSignIn({
      passwordMatches: false,
      temporaryPasswordHash: HASH.temporaryPassword,
      challengeId: CHALLENGE.temporarySignIn,
      codeHash: codeHash(CHALLENGE.temporarySignIn),
      now,
    }),
  );

/** Its code came back with HASH.changeToken: one SetNewPassword is allowed. */
export const changeGranted = (via: RecoveryVia = 'SECURITY_ANSWER', now = T0, base = activeAccount()) =>
  followedBy(
    temporaryPasswordAccepted(via, now, base),
    command.completeSignIn({
      challengeId: CHALLENGE.temporarySignIn,
      codeHash: codeHash(CHALLENGE.temporarySignIn),
      changeTokenHash: HASH.changeToken,
      now,
    }),
  );

/** An active account holding a staff role. */
export const staffAccount = (role: GrantableRole = 'HELPDESK', institution: string | null = null, now = T0) =>
  followedBy(activeAccount(), command.grantRole({ role, institution, now }));

/** A contact change started at `now` from the registration session: a CONTACT_CHANGE code to the new contacts. */
export const contactChangeStarted = (newContacts: NewContacts = { email: NEW_EMAIL }, now = T0) =>
  followedBy(activeAccount(), command.startContactChange({ newContacts, now }));
