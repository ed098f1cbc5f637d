import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { canManageMembers } from '../../../lib/permissions';
import { useFindUser, useMembers, useOrg, useRemoveMember, useSaveMember } from '../api';

type Role = Schemas['RoleDto'];
const ROLES: Role[] = ['admin', 'official', 'moderator'];

function MemberRow({ slug, member, onChange }: { slug: string; member: Schemas['MemberResponse']; onChange?: () => void }) {
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
    saving.mutate({ params: { path }, body: { roles, verified } }, { onSuccess: onChange });
  };
  const remove = () => {
    saving.reset();
    removing.mutate({ params: { path } }, { onSuccess: onChange });
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

/** Members, roles and verified residents of a municipality, for its admins. */
export default function Members() {
  const { slug = '' } = useParams();
  const { t } = useTranslation();
  const { user } = useAuth();
  const members = useMembers(slug);
  const org = useOrg(slug);
  const finding = useFindUser();
  const found = finding.data;
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/members`} />;
  if (!canManageMembers(user, slug)) return <p role="alert">{t('admin.forbidden')}</p>;

  const lookup = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    finding.mutate(String(new FormData(e.currentTarget).get('email')));
  };
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
      <h2>{t('admin.addMember')}</h2>
      <form onSubmit={lookup} className="inline-form">
        <Field label={t('admin.lookupEmail')} name="email" type="email" required />
        <button type="submit">{t('admin.find')}</button>
      </form>
      <ErrorMessage error={finding.error} />
      {found === null && <p role="status">{t('admin.notFoundUser')}</p>}
      {found && (
        <div className="table-wrap">
          <table>
            <tbody>
              <MemberRow
                slug={slug}
                member={{ user_id: found.id, display_name: found.display_name, email: found.email, roles: [], verified: false }}
                onChange={() => finding.reset()}
              />
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
