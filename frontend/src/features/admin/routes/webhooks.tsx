// Webhooks for integrators (admins): subscribe an address to event types, see the secret once,
// pause, resume, ping, rotate the secret, delete, and read each webhook's delivery log with a
// redeliver button.
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { canEditOrg } from '../../../lib/permissions';
import { useCreateWebhook, useDeleteWebhook, useOrg, usePingWebhook, useRedeliver, useRotateWebhookSecret, useUpdateWebhook, useWebhookDeliveries, useWebhooks } from '../api';

type Webhook = Schemas['WebhookResponse'];
type EventType = Schemas['WebhookEvent'];

const EVENTS: EventType[] = [
  'meeting.changed',
  'meeting.cancelled',
  'consultation.opened',
  'consultation.report_published',
  'budget.proposal_reviewed',
  'budget.phase_changed',
  'commitment.progress',
  'commitment.status_changed',
  'report.status_changed',
];

/** The i18n key of an event type's label (the notification preference's). */
const eventLabel = (e: string) => `notifications.labels.${e.replace(/\./g, '_')}`;

function SecretNotice({ secret, onClose }: { secret: string; onClose: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="status" className="notice">
      <p>{t('webhooks.secretOnce')}</p>
      <p>
        <code className="secret" style={{ overflowWrap: 'anywhere' }}>{secret}</code>
      </p>
      <button type="button" className="secondary" onClick={onClose}>
        {t('webhooks.secretStored')}
      </button>
    </div>
  );
}

function CreateForm({ slug, onSecret }: { slug: string; onSecret: (secret: string) => void }) {
  const { t } = useTranslation();
  const create = useCreateWebhook();
  const [events, setEvents] = useState<EventType[]>(['meeting.cancelled']);
  const [formKey, setFormKey] = useState(0);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    create.mutate(
      { params: { path: { org: slug } }, body: { url: String(data.get('url') ?? ''), description: String(data.get('description') ?? ''), events } },
      {
        onSuccess: (w) => {
          onSecret(w.secret);
          setFormKey((k) => k + 1);
        },
      },
    );
  };
  const errors = fieldErrors(create.error);
  return (
    <form key={formKey} onSubmit={submit} noValidate aria-labelledby="webhook-new">
      <h2 id="webhook-new">{t('webhooks.newTitle')}</h2>
      <Field label={t('webhooks.url')} name="url" type="url" required maxLength={2048} placeholder="https://" hint={t('webhooks.urlHint')} error={errors.url} />
      <Field label={t('webhooks.description')} name="description" maxLength={200} error={errors.description} />
      <fieldset>
        <legend>{t('webhooks.events')}</legend>
        {EVENTS.map((ev) => (
          <label key={ev} className="checkbox">
            <input type="checkbox" checked={events.includes(ev)} onChange={(e) => setEvents(e.target.checked ? [...events, ev] : events.filter((x) => x !== ev))} /> {t(eventLabel(ev))}{' '}
            <code>{ev}</code>
          </label>
        ))}
        {errors.events && (
          <p className="error" role="alert">
            {errors.events}
          </p>
        )}
      </fieldset>
      <button type="submit" disabled={create.isPending}>
        {t('webhooks.create')}
      </button>
      {!errors.url && !errors.events && !errors.description && <ErrorMessage error={create.error} />}
    </form>
  );
}

function Deliveries({ slug, hook, zone }: { slug: string; hook: Webhook; zone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const log = useWebhookDeliveries(slug, hook.id);
  const redeliver = useRedeliver();
  const when = (iso: string | null | undefined) => (iso ? <time dateTime={iso}>{formatDateTime(iso, i18n.language as Locale, zone)}</time> : '—');
  if (log.isPending) return <Loading />;
  if (!log.data) return <ErrorMessage error={log.error} />;
  return (
    <section aria-labelledby={`log-${hook.id}`}>
      <h3 id={`log-${hook.id}`}>{t('webhooks.deliveriesOf', { url: hook.url })}</h3>
      {log.data.items.length === 0 ? (
        <p>{t('webhooks.noDeliveries')}</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.event')}</th>
                <th scope="col">{t('webhooks.status')}</th>
                <th scope="col">{t('webhooks.attempts')}</th>
                <th scope="col">{t('webhooks.response')}</th>
                <th scope="col">{t('webhooks.created')}</th>
                <th scope="col">{t('webhooks.nextAttempt')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('webhooks.redeliver')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {log.data.items.map((d) => (
                <tr key={d.id}>
                  <th scope="row">
                    <code>{d.event_type}</code>
                  </th>
                  <td>{t(`webhooks.statuses.${d.status}`)}</td>
                  <td>{d.attempts}</td>
                  <td>
                    {d.response_code ?? '—'}
                    {d.last_error && <span className="muted"> {d.last_error}</span>}
                  </td>
                  <td>{when(d.created_at)}</td>
                  <td>{when(d.next_attempt_at)}</td>
                  <td>
                    <button
                      type="button"
                      className="secondary"
                      disabled={redeliver.isPending || !hook.active}
                      aria-label={t('webhooks.redeliverLabel', { event: d.event_type, when: formatDateTime(d.created_at, i18n.language as Locale, zone) })}
                      onClick={() => redeliver.mutate({ params: { path: { org: slug, id: hook.id, delivery: d.id } } })}
                    >
                      {t('webhooks.redeliver')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ErrorMessage error={redeliver.error} />
    </section>
  );
}

function WebhookRow({ slug, hook, open, onOpen, onSecret }: { slug: string; hook: Webhook; open: boolean; onOpen: () => void; onSecret: (s: string) => void }) {
  const { t } = useTranslation();
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const rotate = useRotateWebhookSecret();
  const ping = usePingWebhook();
  const path = { org: slug, id: hook.id };
  const state = hook.active ? t('webhooks.active') : hook.disabled_reason ? t('webhooks.disabledFailing') : t('webhooks.paused');
  return (
    <tr>
      <th scope="row" style={{ overflowWrap: 'anywhere' }}>
        {hook.url}
        {hook.description && (
          <>
            <br />
            <span className="muted">{hook.description}</span>
          </>
        )}
      </th>
      <td>{hook.events.map((e) => t(eventLabel(e))).join(', ')}</td>
      <td>{state}</td>
      <td>
        <button type="button" className="secondary" aria-expanded={open} onClick={onOpen}>
          {t('webhooks.showDeliveries')}
        </button>{' '}
        <button type="button" className="secondary" disabled={update.isPending} onClick={() => update.mutate({ params: { path }, body: { active: !hook.active } })}>
          {hook.active ? t('webhooks.pause') : t('webhooks.resume')}
        </button>{' '}
        <button type="button" className="secondary" disabled={ping.isPending || !hook.active} onClick={() => ping.mutate({ params: { path } })}>
          {t('webhooks.ping')}
        </button>{' '}
        <button type="button" className="secondary" disabled={rotate.isPending} onClick={() => rotate.mutate({ params: { path } }, { onSuccess: (w) => onSecret(w.secret) })}>
          {t('webhooks.rotate')}
        </button>{' '}
        <button
          type="button"
          className="secondary"
          disabled={remove.isPending}
          onClick={() => {
            if (window.confirm(t('webhooks.confirmDelete', { url: hook.url }))) remove.mutate({ params: { path } });
          }}
        >
          {t('webhooks.delete')}
        </button>
        {ping.isSuccess && <span role="status"> {t('webhooks.pinged')}</span>}
        <ErrorMessage error={update.error ?? ping.error ?? rotate.error ?? remove.error} />
      </td>
    </tr>
  );
}

export default function Webhooks() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const org = useOrg(slug);
  const hooks = useWebhooks(slug);
  const [secret, setSecret] = useState<string | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/webhooks`} />;
  if (!canEditOrg(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;
  const opened = hooks.data?.items.find((h) => h.id === open);
  return (
    <section>
      <p>
        <Link to={`/o/${slug}/admin/settings`}>{t('common.back')}</Link>
      </p>
      <h1>{t('webhooks.title')}</h1>
      <p>{t('webhooks.intro')}</p>
      {secret && <SecretNotice secret={secret} onClose={() => setSecret(null)} />}
      {hooks.isPending && <Loading />}
      <ErrorMessage error={hooks.error} />
      {hooks.data?.items.length === 0 && <p>{t('webhooks.none')}</p>}
      {hooks.data && hooks.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('webhooks.url')}</th>
                <th scope="col">{t('webhooks.events')}</th>
                <th scope="col">{t('webhooks.state')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('webhooks.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {hooks.data.items.map((h) => (
                <WebhookRow key={h.id} slug={slug} hook={h} open={open === h.id} onOpen={() => setOpen(open === h.id ? null : h.id)} onSecret={setSecret} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      {opened && <Deliveries slug={slug} hook={opened} zone={org.data?.time_zone} />}
      <CreateForm slug={slug} onSecret={setSecret} />
    </section>
  );
}
