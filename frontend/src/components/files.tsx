// Files attached to a meeting or a budget proposal: images shown inline (a resized variant the
// server made without the photo's metadata), documents as links with their type and size, and a
// form to upload one for those who may (the server decides; a refusal is shown as its problem).
import { useQueryClient } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../lib/api-client';
import { $api, invalidate } from '../lib/query';
import { ErrorMessage } from './ui';

type FileItem = Schemas['FileResponse'];

const TYPE_LABELS: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
  'image/webp': 'WebP',
  'text/csv': 'CSV',
  'text/plain': 'TXT',
  'application/vnd.oasis.opendocument.text': 'ODT',
  'application/vnd.oasis.opendocument.spreadsheet': 'ODS',
  'application/vnd.oasis.opendocument.presentation': 'ODP',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'DOCX',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'XLSX',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'PPTX',
};

/** A short, language-neutral name of a file's type: `PDF`, `DOCX`, `CSV`. */
export function typeLabel(contentType: string): string {
  return TYPE_LABELS[contentType] ?? contentType;
}

/** A size in the reader's language: `820 kB`, `4.2 MB`. */
export function formatSize(bytes: number, lang: string): string {
  const [unit, value] = bytes >= 1_000_000 ? ['megabyte', bytes / 1_000_000] : bytes >= 1_000 ? ['kilobyte', bytes / 1_000] : ['byte', bytes];
  return new Intl.NumberFormat(lang, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 }).format(value);
}

/** The variant to show inline: the smallest at least 640 px wide, else the largest. */
function inlineVariant(f: FileItem) {
  return f.variants.find((v) => (v.width ?? 0) >= 640) ?? f.variants[f.variants.length - 1];
}

interface SectionProps {
  files: FileItem[];
  canUpload: boolean;
  upload: (file: File) => Promise<unknown>;
  remove: (id: string) => Promise<unknown>;
}

function FileSection({ files, canUpload, upload, remove }: SectionProps) {
  const { t, i18n } = useTranslation();
  const headingId = useId();
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState(false);
  if (files.length === 0 && !canUpload) return null;
  const images = files.filter((f) => f.kind === 'image');
  const documents = files.filter((f) => f.kind === 'document');

  const run = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      await action();
      setDone(true);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const file = input.current?.files?.[0];
    if (!file) return setError({ status: 422, code: 'validation-failed' });
    void run(async () => {
      await upload(file);
      if (input.current) input.current.value = '';
    });
  };

  return (
    <section aria-labelledby={headingId} className="files">
      <h2 id={headingId}>{t('files.heading')}</h2>
      {images.length > 0 && (
        <ul className="file-images">
          {images.map((f) => {
            const v = inlineVariant(f);
            return (
              <li key={f.id}>
                <figure>
                  <a href={f.url}>
                    <img src={v?.url} alt={f.name} width={v?.width ?? undefined} height={v?.height ?? undefined} loading="lazy" />
                  </a>
                  <figcaption>{f.name}</figcaption>
                </figure>
                {canUpload && (
                  <button type="button" className="secondary" disabled={busy} onClick={() => void run(() => remove(f.id))}>
                    {t('files.remove', { name: f.name })}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {documents.length > 0 && (
        <ul className="file-documents">
          {documents.map((f) => (
            <li key={f.id}>
              <a href={`${f.url}?download=true`}>{f.name}</a> <span className="hint">({t('files.typeAndSize', { type: typeLabel(f.content_type), size: formatSize(f.size, i18n.language) })})</span>
              {canUpload && (
                <>
                  {' '}
                  <button type="button" className="secondary" disabled={busy} onClick={() => void run(() => remove(f.id))}>
                    {t('files.remove', { name: f.name })}
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {canUpload && (
        <form onSubmit={submit} className="staff-form">
          <label htmlFor={inputId}>{t('files.choose')}</label>
          <p className="hint" id={`${inputId}-hint`}>
            {t('files.allowed')}
          </p>
          <input id={inputId} ref={input} type="file" name="file" aria-describedby={`${inputId}-hint`} accept=".pdf,.jpg,.jpeg,.png,.webp,.odt,.ods,.odp,.docx,.xlsx,.pptx,.csv,.txt" />
          <button type="submit" disabled={busy}>
            {busy ? t('files.uploading') : t('files.upload')}
          </button>
        </form>
      )}
      <ErrorMessage error={error} />
      {done && <p role="status">{t('files.saved')}</p>}
    </section>
  );
}

function formOf(file: File): FormData {
  const fd = new FormData();
  fd.append('file', file, file.name);
  return fd;
}

function useRemove(org: string, refresh: () => Promise<void>) {
  return async (id: string) => {
    const { error } = await api.DELETE('/api/v1/orgs/{org}/files/{id}', { params: { path: { org, id } } });
    if (error) throw error;
    await refresh();
  };
}

const MEETING_FILES = '/api/v1/orgs/{org}/meetings/{id}/files';
const PROPOSAL_FILES = '/api/v1/orgs/{org}/budgets/{id}/proposals/{proposal_id}/files';

/** A meeting's files: minutes, visual minutes, presentations; staff upload. */
export function MeetingFiles({ org, id, canUpload }: { org: string; id: string; canUpload: boolean }) {
  const qc = useQueryClient();
  const path = { org, id };
  const files = $api.useQuery('get', MEETING_FILES, { params: { path } });
  const refresh = () => invalidate(qc, MEETING_FILES);
  const upload = async (file: File) => {
    const { error } = await api.POST(MEETING_FILES, { params: { path }, body: {} as never, bodySerializer: () => formOf(file) });
    if (error) throw error;
    await refresh();
  };
  const remove = useRemove(org, refresh);
  return <FileSection files={files.data?.items ?? []} canUpload={canUpload} upload={upload} remove={remove} />;
}

/** A proposal's photos and documents; its author uploads while proposals are open, staff always. */
export function ProposalFiles({ org, budget, proposal, canUpload }: { org: string; budget: string; proposal: string; canUpload: boolean }) {
  const qc = useQueryClient();
  const path = { org, id: budget, proposal_id: proposal };
  const files = $api.useQuery('get', PROPOSAL_FILES, { params: { path } });
  const refresh = () => invalidate(qc, PROPOSAL_FILES);
  const upload = async (file: File) => {
    const { error } = await api.POST(PROPOSAL_FILES, { params: { path }, body: {} as never, bodySerializer: () => formOf(file) });
    if (error) throw error;
    await refresh();
  };
  const remove = useRemove(org, refresh);
  return <FileSection files={files.data?.items ?? []} canUpload={canUpload} upload={upload} remove={remove} />;
}

type OwnerPath =
  | '/api/v1/orgs/{org}/documents/{id}/files'
  | '/api/v1/orgs/{org}/consultations/{id}/files'
  | '/api/v1/orgs/{org}/commitments/{id}/files'
  | '/api/v1/orgs/{org}/resident-reports/{id}/files';

function OwnerFiles({ path: url, org, id, canUpload }: { path: OwnerPath; org: string; id: string; canUpload: boolean }) {
  const qc = useQueryClient();
  const path = { org, id };
  const files = $api.useQuery('get', url, { params: { path } });
  const refresh = () => invalidate(qc, url, '/api/v1/orgs/{org}/documents', '/api/v1/orgs/{org}/linked-documents/{resource_type}/{resource_id}');
  const upload = async (file: File) => {
    const { error } = await api.POST(url, { params: { path }, body: {} as never, bodySerializer: () => formOf(file) });
    if (error) throw error;
    await refresh();
  };
  const remove = useRemove(org, refresh);
  return <FileSection files={files.data?.items ?? []} canUpload={canUpload} upload={upload} remove={remove} />;
}

/** A library document's files; staff upload. */
export function DocumentFiles(props: { org: string; id: string; canUpload: boolean }) {
  return <OwnerFiles path="/api/v1/orgs/{org}/documents/{id}/files" {...props} />;
}

/** A consultation's drafts and annexes; staff upload. */
export function ConsultationFiles(props: { org: string; id: string; canUpload: boolean }) {
  return <OwnerFiles path="/api/v1/orgs/{org}/consultations/{id}/files" {...props} />;
}

/** A commitment's documents, progress photos and evidence; staff upload. */
export function CommitmentFiles(props: { org: string; id: string; canUpload: boolean }) {
  return <OwnerFiles path="/api/v1/orgs/{org}/commitments/{id}/files" {...props} />;
}

/** A report's photos, public as the report; its author adds them while it is received, staff always. */
export function ReportFiles(props: { org: string; id: string; canUpload: boolean }) {
  return <OwnerFiles path="/api/v1/orgs/{org}/resident-reports/{id}/files" {...props} />;
}
