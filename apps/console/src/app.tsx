import { Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { RequireSession } from './api/session';
import { AppLayout } from './components/app-layout';
import { StepUpProvider } from './components/step-up';
import { AccountPage } from './routes/account-page';
import { InboxPage } from './routes/inbox-page';
import { LoginPage } from './routes/login-page';
import { ReportEditorPage } from './routes/report-editor-page';
import { ReportPage } from './routes/report-page';
import { ResetPasswordPage } from './routes/reset-password-page';
import { AdminRoutes } from './routes/admin/admin-routes';
import { SetupPage } from './routes/admin/setup-page';

/**
 * The console's routes. The hub answers each of these paths with the console (its
 * CONSOLE_ROUTES list must name every first segment used here).
 */
export function App() {
  const { t } = useTranslation();
  const signedIn = (screen: React.ReactNode, allowEnrolment = false) => (
    <RequireSession allowEnrolment={allowEnrolment}>
      <AppLayout signedIn>{screen}</AppLayout>
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
        <Route path="/write/:id?" element={signedIn(<ReportEditorPage />)} />
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
