export type Role = 'CITIZEN' | 'BUSINESS' | 'CASEWORKER' | 'HELPDESK' | 'AUDITOR' | 'ADMIN';

/** The signed-in caller, as read from its account stream when the request arrives. */
export interface Viewer {
  accountId: string;
  kind: 'CITIZEN' | 'BUSINESS';
  identifier: string;
  displayName: string;
  roles: Role[];
  /** For CASEWORKER: the institution it works for. */
  institution: string | null;
  /** Hash of the session token: what logout and password changes end. */
  sessionId: string;
}

/** Turns a bearer token or cookie into a viewer. The sign-in feature provides the real one. */
export interface Authenticator {
  viewerForToken(token: string): Promise<Viewer | null>;
}
