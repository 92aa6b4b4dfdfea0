// Staff: a caseworker's queue (overdue first) and case; the helpdesk's account status, unlock and
// regenerate; the auditor's log with filters and paging, the chain's verification, state as of an instant.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api/client';
import {
  AccountStatusDocument,
  type AccountStatusFieldsFragment,
  ApplicationDocument,
  type ApplicationFieldsFragment,
  type ApplicationResultFieldsFragment,
  ApproveApplicationDocument,
  AssignApplicationDocument,
  AuditLogDocument,
  type AuditLogQuery,
  CaseQueueDocument,
  type HelpdeskFieldsFragment,
  RegeneratePasswordDocument,
  RejectApplicationDocument,
  RequestInformationDocument,
  UnlockAccountDocument,
  VerifyAuditChainDocument,
  type VerifyAuditChainQuery,
} from '../generated/operations';
import { formatDateTime, type Key, t } from '../i18n/i18n';
import {
  ErrorSummary,
  errorText,
  Field,
  type FieldError,
  Notice,
  onSubmit,
  Page,
  SubmitButton,
  useForm,
} from '../ui/form';
import { actorText } from './actor';
import { ApplicationTable, Documents, StatusTag } from './applications';

export function QueuePage() {
  const [list, setList] = useState<ApplicationFieldsFragment[] | string | null>(null);
  useEffect(() => {
    request(CaseQueueDocument, { status: null, after: null })
      .then((answer) => {
        const nodes = answer.caseQueue.edges.map((e) => e.node);
        // Overdue first; within each group the API's order (earliest due first) stays.
        setList([...nodes.filter((a) => a.overdue), ...nodes.filter((a) => !a.overdue)]);
      })
      .catch((error) => setList(errorText(error)));
  }, []);
  return (
    <Page title={t('queue.title')}>
      {list === null && <p>{t('common.loading')}</p>}
      {typeof list === 'string' && <ErrorSummary errors={[{ message: list }]} />}
      {Array.isArray(list) && list.length === 0 && <p>{t('queue.empty')}</p>}
      {Array.isArray(list) && list.length > 0 && (
        <ApplicationTable applications={list} link={(a) => `#/queue/${a.id}`} />
      )}
    </Page>
  );
}

export function CasePage({ id }: { id: string }) {
  const [application, setApplication] = useState<ApplicationFieldsFragment | null | string | undefined>(
    undefined,
  );
  const [done, setDone] = useState<string | null>(null);
  const form = useForm({ note: '', reason: '', message: '' });
  useEffect(() => {
    // No purpose of its own: handling the case is the caseworker's standing purpose, which the
    // applicant's "who looked at my data" words in their language (a typed one would stay as typed).
    request(ApplicationDocument, { id, asOf: null, purpose: null })
      .then((answer) => setApplication(answer.application))
      .catch((error) => setApplication(errorText(error)));
  }, [id]);
  if (application === undefined) return <p>{t('common.loading')}</p>;
  if (typeof application === 'string') return <ErrorSummary errors={[{ message: application }]} />;
  if (application === null) return <Page title={t('applications.notFound')}>{null}</Page>;
  const act = (
    required: ['note' | 'reason' | 'message', Key][],
    run: () => Promise<ApplicationResultFieldsFragment>,
    doneKey: Key,
  ) =>
    form.submit(required, async (): Promise<FieldError[]> => {
      const answer = await run();
      if (answer.__typename === 'InputRefused') return [{ message: answer.message }];
      setApplication(answer);
      setDone(t(doneKey));
      return [];
    });
  const open = ['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED'].includes(application.status);
  return (
    <Page title={`${application.service.name}: ${application.applicant.displayName}`}>
      {done && <Notice kind="success">{done}</Notice>}
      <ErrorSummary errors={form.errors} />
      <dl class="summary">
        <dt>{t('applications.status')}</dt>
        <dd>
          <StatusTag status={application.status} />
        </dd>
        <dt>{t('case.applicant')}</dt>
        <dd>
          {application.applicant.displayName}{' '}
          {application.applicant.identifier ? `(${application.applicant.identifier})` : ''}
        </dd>
        <dt>{t('applications.dueAt')}</dt>
        <dd>{formatDateTime(application.dueAt)}</dd>
        <dt>{t('applications.assignee')}</dt>
        <dd>{actorText(application.assignedTo, application.assignee) ?? t('case.nobody')}</dd>
      </dl>
      {application.formData !== null && application.formData !== undefined && (
        <>
          <h2>{t('case.form')}</h2>
          <pre class="data">{JSON.stringify(application.formData, null, 2)}</pre>
        </>
      )}
      <Documents application={application} trackingCode={null} />
      {open && (
        <>
          <form
            onSubmit={onSubmit(() =>
              act(
                [],
                async () => (await request(AssignApplicationDocument, { id })).assignApplication,
                'case.assigned',
              ),
            )}
          >
            <SubmitButton busy={form.busy}>{t('case.assign')}</SubmitButton>
          </form>
          <h2>{t('case.approveTitle')}</h2>
          <form
            onSubmit={onSubmit(() =>
              act(
                [],
                async () =>
                  (await request(ApproveApplicationDocument, { id, note: form.values.note || null }))
                    .approveApplication,
                'case.approved',
              ),
            )}
            noValidate
          >
            <Field {...form.bind('note')} label={t('case.note')} multiline />
            <SubmitButton busy={form.busy}>{t('case.approve')}</SubmitButton>
          </form>
          <h2>{t('case.rejectTitle')}</h2>
          <form
            onSubmit={onSubmit(() =>
              act(
                [['reason', 'case.reason']],
                async () =>
                  (await request(RejectApplicationDocument, { id, reason: form.values.reason }))
                    .rejectApplication,
                'case.rejected',
              ),
            )}
            noValidate
          >
            <Field {...form.bind('reason')} label={t('case.reason')} multiline />
            <button type="submit" class="button button-warning" disabled={form.busy}>
              {t('case.reject')}
            </button>
          </form>
          <h2>{t('case.requestTitle')}</h2>
          <form
            onSubmit={onSubmit(() =>
              act(
                [['message', 'case.message']],
                async () =>
                  (await request(RequestInformationDocument, { id, message: form.values.message }))
                    .requestInformation,
                'case.requested',
              ),
            )}
            noValidate
          >
            <Field {...form.bind('message')} label={t('case.message')} multiline />
            <SubmitButton busy={form.busy}>{t('case.request')}</SubmitButton>
          </form>
        </>
      )}
    </Page>
  );
}

function StatusList({ status }: { status: AccountStatusFieldsFragment }) {
  return (
    <dl class="summary" id="account-status">
      <dt>{t('helpdesk.identifier')}</dt>
      <dd>{status.identifier}</dd>
      <dt>{t('helpdesk.locked')}</dt>
      <dd>
        {status.locked && status.lockedUntil
          ? t('helpdesk.lockedUntil', { until: formatDateTime(status.lockedUntil) })
          : t('common.no')}
      </dd>
      <dt>{t('helpdesk.failures')}</dt>
      <dd>{status.failedPasswordAttempts}</dd>
      <dt>{t('helpdesk.lastSignIn')}</dt>
      <dd>{status.lastSignInAt ? formatDateTime(status.lastSignInAt) : t('common.never')}</dd>
      <dt>{t('helpdesk.asOf')}</dt>
      <dd>{formatDateTime(status.asOf)}</dd>
    </dl>
  );
}

/** A datetime-local value (the browser's zone) as ISO UTC, or null when empty. */
const isoOf = (local: string) => (local ? new Date(local).toISOString() : null);

/** Account status as of now or a chosen moment: for the helpdesk and for auditors. */
function AccountStatusLookup({ onFound }: { onFound?: (identifier: string) => void }) {
  const form = useForm({ identifier: '', asOf: '', purpose: '' }, 'status-');
  const [status, setStatus] = useState<AccountStatusFieldsFragment | null>(null);
  const send = () =>
    form.submit(
      [
        ['identifier', 'field.identifier'],
        ['purpose', 'field.purpose'],
      ],
      async () => {
        const { accountStatus } = await request(AccountStatusDocument, {
          identifier: form.values.identifier.trim(),
          asOf: isoOf(form.values.asOf),
          purpose: form.values.purpose,
        });
        if (!accountStatus) return [{ field: 'identifier', message: t('helpdesk.notFound') }];
        setStatus(accountStatus);
        onFound?.(accountStatus.identifier);
      },
    );
  return (
    <section>
      <h2>{t('helpdesk.statusTitle')}</h2>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('identifier')} label={t('field.identifier')} />
        <Field {...form.bind('purpose')} label={t('field.purpose')} hint={t('field.purposeHint')} />
        <Field
          {...form.bind('asOf')}
          label={t('field.asOf')}
          hint={t('field.asOfHint')}
          type="datetime-local"
        />
        <SubmitButton busy={form.busy}>{t('helpdesk.look')}</SubmitButton>
      </form>
      {status && <StatusList status={status} />}
    </section>
  );
}

export function HelpdeskPage() {
  const [identifier, setIdentifier] = useState('');
  const form = useForm({ reason: '' });
  const [result, setResult] = useState<string | null>(null);
  const run = (mutation: 'unlock' | 'regenerate') =>
    form.submit([['reason', 'field.reason']], async () => {
      const answer: HelpdeskFieldsFragment =
        mutation === 'unlock'
          ? (await request(UnlockAccountDocument, { identifier, reason: form.values.reason })).unlockAccount
          : (await request(RegeneratePasswordDocument, { identifier, reason: form.values.reason }))
              .regeneratePassword;
      if (answer.__typename === 'InputRefused') return [{ message: answer.message }];
      setResult(t(mutation === 'unlock' ? 'helpdesk.unlocked' : 'helpdesk.regenerated'));
    });
  return (
    <Page title={t('helpdesk.title')}>
      <AccountStatusLookup onFound={setIdentifier} />
      {identifier && (
        <section>
          <h2>{t('helpdesk.actTitle', { identifier })}</h2>
          {result && <Notice kind="success">{result}</Notice>}
          <ErrorSummary errors={form.errors} />
          <form onSubmit={onSubmit(() => {})} noValidate>
            <Field {...form.bind('reason')} label={t('field.reason')} multiline />
            <div class="button-group">
              <button type="button" class="button" disabled={form.busy} onClick={() => run('unlock')}>
                {t('helpdesk.unlock')}
              </button>
              <button
                type="button"
                class="button button-secondary"
                disabled={form.busy}
                onClick={() => run('regenerate')}
              >
                {t('helpdesk.regenerate')}
              </button>
            </div>
          </form>
        </section>
      )}
    </Page>
  );
}

type AuditPage = AuditLogQuery['auditLog'];

export function AuditPage() {
  const filter = useForm({ identifier: '', stream: '', types: '', from: '', to: '', purpose: '' });
  const [page, setPage] = useState<AuditPage | null>(null);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [verification, setVerification] = useState<VerifyAuditChainQuery['verifyAuditChain'] | null>(null);
  const verifyForm = useForm({});
  const load = (after: string | null) =>
    filter.submit([['purpose', 'field.purpose']], async () => {
      const v = filter.values;
      const types = v.types
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      const { auditLog } = await request(AuditLogDocument, {
        after,
        purpose: v.purpose,
        filter: {
          identifier: v.identifier.trim() || null,
          stream: v.stream.trim() || null,
          types: types.length > 0 ? types : null,
          from: isoOf(v.from),
          to: isoOf(v.to),
        },
      });
      setPage(auditLog);
    });
  const verify = () =>
    verifyForm.submit([], async () => {
      setVerification((await request(VerifyAuditChainDocument)).verifyAuditChain);
    });
  return (
    <Page title={t('audit.title')}>
      <section>
        <h2>{t('audit.verifyTitle')}</h2>
        <ErrorSummary errors={verifyForm.errors} />
        <form onSubmit={onSubmit(verify)}>
          <SubmitButton busy={verifyForm.busy}>{t('audit.verify')}</SubmitButton>
        </form>
        {verification && (
          <Notice kind={verification.ok ? 'success' : 'warning'}>
            <p id="chain-result">
              {verification.ok
                ? t('audit.chainOk', { n: verification.checkedEvents, c: verification.checkpoints })
                : t('audit.chainBroken', {
                    position: verification.firstBrokenPosition ?? '?',
                    problem: verification.problem ?? '',
                  })}
            </p>
          </Notice>
        )}
      </section>
      <section>
        <h2>{t('audit.logTitle')}</h2>
        <ErrorSummary errors={filter.errors} />
        <form
          onSubmit={onSubmit(() => {
            setCursors([null]);
            load(null);
          })}
          noValidate
        >
          <Field {...filter.bind('purpose')} label={t('field.purpose')} hint={t('field.purposeHint')} />
          <Field {...filter.bind('identifier')} label={t('field.identifier')} />
          <Field {...filter.bind('stream')} label={t('audit.stream')} />
          <Field {...filter.bind('types')} label={t('audit.types')} hint={t('audit.typesHint')} />
          <Field {...filter.bind('from')} label={t('audit.from')} type="datetime-local" />
          <Field {...filter.bind('to')} label={t('audit.to')} type="datetime-local" />
          <SubmitButton busy={filter.busy}>{t('audit.search')}</SubmitButton>
        </form>
        {page && (
          <>
            {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a table wider than a phone scrolls, and keyboard users must reach it to scroll it (axe: scrollable-region-focusable) */}
            {/* biome-ignore lint/a11y/useSemanticElements: the region is only the scrolling frame of the table */}
            <div class="table-wrap" tabIndex={0} role="region" aria-label={t('audit.logTitle')}>
              <table>
                <caption class="visually-hidden">{t('audit.logTitle')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('audit.position')}</th>
                    <th scope="col">{t('audit.when')}</th>
                    <th scope="col">{t('audit.type')}</th>
                    <th scope="col">{t('audit.stream')}</th>
                    <th scope="col">{t('audit.actor')}</th>
                  </tr>
                </thead>
                <tbody>
                  {page.edges.map(({ node }) => (
                    <tr key={node.position}>
                      <td>{node.position}</td>
                      <td>{formatDateTime(node.occurredAt)}</td>
                      <td>{node.type}</td>
                      <td class="mono">{node.stream}</td>
                      <td>{node.actor ?? ''}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div class="button-group">
              {cursors.length > 1 && (
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => {
                    const previous = cursors.slice(0, -1);
                    setCursors(previous);
                    load(previous[previous.length - 1] ?? null);
                  }}
                >
                  {t('audit.previous')}
                </button>
              )}
              {page.pageInfo.hasNextPage && (
                <button
                  type="button"
                  class="button button-secondary"
                  onClick={() => {
                    setCursors([...cursors, page.pageInfo.endCursor]);
                    load(page.pageInfo.endCursor);
                  }}
                >
                  {t('audit.next')}
                </button>
              )}
            </div>
          </>
        )}
      </section>
      <AccountStatusLookup />
      <ApplicationAsOf />
    </Page>
  );
}

function ApplicationAsOf() {
  const form = useForm({ applicationId: '', asOfApplication: '', purposeApplication: '' });
  const [found, setFound] = useState<ApplicationFieldsFragment | null>(null);
  const send = () =>
    form.submit(
      [
        ['applicationId', 'audit.applicationId'],
        ['purposeApplication', 'field.purpose'],
      ],
      async () => {
        const v = form.values;
        const { application } = await request(ApplicationDocument, {
          id: v.applicationId.trim(),
          asOf: isoOf(v.asOfApplication),
          purpose: v.purposeApplication,
        });
        if (!application) return [{ field: 'applicationId', message: t('applications.notFound') }];
        setFound(application);
      },
    );
  return (
    <section>
      <h2>{t('audit.applicationTitle')}</h2>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('applicationId')} label={t('audit.applicationId')} />
        <Field
          {...form.bind('purposeApplication')}
          label={t('field.purpose')}
          hint={t('field.purposeHint')}
        />
        <Field
          {...form.bind('asOfApplication')}
          label={t('field.asOf')}
          hint={t('field.asOfHint')}
          type="datetime-local"
        />
        <SubmitButton busy={form.busy}>{t('helpdesk.look')}</SubmitButton>
      </form>
      {found && (
        <p>
          {found.service.name}: <StatusTag status={found.status} />
        </p>
      )}
    </section>
  );
}
