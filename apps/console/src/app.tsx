import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './api/session';
import { AppLayout } from './components/app-layout';
import { StepUpProvider } from './components/step-up';
import { lazy, Suspense, type ReactNode } from 'react';
import { LoginPage } from './routes/login-page';
import { ResetPasswordPage } from './routes/reset-password-page';
import { AdminRoutes } from './routes/admin/admin-routes';
import { SetupPage } from './routes/admin/setup-page';

// Screens behind a session load when first opened: the login screen, the first one most
// people see, carries only what it needs.
const AccountPage = lazy(() =>
  import('./routes/account-page').then((m) => ({ default: m.AccountPage })),
);
const VerifyEmailPage = lazy(() =>
  import('./routes/verify-email-page').then((m) => ({ default: m.VerifyEmailPage })),
);
const InboxPage = lazy(() => import('./routes/inbox-page').then((m) => ({ default: m.InboxPage })));
const ReportPage = lazy(() =>
  import('./routes/report-page').then((m) => ({ default: m.ReportPage })),
);
const StatisticsRoutes = lazy(() =>
  import('./routes/statistics/statistics-routes').then((m) => ({ default: m.StatisticsRoutes })),
);
const ListIndexPage = lazy(() =>
  import('./routes/lists/list-index-page').then((m) => ({ default: m.ListIndexPage })),
);
const ListPage = lazy(() =>
  import('./routes/lists/list-page').then((m) => ({ default: m.ListPage })),
);
const AlertRoutes = lazy(() =>
  import('./routes/alerts/alert-routes').then((m) => ({ default: m.AlertRoutes })),
);
const ReportEditorPage = lazy(() =>
  import('./routes/report-editor-page').then((m) => ({ default: m.ReportEditorPage })),
);
const ContactsPage = lazy(() =>
  import('./routes/contacts-page').then((m) => ({ default: m.ContactsPage })),
);
const AssistanceListPage = lazy(() =>
  import('./routes/assistance/assistance-list-page').then((m) => ({
    default: m.AssistanceListPage,
  })),
);
const AssistanceAskPage = lazy(() =>
  import('./routes/assistance/assistance-ask-page').then((m) => ({
    default: m.AssistanceAskPage,
  })),
);
const AssistanceRequestPage = lazy(() =>
  import('./routes/assistance/assistance-request-page').then((m) => ({
    default: m.AssistanceRequestPage,
  })),
);

/**
 * The console's routes. The hub answers each of these paths with the console (its
 * CONSOLE_ROUTES list must name every first segment used here).
 */
export function App() {
  const { t } = useTranslation();
  const signedIn = (screen: ReactNode, allowEnrolment = false) => (
    <RequireSession allowEnrolment={allowEnrolment}>
      <AppLayout signedIn>
        <Suspense fallback={<Text>{t('app.loading')}</Text>}>{screen}</Suspense>
      </AppLayout>
    </RequireSession>
  );
  return (
    <StepUpProvider>
      <Routes>
        <Route path="/" element={<Navigate to="/inbox" replace />} />
        <Route
          path="/login"
          element={
            <AppLayout signedIn={false}>
              <LoginPage />
            </AppLayout>
          }
        />
        <Route
          path="/reset-password"
          element={
            <AppLayout signedIn={false}>
              <ResetPasswordPage />
            </AppLayout>
          }
        />
        <Route
          path="/verify-email"
          element={
            <AppLayout signedIn={false}>
              <Suspense fallback={null}>
                <VerifyEmailPage />
              </Suspense>
            </AppLayout>
          }
        />
        <Route path="/admin/*" element={signedIn(<AdminRoutes />)} />
        <Route
          path="/setup"
          element={
            <AppLayout signedIn={false}>
              <SetupPage />
            </AppLayout>
          }
        />
        <Route path="/account" element={signedIn(<AccountPage />, true)} />
        <Route path="/inbox" element={signedIn(<InboxPage />)} />
        <Route path="/reports/:id" element={signedIn(<ReportPage />)} />
        <Route path="/lists" element={signedIn(<ListIndexPage />)} />
        <Route path="/lists/:id" element={signedIn(<ListPage />)} />
        <Route path="/write/:id?" element={signedIn(<ReportEditorPage />)} />
        <Route path="/statistics/*" element={signedIn(<StatisticsRoutes />)} />
        <Route path="/contacts" element={signedIn(<ContactsPage />)} />
        <Route path="/assistance" element={signedIn(<AssistanceListPage />)} />
        <Route path="/assistance/ask/:reportId" element={signedIn(<AssistanceAskPage />)} />
        <Route path="/assistance/:id" element={signedIn(<AssistanceRequestPage />)} />
        <Route path="/alerts/*" element={signedIn(<AlertRoutes />)} />
        <Route
          path="*"
          element={
            <AppLayout signedIn={false}>
              <Text>{t('app.notFound')}</Text>
            </AppLayout>
          }
        />
      </Routes>
    </StepUpProvider>
  );
}
