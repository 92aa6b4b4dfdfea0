// My applications, and one application with its timeline, updated live by the applicationUpdated
// subscription; the applicant's acts: answer a request for information, withdraw, rate.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api/client';
import { watchApplication } from '../api/live';
import {
  ApplicationDocument,
  type ApplicationFieldsFragment,
  type ApplicationStatus,
  MyApplicationsDocument,
  ProvideInformationDocument,
  RateServiceDocument,
  WithdrawApplicationDocument,
} from '../generated/operations';
import { formatDateTime, type Key, t } from '../i18n/i18n';
import { useAppState } from '../state';
import { FileField, uploadAll } from '../ui/files';
import { ErrorSummary, errorText, Field, Notice, onSubmit, Page, SubmitButton, useForm } from '../ui/form';
import { actorText } from './actor';

const STATUS_KEYS: Record<ApplicationStatus, Key> = {
  SUBMITTED: 'status.SUBMITTED',
  IN_REVIEW: 'status.IN_REVIEW',
  INFORMATION_REQUESTED: 'status.INFORMATION_REQUESTED',
  APPROVED: 'status.APPROVED',
  REJECTED: 'status.REJECTED',
  WITHDRAWN: 'status.WITHDRAWN',
};

export function StatusTag({ status }: { status: ApplicationStatus }) {
  return <strong class={`tag tag-${status.toLowerCase()}`}>{t(STATUS_KEYS[status])}</strong>;
}

export function MyApplicationsPage() {
  const { flow } = useAppState();
  const [list, setList] = useState<ApplicationFieldsFragment[] | string | null>(null);
  useEffect(() => {
    request(MyApplicationsDocument, { after: null })
      .then((answer) => setList(answer.myApplications.edges.map((e) => e.node)))
      .catch((error) => setList(errorText(error)));
  }, []);
  return (
    <Page title={t('applications.title')}>
      {flow.notice && <Notice kind="success">{flow.notice}</Notice>}
      <p>
        <a class="button" href="#/services">
          {t('applications.new')}
        </a>
      </p>
      {list === null && <p>{t('common.loading')}</p>}
      {typeof list === 'string' && <ErrorSummary errors={[{ message: list }]} />}
      {Array.isArray(list) && list.length === 0 && <p>{t('applications.none')}</p>}
      {Array.isArray(list) && list.length > 0 && (
        <ApplicationTable applications={list} link={(a) => `#/applications/${a.id}`} />
      )}
    </Page>
  );
}

export function ApplicationTable({
  applications,
  link,
}: {
  applications: ApplicationFieldsFragment[];
  link: (a: ApplicationFieldsFragment) => string;
}) {
  return (
    <ul class="card-list">
      {applications.map((a) => (
        <li key={a.id} class="card">
          <a href={link(a)}>{a.service.name}</a> <StatusTag status={a.status} />
          {a.overdue && <strong class="tag tag-overdue">{t('applications.overdue')}</strong>}
          <p class="hint">
            {t('applications.submitted', { at: formatDateTime(a.submittedAt) })} · {a.applicant.displayName}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Follows an application live: the first answer of `load`, then every update the server pushes. */
export function useLiveApplication(
  id: string,
  trackingCode: string | null,
  load: () => Promise<ApplicationFieldsFragment | null>,
) {
  const [application, setApplication] = useState<ApplicationFieldsFragment | null | string | undefined>(
    undefined,
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: `load` is a new closure each render; the application to watch is named by id and tracking code
  useEffect(() => {
    let stopped = false;
    load()
      .then((found) => !stopped && setApplication(found))
      .catch((error) => !stopped && setApplication(errorText(error)));
    const stop = watchApplication(id, trackingCode, (next) => !stopped && setApplication(next));
    return () => {
      stopped = true;
      stop();
    };
  }, [id, trackingCode]);
  return [application, setApplication] as const;
}

export function ApplicationPage({ id }: { id: string }) {
  const [application, setApplication] = useLiveApplication(
    id,
    null,
    async () => (await request(ApplicationDocument, { id, asOf: null, purpose: null })).application,
  );
  if (application === undefined) return <p>{t('common.loading')}</p>;
  if (typeof application === 'string') return <ErrorSummary errors={[{ message: application }]} />;
  if (application === null) return <Page title={t('applications.notFound')}>{null}</Page>;
  return <ApplicationView application={application} trackingCode={null} onChange={setApplication} />;
}

const OPEN: ApplicationStatus[] = ['SUBMITTED', 'IN_REVIEW', 'INFORMATION_REQUESTED'];

export function ApplicationView({
  application,
  trackingCode,
  onChange,
}: {
  application: ApplicationFieldsFragment;
  trackingCode: string | null;
  onChange: (a: ApplicationFieldsFragment) => void;
}) {
  const decided = application.status === 'APPROVED' || application.status === 'REJECTED';
  return (
    <Page title={application.service.name}>
      <dl class="summary">
        <dt>{t('applications.status')}</dt>
        <dd aria-live="polite" id="application-status">
          <StatusTag status={application.status} />
        </dd>
        <dt>{t('applications.institution')}</dt>
        <dd>{application.service.institutionName}</dd>
        <dt>{t('applications.submittedAt')}</dt>
        <dd>{formatDateTime(application.submittedAt)}</dd>
        <dt>{t('applications.dueAt')}</dt>
        <dd>{formatDateTime(application.dueAt)}</dd>
        {application.assignee && (
          <>
            <dt>{t('applications.assignee')}</dt>
            <dd>{actorText(application.assignedTo, application.assignee)}</dd>
          </>
        )}
        {application.rating !== null && (
          <>
            <dt>{t('applications.rating')}</dt>
            <dd>{t('rate.stars', { n: application.rating })}</dd>
          </>
        )}
      </dl>
      <Documents application={application} trackingCode={trackingCode} />
      <h2>{t('applications.timeline')}</h2>
      <ol class="timeline">
        {application.timeline.map((entry) => (
          <li key={`${entry.at}-${entry.status}`}>
            <StatusTag status={entry.status} /> <span>{formatDateTime(entry.at)}</span>
            {(entry.actedBy || entry.actor) && <span> · {actorText(entry.actedBy, entry.actor)}</span>}
            {entry.note && <p>{entry.note}</p>}
          </li>
        ))}
      </ol>
      {application.status === 'INFORMATION_REQUESTED' && (
        <ProvideInformation application={application} trackingCode={trackingCode} onChange={onChange} />
      )}
      {decided && application.rating === null && (
        <Rate application={application} trackingCode={trackingCode} onChange={onChange} />
      )}
      {OPEN.includes(application.status) && (
        <Withdraw application={application} trackingCode={trackingCode} onChange={onChange} />
      )}
    </Page>
  );
}

export function Documents({
  application,
  trackingCode,
}: {
  application: ApplicationFieldsFragment;
  trackingCode: string | null;
}) {
  if (application.documents.length === 0) return null;
  const suffix = trackingCode ? `?trackingCode=${encodeURIComponent(trackingCode)}` : '';
  return (
    <>
      <h2>{t('applications.documents')}</h2>
      <ul>
        {application.documents.map((d) => (
          <li key={d.id}>
            <a href={`${d.url}${suffix}`} download={d.fileName}>
              {d.fileName}
            </a>{' '}
            ({Math.ceil(d.size / 1024)} KB)
          </li>
        ))}
      </ul>
    </>
  );
}

interface ActProps {
  application: ApplicationFieldsFragment;
  trackingCode: string | null;
  onChange: (a: ApplicationFieldsFragment) => void;
}

type ActAnswer =
  | { __typename: 'InputRefused'; message: string }
  | ({ __typename: 'Application' } & ApplicationFieldsFragment);

function settle(answer: ActAnswer, onChange: (a: ApplicationFieldsFragment) => void) {
  if (answer.__typename === 'InputRefused') return [{ message: answer.message }];
  onChange(answer);
  return [];
}

function Rate({ application, trackingCode, onChange }: ActProps) {
  const form = useForm({ stars: '', comment: '' });
  const send = () =>
    form.submit([['stars', 'rate.legend']], async () => {
      const { rateService } = await request(RateServiceDocument, {
        applicationId: application.id,
        stars: Number(form.values.stars),
        comment: form.values.comment || null,
        trackingCode,
      });
      return settle(rateService, onChange);
    });
  return (
    <section>
      <h2>{t('rate.title')}</h2>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <fieldset class="field" id="stars" tabIndex={-1}>
          <legend>{t('rate.legend')}</legend>
          <div class="radios">
            {[1, 2, 3, 4, 5].map((n) => (
              <label key={n} class="radio">
                <input
                  type="radio"
                  name="stars"
                  value={String(n)}
                  checked={form.values.stars === String(n)}
                  onChange={() => form.setValues((v) => ({ ...v, stars: String(n) }))}
                />{' '}
                {t('rate.stars', { n })}
              </label>
            ))}
          </div>
        </fieldset>
        <Field {...form.bind('comment')} label={t('rate.comment')} multiline />
        <SubmitButton busy={form.busy}>{t('rate.submit')}</SubmitButton>
      </form>
    </section>
  );
}

function Withdraw({ application, trackingCode, onChange }: ActProps) {
  const form = useForm({});
  const send = () =>
    form.submit([], async () =>
      settle(
        (await request(WithdrawApplicationDocument, { id: application.id, trackingCode }))
          .withdrawApplication,
        onChange,
      ),
    );
  return (
    <section>
      <h2>{t('withdraw.title')}</h2>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)}>
        <button type="submit" class="button button-warning" disabled={form.busy}>
          {t('withdraw.submit')}
        </button>
      </form>
    </section>
  );
}

function ProvideInformation({ application, trackingCode, onChange }: ActProps) {
  const form = useForm({ message: '' });
  const send = () =>
    form.submit([['message', 'info.message']], async () => {
      const file = (document.getElementById('info-document') as HTMLInputElement | null)?.files?.[0];
      let documentIds: string[] = [];
      if (file) {
        const uploaded = await uploadAll(['info-document']);
        if ('errors' in uploaded) return uploaded.errors;
        documentIds = uploaded.documentIds;
      }
      const { provideInformation } = await request(ProvideInformationDocument, {
        id: application.id,
        message: form.values.message,
        documentIds,
        trackingCode,
      });
      return settle(provideInformation, onChange);
    });
  return (
    <section>
      <h2>{t('info.title')}</h2>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('message')} label={t('info.message')} multiline />
        <FileField
          id="info-document"
          label={t('info.document')}
          error={form.errors.find((e) => e.field === 'info-document')?.message}
        />
        <SubmitButton busy={form.busy}>{t('info.submit')}</SubmitButton>
      </form>
    </section>
  );
}
