import { startTestApp, type TestApp } from '../support/harness.js';
import { fakeAuthenticator, multipartBody, pdfBytes, tokenOf, type ViewerName } from './fake-viewers.js';

export const APPLICATION_FIELDS = `
  id status submittedAt updatedAt dueAt overdue assignee rating trackingCode formData
  service { id name institution }
  applicant { kind displayName identifier }
  registryRecords { registry reference digest retrievedAt data }
  documents { id fileName size sha256 url }
  timeline { at status note actor }
`;

const RESULT = `... on Application { ${APPLICATION_FIELDS} } ... on InputRefused { field code message }`;

export const MUTATIONS = {
  apply: `mutation($serviceId: ID!, $formData: JSON, $documentIds: [ID!]) { applyForService(serviceId: $serviceId, formData: $formData, documentIds: $documentIds) { __typename ${RESULT} } }`,
  foreigner: `mutation($input: ForeignerApplicationInput!) { applyAsForeigner(input: $input) { __typename ${RESULT} } }`,
  assign: `mutation($id: ID!) { assignApplication(id: $id) { __typename ${RESULT} } }`,
  request: `mutation($id: ID!, $message: String!) { requestInformation(id: $id, message: $message) { __typename ${RESULT} } }`,
  provide: `mutation($id: ID!, $message: String!, $documentIds: [ID!], $trackingCode: String) { provideInformation(id: $id, message: $message, documentIds: $documentIds, trackingCode: $trackingCode) { __typename ${RESULT} } }`,
  approve: `mutation($id: ID!, $note: String) { approveApplication(id: $id, note: $note) { __typename ${RESULT} } }`,
  reject: `mutation($id: ID!, $reason: String!) { rejectApplication(id: $id, reason: $reason) { __typename ${RESULT} } }`,
  withdraw: `mutation($id: ID!, $trackingCode: String) { withdrawApplication(id: $id, trackingCode: $trackingCode) { __typename ${RESULT} } }`,
  rate: `mutation($id: ID!, $stars: Int!, $comment: String, $trackingCode: String) { rateService(applicationId: $id, stars: $stars, comment: $comment, trackingCode: $trackingCode) { __typename ${RESULT} } }`,
};

export const QUERIES = {
  application: `query($id: ID!) { application(id: $id) { ${APPLICATION_FIELDS} } }`,
  byCode: `query($code: String!) { applicationByTrackingCode(trackingCode: $code) { ${APPLICATION_FIELDS} } }`,
  mine: `query($first: Int, $after: String) { myApplications(first: $first, after: $after) { edges { cursor node { id status submittedAt } } pageInfo { hasNextPage endCursor } } }`,
  queue: `query($status: ApplicationStatus, $first: Int, $after: String) { caseQueue(status: $status, first: $first, after: $after) { edges { node { id status dueAt overdue assignee } } pageInfo { hasNextPage endCursor } } }`,
};

// biome-ignore lint/suspicious/noExplicitAny: GraphQL answers are checked field by field in the tests.
type Answer = { data: any; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };

export interface CaseApp extends TestApp {
  as(name: ViewerName | null, query: string, variables?: Record<string, unknown>): Promise<Answer>;
  upload(name: ViewerName | null, content?: Buffer, fileName?: string): Promise<string>;
}

export async function startCaseApp(env: Record<string, string> = {}): Promise<CaseApp> {
  const t = await startTestApp(env, { authenticator: fakeAuthenticator });
  return {
    ...t,
    as: (name, query, variables = {}) => t.gql(query, variables, name ? { token: tokenOf(name) } : {}),
    async upload(name, content = pdfBytes(), fileName = 'document.pdf') {
      const { body, contentType } = multipartBody(content, fileName);
      const response = await t.app.inject({
        method: 'POST',
        url: '/documents',
        headers: {
          'content-type': contentType,
          ...(name ? { authorization: `Bearer ${tokenOf(name)}` } : {}),
        },
        payload: body,
      });
      if (response.statusCode !== 201)
        throw new Error(`upload failed: ${response.statusCode} ${response.body}`);
      return response.json().documentId as string;
    },
  };
}
