/**
 * The shapes of the ids the portal makes, checked before an id from outside names a stream or a file:
 * application ids are UUIDs (with or without dashes), document ids 32 hex characters (16 random bytes).
 * The sources are exported for patterns that find an id inside a recorded text.
 */
export const APPLICATION_ID_SOURCE = '[0-9a-f-]{32,36}';
export const DOCUMENT_ID_SOURCE = '[0-9a-f]{32}';

const APPLICATION_ID = new RegExp(`^${APPLICATION_ID_SOURCE}$`);
const DOCUMENT_ID = new RegExp(`^${DOCUMENT_ID_SOURCE}$`);

export const isApplicationId = (id: string): boolean => APPLICATION_ID.test(id);
export const isDocumentId = (id: string): boolean => DOCUMENT_ID.test(id);
