import type { DocumentEvent } from './events.js';

export type DocumentState =
  | { status: 'NONE' }
  | {
      status: 'UPLOADED' | 'PURGED';
      documentId: string;
      uploaderAccountId: string | null;
      fileName: string;
      size: number;
      sha256: string;
      uploadedAt: string;
      claimedBy: string | null;
      claimedAt: string | null;
    };

export const initialState = (): DocumentState => ({ status: 'NONE' });

export function evolve(state: DocumentState, event: DocumentEvent): DocumentState {
  switch (event.type) {
    case 'DocumentUploaded':
      return {
        status: 'UPLOADED',
        documentId: event.data.documentId,
        uploaderAccountId: event.data.uploaderAccountId,
        fileName: event.data.personal?.fileName ?? 'document.pdf',
        size: event.data.size,
        sha256: event.data.sha256,
        uploadedAt: event.data.uploadedAt,
        claimedBy: null,
        claimedAt: null,
      };
    case 'DocumentClaimed':
      return state.status === 'NONE'
        ? state
        : { ...state, claimedBy: event.data.applicationId, claimedAt: event.data.claimedAt };
    case 'DocumentReleased':
      return state.status === 'NONE' || state.claimedBy !== event.data.applicationId
        ? state
        : { ...state, claimedBy: null, claimedAt: null };
    case 'DocumentPurged':
      return state.status === 'NONE' ? state : { ...state, status: 'PURGED' };
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
