import { lazy, Suspense, type ReactNode } from 'react';
import { createBrowserRouter } from 'react-router-dom';
import { Loading } from '../components/ui';
import { ConfirmEmail, ForgotPassword, ResetPassword, VerifyEmail } from '../features/auth/routes/email-links';
import { AcceptInvitation } from '../features/auth/routes/invitation';
import { Login } from '../features/auth/routes/login';
import { Profile } from '../features/auth/routes/profile';
import { AccountDeleted } from '../features/auth/components/personal-data';
import { Register } from '../features/auth/routes/register';
import { Landing } from '../features/orgs/routes/landing';
import { OrgHome } from '../features/orgs/routes/org-home';
import { Layout, NotFound } from './layout';

// Staff screens and module pages load on demand, keeping the first load small on phones.
const Members = lazy(() => import('../features/admin/routes/members'));
const Moderation = lazy(() => import('../features/admin/routes/moderation'));
const NewOrg = lazy(() => import('../features/admin/routes/new-org'));
const AuditLog = lazy(() => import('../features/admin/routes/audit-log'));
const OrgSettings = lazy(() => import('../features/admin/routes/org-settings'));
const OrgArea = lazy(() => import('../features/admin/routes/org-area'));
const Workspace = lazy(() => import('../features/admin/routes/workspace'));
const ResidencyRequests = lazy(() => import('../features/admin/routes/residency-requests'));
const Webhooks = lazy(() => import('../features/admin/routes/webhooks'));
const Residency = lazy(() => import('../features/orgs/routes/residency'));
const MeetingList = lazy(() => import('../features/meetings/routes/meeting-list'));
const MeetingDetail = lazy(() => import('../features/meetings/routes/meeting-detail'));
const MeetingNew = lazy(() => import('../features/meetings/routes/meeting-new'));
const MeetingEdit = lazy(() => import('../features/meetings/routes/meeting-edit'));
const MeetingManage = lazy(() => import('../features/meetings/routes/meeting-manage'));
const ConsultationList = lazy(() => import('../features/consultations/routes/consultation-list'));
const ConsultationDetail = lazy(() => import('../features/consultations/routes/consultation-detail'));
const ConsultationFormPage = lazy(() => import('../features/consultations/routes/consultation-form-page'));
const SurveyList = lazy(() => import('../features/consultations/routes/survey-list'));
const Plans = lazy(() => import('../features/action-plans/routes/plans'));
const SurveyPage = lazy(() => import('../features/consultations/routes/survey-page'));
const SurveyResults = lazy(() => import('../features/consultations/routes/survey-results'));
const Budgets = lazy(() => import('../features/budgets/routes/budgets'));
const SurveyBuilder = lazy(() => import('../features/consultations/routes/survey-builder'));
const SearchPage = lazy(() => import('../features/search/routes/search-page'));
const ReportList = lazy(() => import('../features/reports/routes/report-list'));
const ReportNew = lazy(() => import('../features/reports/routes/report-new'));
const ReportDetail = lazy(() => import('../features/reports/routes/report-detail'));
const ReportQueue = lazy(() => import('../features/reports/routes/report-queue'));
const ReportStats = lazy(() => import('../features/reports/routes/report-stats'));
const BudgetExecution = lazy(() => import('../features/budget-execution/routes/budget-execution'));
const Notifications = lazy(() => import('../features/notifications/routes/notifications'));
const NotificationPreferences = lazy(() => import('../features/notifications/routes/preferences'));
const OpenData = lazy(() => import('../features/open-data/routes/open-data'));
const Library = lazy(() => import('../features/library/routes/library'));
const ContentPage = lazy(() => import('../features/library/routes/content-page'));
const PageIndex = lazy(() => import('../features/library/routes/content-page').then((m) => ({ default: m.PageIndex })));
const ProgrammeList = lazy(() => import('../features/programmes/routes/programme-list'));
const ProgrammePage = lazy(() => import('../features/programmes/routes/programme-page'));
const OrgProgrammes = lazy(() => import('../features/programmes/routes/org-programmes'));

const later = (node: ReactNode) => <Suspense fallback={<Loading />}>{node}</Suspense>;

export const router = createBrowserRouter([
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Landing /> },
      { path: '/login', element: <Login /> },
      { path: '/register', element: <Register /> },
      { path: '/verify-email', element: <VerifyEmail /> },
      { path: '/forgot-password', element: <ForgotPassword /> },
      { path: '/reset-password', element: <ResetPassword /> },
      { path: '/confirm-email', element: <ConfirmEmail /> },
      { path: '/invitations/accept', element: <AcceptInvitation /> },
      { path: '/profile', element: <Profile /> },
      { path: '/account-deleted', element: <AccountDeleted /> },
      { path: '/notifications', element: later(<Notifications />) },
      { path: '/settings/notifications', element: later(<NotificationPreferences />) },
      { path: '/admin/orgs/new', element: later(<NewOrg />) },
      { path: '/programmes', element: later(<ProgrammeList />) },
      { path: '/programmes/:programme', element: later(<ProgrammePage />) },
      { path: '/o/:slug', element: <OrgHome /> },
      { path: '/o/:slug/admin/programmes', element: later(<OrgProgrammes />) },
      { path: '/o/:slug/admin/members', element: later(<Members />) },
      { path: '/o/:slug/admin/residency', element: later(<ResidencyRequests />) },
      { path: '/o/:slug/admin/webhooks', element: later(<Webhooks />) },
      { path: '/o/:slug/residency', element: later(<Residency />) },
      { path: '/o/:slug/audit-log', element: later(<AuditLog />) },
      { path: '/o/:slug/admin/settings', element: later(<OrgSettings />) },
      { path: '/o/:slug/admin/area', element: later(<OrgArea />) },
      { path: '/o/:slug/workspace', element: later(<Workspace />) },
      { path: '/o/:slug/admin/moderation', element: later(<Moderation />) },
      { path: '/o/:slug/meetings', element: later(<MeetingList />) },
      { path: '/o/:slug/meetings/new', element: later(<MeetingNew />) },
      { path: '/o/:slug/meetings/:id', element: later(<MeetingDetail />) },
      { path: '/o/:slug/meetings/:id/edit', element: later(<MeetingEdit />) },
      { path: '/o/:slug/meetings/:id/manage', element: later(<MeetingManage />) },
      { path: '/o/:slug/consultations', element: later(<ConsultationList />) },
      { path: '/o/:slug/consultations/new', element: later(<ConsultationFormPage />) },
      { path: '/o/:slug/consultations/:id', element: later(<ConsultationDetail />) },
      { path: '/o/:slug/consultations/:id/edit', element: later(<ConsultationFormPage />) },
      { path: '/o/:slug/surveys', element: later(<SurveyList />) },
      { path: '/o/:slug/action-plans/*', element: later(<Plans />) },
      { path: '/o/:slug/surveys/new', element: later(<SurveyBuilder />) },
      { path: '/o/:slug/surveys/:id', element: later(<SurveyPage />) },
      { path: '/o/:slug/surveys/:id/edit', element: later(<SurveyBuilder />) },
      { path: '/o/:slug/surveys/:id/results', element: later(<SurveyResults />) },
      { path: '/o/:slug/budgets/*', element: later(<Budgets />) },
      { path: '/o/:slug/search', element: later(<SearchPage />) },
      { path: '/o/:slug/reports', element: later(<ReportList />) },
      { path: '/o/:slug/reports/new', element: later(<ReportNew />) },
      { path: '/o/:slug/reports/queue', element: later(<ReportQueue />) },
      { path: '/o/:slug/reports/stats', element: later(<ReportStats />) },
      { path: '/o/:slug/reports/:id', element: later(<ReportDetail />) },
      { path: '/o/:slug/budget-execution/*', element: later(<BudgetExecution />) },
      { path: '/o/:slug/open-data', element: later(<OpenData />) },
      { path: '/o/:slug/documents', element: later(<Library />) },
      { path: '/o/:slug/pages', element: later(<PageIndex />) },
      { path: '/o/:slug/pages/:page', element: later(<ContentPage />) },
      { path: '*', element: <NotFound /> },
    ],
  },
]);
