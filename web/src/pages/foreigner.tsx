// Foreign nationals: apply without an account, keep the tracking code (shown once), follow with it.
import { useState } from 'preact/hooks';
import { request } from '../api/client';
import { ApplicationByTrackingCodeDocument, ApplyAsForeignerDocument } from '../generated/operations';
import { t } from '../i18n/i18n';
import { navigate } from '../router';
import { setFlow, useAppState } from '../state';
import { FileField, uploadAll } from '../ui/files';
import { ErrorSummary, Field, Notice, onSubmit, Page, SubmitButton, useForm } from '../ui/form';
import { ApplicationView, useLiveApplication } from './applications';
import { requiredDocuments, ServiceList, useServices } from './services';

export function ForeignerServicesPage() {
  const services = useServices('FOREIGNER');
  return (
    <Page title={t('foreigner.title')}>
      <p>{t('foreigner.intro')}</p>
      <p>
        <a href="#/track">{t('foreigner.haveCode')}</a>
      </p>
      {Array.isArray(services) ? (
        <ServiceList services={services} action={(s) => `#/foreigner/${encodeURIComponent(s.id)}`} />
      ) : (
        <p>{t('common.loading')}</p>
      )}
    </Page>
  );
}

export function ForeignerApplyPage({ serviceId }: { serviceId: string }) {
  const services = useServices('FOREIGNER');
  const form = useForm({ fullName: '', passportNumber: '', nationality: '', email: '', purpose: '' });
  const service = Array.isArray(services) ? services.find((s) => s.id === serviceId) : undefined;
  if (!Array.isArray(services)) return <p>{t('common.loading')}</p>;
  if (!service) return <Page title={t('services.notFound')}>{null}</Page>;
  const documents = requiredDocuments(service);
  const fileIds = documents.map((_, i) => `document-${i}`);
  const send = () =>
    form.submit(
      [
        ['fullName', 'field.fullName'],
        ['passportNumber', 'field.passportNumber'],
        ['nationality', 'field.nationality'],
        ['email', 'field.email'],
      ],
      async () => {
        const uploaded = await uploadAll(fileIds);
        if ('errors' in uploaded) return uploaded.errors;
        const v = form.values;
        const { applyAsForeigner: answer } = await request(ApplyAsForeignerDocument, {
          input: {
            serviceId,
            fullName: v.fullName.trim(),
            passportNumber: v.passportNumber.trim(),
            nationality: v.nationality.trim().toUpperCase(),
            email: v.email.trim(),
            formData: v.purpose ? { purpose: v.purpose } : null,
            documentIds: uploaded.documentIds,
          },
        });
        if (answer.__typename === 'InputRefused')
          return [
            { field: Object.hasOwn(v, answer.field) ? answer.field : undefined, message: answer.message },
          ];
        setFlow({ trackingCode: answer.trackingCode ?? '' });
        navigate('/foreigner/code');
      },
    );
  return (
    <Page title={t('apply.title', { service: service.name })}>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('fullName')} label={t('field.fullName')} autocomplete="name" />
        <Field {...form.bind('passportNumber')} label={t('field.passportNumber')} />
        <Field
          {...form.bind('nationality')}
          label={t('field.nationality')}
          hint={t('field.nationalityHint')}
          autocomplete="country"
        />
        <Field {...form.bind('email')} label={t('field.email')} type="email" autocomplete="email" />
        <Field {...form.bind('purpose')} label={t('apply.purpose')} hint={t('apply.purposeHint')} multiline />
        {documents.map((name, i) => (
          <FileField
            key={name}
            id={`document-${i}`}
            label={name}
            error={form.errors.find((e) => e.field === `document-${i}`)?.message}
          />
        ))}
        <SubmitButton busy={form.busy}>{t('apply.submit')}</SubmitButton>
      </form>
    </Page>
  );
}

/** The tracking code, shown this once: the portal keeps it nowhere, and nobody can show it again. */
export function TrackingCodePage() {
  const { flow } = useAppState();
  const [code] = useState(flow.trackingCode);
  if (!code) return <Page title={t('foreigner.codeGone')}>{null}</Page>;
  return (
    <Page title={t('foreigner.submitted')}>
      <Notice kind="warning">
        <p>
          <strong>{t('foreigner.keepCode')}</strong>
        </p>
      </Notice>
      <p>{t('foreigner.yourCode')}</p>
      <p class="tracking-code" id="tracking-code">
        {code}
      </p>
      <p>
        <a class="button" href="#/track">
          {t('foreigner.follow')}
        </a>
      </p>
    </Page>
  );
}

export function TrackPage() {
  const { flow } = useAppState();
  const form = useForm({ trackingCode: flow.trackingCode ?? '' });
  const [found, setFound] = useState<{ id: string; code: string } | null>(null);
  const send = () =>
    form.submit([['trackingCode', 'field.trackingCode']], async () => {
      const code = form.values.trackingCode.trim();
      const { applicationByTrackingCode } = await request(ApplicationByTrackingCodeDocument, {
        trackingCode: code,
      });
      if (!applicationByTrackingCode) return [{ field: 'trackingCode', message: t('foreigner.notFound') }];
      setFlow({});
      setFound({ id: applicationByTrackingCode.id, code });
    });
  if (found) return <TrackedApplication id={found.id} code={found.code} />;
  return (
    <Page title={t('track.title')}>
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
        <Field {...form.bind('trackingCode')} label={t('field.trackingCode')} autocomplete="off" />
        <SubmitButton busy={form.busy}>{t('track.submit')}</SubmitButton>
      </form>
    </Page>
  );
}

function TrackedApplication({ id, code }: { id: string; code: string }) {
  const [application, setApplication] = useLiveApplication(
    id,
    code,
    async () =>
      (await request(ApplicationByTrackingCodeDocument, { trackingCode: code })).applicationByTrackingCode,
  );
  if (!application || typeof application === 'string') return <p>{t('common.loading')}</p>;
  return <ApplicationView application={application} trackingCode={code} onChange={setApplication} />;
}
