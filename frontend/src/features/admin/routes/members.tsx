import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { fieldErrors } from '../../../lib/errors';
import { canManageMembers } from '../../../lib/permissions';
import { formatDateTime } from '../../../lib/format';
import type { Locale } from '../../../lib/language';
import { useInvite, useMembers, useOrg, usePendingInvitations, useRemoveMember, useResendInvitation, useRevokeInvitation, useSaveMember } from '../api';

type Role = Schemas['RoleDto'];
const ROLES: Role[] = ['admin', 'official', 'moderator'];

function MemberRow({ slug, member }: { slug: string; member: Schemas['MemberResponse'] }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [verified, setVerified] = useState(member.verified);
  const saving = useSaveMember();
  const removing = useRemoveMember();
  const error = saving.error ?? removing.error;
  const saved = saving.isSuccess;
  const path = { org: slug, user_id: member.user_id };
  const save = () => {
    removing.reset();
    saving.mutate({ params: { path }, body: { roles, verified } });
  };
  const remove = () => {
    saving.reset();
    removing.mutate({ params: { path } });
  };
  return (
    <tr>
      <th scope="row">
        {member.display_name}
        <br />
        <span className="muted">{member.email}</span>
      </th>
      {ROLES.map((r) => (
        <td key={r}>
          <input
            type="checkbox"
            aria-label={`${t(`roles.${r}`)}: ${member.display_name}`}
            checked={roles.includes(r)}
            onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))}
          />
        </td>
      ))}
      <td>
        <input type="checkbox" aria-label={`${t('admin.verified')}: ${member.display_name}`} checked={verified} onChange={(e) => setVerified(e.target.checked)} />
      </td>
      <td>
        <button type="button" onClick={save}>
          {t('admin.grant')}
        </button>{' '}
        <button type="button" className="secondary" onClick={remove}>
          {t('admin.remove')}
        </button>
        {saved && <span role="status"> {t('common.saved')}</span>}
        <ErrorMessage error={error} />
      </td>
    </tr>
  );
}

/** Invites an address to roles: the person accepts through the e-mailed link. */
function InviteForm({ slug }: { slug: string }) {
  const { t } = useTranslation();
  const inviting = useInvite();
  const [roles, setRoles] = useState<Role[]>(['official']);
  const [sentTo, setSentTo] = useState<string | null>(null);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = e.currentTarget;
    const email = String(new FormData(form).get('email'));
    inviting.mutate(
      { params: { path: { org: slug } }, body: { email, roles } },
      {
        onSuccess: (inv) => {
          setSentTo(inv.email);
          form.reset();
        },
      },
    );
  };
  const fields = fieldErrors(inviting.error);
  return (
    <form onSubmit={submit} aria-labelledby="invite-title">
      <h2 id="invite-title">{t('admin.inviteTitle')}</h2>
      <p className="muted">{t('admin.inviteIntro')}</p>
      <Field label={t('admin.inviteEmail')} name="email" type="email" autoComplete="off" required error={fields.email} />
      <fieldset>
        <legend>{t('admin.inviteRoles')}</legend>
        {ROLES.map((r) => (
          <label key={r} className="checkbox">
            <input type="checkbox" checked={roles.includes(r)} onChange={(e) => setRoles(e.target.checked ? [...roles, r] : roles.filter((x) => x !== r))} />{' '}
            {t(`roles.${r}`)}
          </label>
        ))}
        {fields.roles && <p className="error">{fields.roles}</p>}
      </fieldset>
      <button type="submit" disabled={inviting.isPending}>
        {t('admin.inviteSubmit')}
      </button>
      {sentTo && inviting.isSuccess && <p role="status">{t('admin.invited', { email: sentTo })}</p>}
      {!fields.email && !fields.roles && <ErrorMessage error={inviting.error} />}
    </form>
  );
}

function InvitationRow({ slug, invitation, zone }: { slug: string; invitation: Schemas['InvitationResponse']; zone: string | undefined }) {
  const { t, i18n } = useTranslation();
  const resending = useResendInvitation();
  const revoking = useRevokeInvitation();
  const path = { org: slug, id: invitation.id };
  return (
    <tr>
      <th scope="row">{invitation.email}</th>
      <td>{invitation.roles.map((r) => t(`roles.${r}`)).join(', ')}</td>
      <td>
        <time dateTime={invitation.expires_at}>{formatDateTime(invitation.expires_at, i18n.language as Locale, zone)}</time>
      </td>
      <td>
        <button type="button" aria-label={t('admin.resendLabel', { email: invitation.email })} onClick={() => resending.mutate({ params: { path } })}>
          {t('admin.resend')}
        </button>{' '}
        <button type="button" className="secondary" aria-label={t('admin.revokeLabel', { email: invitation.email })} onClick={() => revoking.mutate({ params: { path } })}>
          {t('admin.revoke')}
        </button>
        {resending.isSuccess && <span role="status"> {t('admin.resent')}</span>}
        <ErrorMessage error={resending.error ?? revoking.error} />
      </td>
    </tr>
  );
}

function PendingInvitations({ slug, zone }: { slug: string; zone: string | undefined }) {
  const { t } = useTranslation();
  const invitations = usePendingInvitations(slug);
  return (
    <>
      <h2>{t('admin.invitationsTitle')}</h2>
      {invitations.isPending && <Loading />}
      <ErrorMessage error={invitations.error} />
      {invitations.data?.items.length === 0 && <p>{t('admin.noInvitations')}</p>}
      {invitations.data && invitations.data.items.length > 0 && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('admin.inviteEmail')}</th>
                <th scope="col">{t('admin.inviteRoles')}</th>
                <th scope="col">{t('admin.expires')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('admin.resend')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {invitations.data.items.map((i) => (
                <InvitationRow key={i.id} slug={slug} invitation={i} zone={zone} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

/** Members, roles and verified residents of a municipality, for its admins. */
export default function Members() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const members = useMembers(slug);
  const org = useOrg(slug);
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/members`} />;
  if (!canManageMembers(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;

  const name = org.data?.name[org.data.default_locale] ?? slug;
  return (
    <section>
      <h1>{t('admin.membersTitle', { name })}</h1>
      {members.isPending && <Loading />}
      {members.error ? <ErrorMessage error={members.error} /> : null}
      {members.data && (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{t('auth.displayName')}</th>
                {ROLES.map((r) => (
                  <th scope="col" key={r}>
                    {t(`roles.${r}`)}
                  </th>
                ))}
                <th scope="col">{t('roles.verified')}</th>
                <th scope="col">
                  <span className="visually-hidden">{t('common.save')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.data.items.map((m) => (
                <MemberRow key={m.user_id} slug={slug} member={m} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <Link to={`/o/${slug}/admin/residency`}>{t('admin.residencyLink')}</Link>
      </p>
      <InviteForm slug={slug} />
      <PendingInvitations slug={slug} zone={org.data?.time_zone} />
    </section>
  );
}
