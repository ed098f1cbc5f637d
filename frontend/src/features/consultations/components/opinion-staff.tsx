// Staff controls on one opinion: the municipality's answer (admin/official) and moderation
// (admin/moderator), each a PATCH of the opinion with only its own field.
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorMessage, TextArea } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { fieldErrors } from '../../../lib/errors';
import { useUpdateOpinion } from '../api';

type Opinion = Schemas['OpinionResponse'];

export function OpinionAnswerForm({ slug, consultationId, opinion }: { slug: string; consultationId: string; opinion: Opinion }) {
  const { t } = useTranslation();
  const answering = useUpdateOpinion();
  const { error, isSuccess: saved, isPending: busy } = answering;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const text = String(new FormData(e.currentTarget).get('answer') ?? '');
    answering.mutate({ params: { path: { org: slug, id: consultationId, opinion_id: opinion.id } }, body: { answer: text } });
  };
  return (
    <form onSubmit={submit} noValidate className="staff-answer">
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

export function OpinionModeration({ slug, consultationId, opinion }: { slug: string; consultationId: string; opinion: Opinion }) {
  const { t } = useTranslation();
  const moderating = useUpdateOpinion();
  const { error, isPending: busy } = moderating;
  const hidden = opinion.hidden === true;
  const toggle = () => moderating.mutate({ params: { path: { org: slug, id: consultationId, opinion_id: opinion.id } }, body: { hidden: !hidden } });
  return (
    <div className="staff-moderation">
      <button type="button" onClick={toggle} disabled={busy}>
        {hidden ? t('consultations.showAgain') : t('consultations.hide')}
      </button>
      <ErrorMessage error={error} />
    </div>
  );
}
