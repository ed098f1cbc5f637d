// Staff controls on one opinion: the municipality's answer (admin/official) and moderation
// (admin/moderator), each a PATCH of the opinion with only its own field.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, TextArea } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { fieldErrors } from '../../../lib/errors';

type Opinion = Schemas['OpinionResponse'];

export function OpinionAnswerForm({ slug, consultationId, opinion, onSaved }: { slug: string; consultationId: string; opinion: Opinion; onSaved: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('answer') ?? '');
    setBusy(true);
    const { error } = await api.PATCH('/api/v1/orgs/{org}/consultations/{id}/opinions/{opinion_id}', {
      params: { path: { org: slug, id: consultationId, opinion_id: opinion.id } },
      body: { answer: text },
    });
    setBusy(false);
    setError(error);
    setSaved(!error);
    if (!error) onSaved();
  };
  return (
    <form onSubmit={(e) => void submit(e)} noValidate className="staff-answer">
      <TextArea
        label={opinion.answer ? t('consultations.changeAnswer') : t('consultations.answerLabel')}
        name="answer"
        rows={3}
        maxLength={10000}
        required
        defaultValue={opinion.answer ?? ''}
        error={fieldErrors(error).answer}
      />
      <ErrorMessage error={error} />
      {saved && <p role="status">{t('consultations.answerSaved')}</p>}
      <button type="submit" disabled={busy}>
        {t('consultations.saveAnswer')}
      </button>
    </form>
  );
}

export function OpinionModeration({ slug, consultationId, opinion, onSaved }: { slug: string; consultationId: string; opinion: Opinion; onSaved: () => void }) {
  const { t } = useTranslation();
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);
  const hidden = opinion.hidden === true;
  const toggle = async () => {
    setBusy(true);
    const { error } = await api.PATCH('/api/v1/orgs/{org}/consultations/{id}/opinions/{opinion_id}', {
      params: { path: { org: slug, id: consultationId, opinion_id: opinion.id } },
      body: { hidden: !hidden },
    });
    setBusy(false);
    setError(error);
    if (!error) onSaved();
  };
  return (
    <div className="staff-moderation">
      <button type="button" onClick={() => void toggle()} disabled={busy}>
        {hidden ? t('consultations.showAgain') : t('consultations.hide')}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
