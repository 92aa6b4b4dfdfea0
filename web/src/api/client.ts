// The thin GraphQL client: one POST per operation to the same origin. The session is the HttpOnly
// cookie the API sets (this script never sees it); the JSON content type is what lets the cookie
// count (the API's CSRF rule), and Accept-Language asks for the API's messages in the portal's language.
import type { Operation } from '../generated/operations';
import { currentLanguage } from '../i18n/i18n';

/** An error the API answered with (GraphQL extensions.code, or the HTTP routes' `error`). */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function request<TData, TVariables>(
  operation: Operation<TData, TVariables>,
  variables?: TVariables,
): Promise<TData> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'accept-language': currentLanguage() },
      body: JSON.stringify({ query: operation, variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('NETWORK', '');
  }
  const body = (await response.json().catch(() => null)) as {
    data?: TData;
    errors?: { message: string; extensions?: { code?: string } }[];
  } | null;
  const first = body?.errors?.[0];
  if (first) throw new ApiError(first.extensions?.code ?? 'INTERNAL', first.message);
  if (!body?.data) throw new ApiError('INTERNAL', '');
  return body.data;
}

export interface UploadedDocument {
  documentId: string;
  fileName: string;
  size: number;
}

/** POST /documents: multipart with one part `file`; the cookie needs `x-portal-request: 1` here. */
export async function upload(file: File): Promise<UploadedDocument> {
  const form = new FormData();
  form.append('file', file, file.name);
  let response: Response;
  try {
    response = await fetch('/documents', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'x-portal-request': '1', 'accept-language': currentLanguage() },
      body: form,
    });
  } catch {
    throw new ApiError('NETWORK', '');
  }
  const body = (await response.json().catch(() => ({}))) as Partial<UploadedDocument> & {
    error?: string;
    message?: string;
  };
  if (!response.ok || !body.documentId) throw new ApiError(body.error ?? 'INTERNAL', body.message ?? '');
  return body as UploadedDocument;
}
