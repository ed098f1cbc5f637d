import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useParams } from 'react-router-dom';
import { ErrorMessage, Field, Loading } from '../../../components/ui';
import { api, type Schemas } from '../../../lib/api-client';
import { useAuth } from '../../../lib/auth';
import { useApi } from '../../../lib/use-api';

type Role = Schemas['RoleDto'];
const ROLES: Role[] = ['admin', 'official', 'moderator'];

function MemberRow({ slug, member, onChange }: { slug: string; member: Schemas['MemberResponse']; onChange: () => void }) {
  const { t } = useTranslation();
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [verified, setVerified] = useState(member.verified);
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  const save = async () => {
    const { error } = await api.PUT('/api/v1/orgs/{org}/members/{user_id}', {
      params: { path: { org: slug, user_id: member.user_id } },
      body: { roles, verified },
    });
    setError(error);
    setSaved(!error);
    if (!error) onChange();
  };
  const remove = async () => {
    const { error } = await api.DELETE('/api/v1/orgs/{org}/members/{user_id}', { params: { path: { org: slug, user_id: member.user_id } } });
    setError(error);
    if (!error) onChange();
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
        <button type="button" onClick={() => void save()}>
          {t('admin.grant')}
        </button>{' '}
        <button type="button" className="secondary" onClick={() => void remove()}>
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
  const members = useApi(() => api.GET('/api/v1/orgs/{org}/members', { params: { path: { org: slug }, query: { limit: 100 } } }), [slug]);
  const org = useApi(() => api.GET('/api/v1/orgs/{org}', { params: { path: { org: slug } } }), [slug]);
  const [found, setFound] = useState<Schemas['UserSummary'] | null | undefined>(undefined);
  const [lookupError, setLookupError] = useState<unknown>();
  if (user === undefined) return <Loading />;
  if (user === null) return <Navigate to={`/login?next=/o/${slug}/admin/members`} />;

  const lookup = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const email = String(new FormData(e.currentTarget).get('email'));
    const { data, error } = await api.GET('/api/v1/users', { params: { query: { email } } });
    setLookupError(error);
    setFound(data ? (data.items[0] ?? null) : undefined);
  };
  const name = org.data?.name[org.data.default_locale] ?? slug;
  return (
    <section>
      <h1>{t('admin.membersTitle', { name })}</h1>
      {members.loading && <Loading />}
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
                <MemberRow key={m.user_id} slug={slug} member={m} onChange={members.reload} />
              ))}
            </tbody>
          </table>
        </div>
      )}
      <h2>{t('admin.addMember')}</h2>
      <form onSubmit={(e) => void lookup(e)} className="inline-form">
        <Field label={t('admin.lookupEmail')} name="email" type="email" required />
        <button type="submit">{t('admin.find')}</button>
      </form>
      <ErrorMessage error={lookupError} />
      {found === null && <p role="status">{t('admin.notFoundUser')}</p>}
      {found && (
        <div className="table-wrap">
          <table>
            <tbody>
              <MemberRow
                slug={slug}
                member={{ user_id: found.id, display_name: found.display_name, email: found.email, roles: [], verified: false }}
                onChange={() => {
                  setFound(undefined);
                  members.reload();
                }}
              />
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
