// The catalogue by institution, searchable by name in either language, and the application form.
import { useEffect, useState } from 'preact/hooks';
import { request } from '../api/client';
import {
  ApplyForServiceDocument,
  type Audience,
  type ServiceFieldsFragment,
  ServicesDocument,
} from '../generated/operations';
import { currentLanguage, t } from '../i18n/i18n';
import { navigate } from '../router';
import { useAppState } from '../state';
import { FileField, uploadAll } from '../ui/files';
import { ErrorSummary, errorText, Field, onSubmit, Page, SubmitButton, useForm } from '../ui/form';

export function useServices(audience: Audience | null): ServiceFieldsFragment[] | null | string {
  const [services, setServices] = useState<ServiceFieldsFragment[] | null | string>(null);
  const language = currentLanguage();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the catalogue's words follow the language, so a switch asks again
  useEffect(() => {
    request(ServicesDocument, { audience })
      .then((answer) => setServices(answer.services))
      .catch((error) => setServices(errorText(error)));
  }, [audience, language]);
  return services;
}

/** The documents an application must attach, named in the chosen language. */
export const requiredDocuments = (service: ServiceFieldsFragment): string[] =>
  currentLanguage() === 'sq' ? service.requiredDocumentsSq : service.requiredDocumentsEn;

const normalise = (text: string) =>
  text
    .toLowerCase()
    .normalize('NFD')
    .replace(/\p{Diacritic}/gu, '');

export function ServiceList({
  services,
  action,
}: {
  services: ServiceFieldsFragment[];
  action: (s: ServiceFieldsFragment) => string;
}) {
  const [query, setQuery] = useState('');
  const wanted = normalise(query.trim());
  const shown = services.filter((s) => !wanted || normalise(`${s.nameSq} ${s.nameEn}`).includes(wanted));
  const institutions = [...new Set(shown.map((s) => s.institutionName))];
  return (
    <>
      <div class="field">
        <label for="search">{t('services.search')}</label>
        <input
          id="search"
          class="input"
          type="search"
          value={query}
          onInput={(e) => setQuery(e.currentTarget.value)}
        />
      </div>
      <p role="status">{t('services.count', { n: shown.length })}</p>
      {institutions.map((institution) => (
        <section key={institution} class="institution">
          <h2>{institution}</h2>
          <ul class="card-list">
            {shown
              .filter((s) => s.institutionName === institution)
              .map((s) => (
                <li key={s.id} class="card">
                  <a href={action(s)}>{s.name}</a>
                  <p class="hint">{t('services.deadline', { n: s.deadlineDays })}</p>
                </li>
              ))}
          </ul>
        </section>
      ))}
    </>
  );
}

export function ServicesPage() {
  const { me } = useAppState();
  const services = useServices(me?.kind === 'BUSINESS' ? 'BUSINESS' : 'CITIZEN');
  return (
    <Page title={t('services.title')}>
      {!me && (
        <p>
          <a href="#/sign-in">{t('services.signInToApply')}</a>
        </p>
      )}
      {services === null && <p>{t('common.loading')}</p>}
      {typeof services === 'string' && <ErrorSummary errors={[{ message: services }]} />}
      {Array.isArray(services) && (
        <ServiceList services={services} action={(s) => `#/services/${encodeURIComponent(s.id)}/apply`} />
      )}
    </Page>
  );
}

export function ApplyPage({ serviceId }: { serviceId: string }) {
  const { me } = useAppState();
  const services = useServices(null);
  const form = useForm({ purpose: '' });
  const service = Array.isArray(services) ? services.find((s) => s.id === serviceId) : undefined;
  if (services === null) return <p>{t('common.loading')}</p>;
  if (!service) return <Page title={t('services.notFound')}>{null}</Page>;
  const documents = requiredDocuments(service);
  const fileIds = documents.map((_, i) => `document-${i}`);
  const send = () =>
    form.submit([], async () => {
      const uploaded = await uploadAll(fileIds);
      if ('errors' in uploaded) return uploaded.errors;
      const { applyForService: answer } = await request(ApplyForServiceDocument, {
        serviceId,
        formData: form.values.purpose ? { purpose: form.values.purpose } : null,
        documentIds: uploaded.documentIds,
      });
      if (answer.__typename === 'InputRefused') return [{ message: answer.message }];
      navigate(`/applications/${encodeURIComponent(answer.id)}`);
    });
  return (
    <Page title={t('apply.title', { service: service.name })}>
      <p>{t('apply.institution', { institution: service.institutionName, n: service.deadlineDays })}</p>
      {!me && (
        <p>
          <a href="#/sign-in">{t('services.signInToApply')}</a>
        </p>
      )}
      <ErrorSummary errors={form.errors} />
      <form onSubmit={onSubmit(send)} noValidate>
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
