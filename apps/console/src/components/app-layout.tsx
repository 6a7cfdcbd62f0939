import {
  AppShell,
  Anchor,
  Button,
  Group,
  SegmentedControl,
  Text,
  VisuallyHidden,
} from '@mantine/core';
import { lazy, Suspense, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { NavLink, useNavigate } from 'react-router';
import { closeLiveConnection } from '../api/client';
import { useHub } from '../api/use-hub';
import { chooseLanguage, type Language } from '../i18n/i18n';
import { graphql } from '../gql';
import { AdminNavLink } from '../routes/admin/admin-routes';
import classes from './app-layout.module.css';

// Loaded after login with the screens, so the login page's JavaScript stays small.
const NotificationCentre = lazy(() =>
  import('./notification-centre').then((m) => ({ default: m.NotificationCentre })),
);

const LOGOUT = graphql(`
  mutation Logout {
    logout
  }
`);

export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <Group gap="xs">
      <VisuallyHidden id="language-label">{t('app.language')}</VisuallyHidden>
      <SegmentedControl
        size="xs"
        aria-labelledby="language-label"
        value={i18n.language}
        onChange={(v) => chooseLanguage(v as Language)}
        data={[
          { value: 'ja', label: '日本語' },
          { value: 'en', label: 'English' },
        ]}
      />
    </Group>
  );
}

/** The signed-in frame: navigation, language, logout; the screen goes in main. */
export function AppLayout({ children, signedIn }: { children: ReactNode; signedIn: boolean }) {
  const { t } = useTranslation();
  const hub = useHub();
  const navigate = useNavigate();
  async function logout() {
    try {
      await hub.mutate(LOGOUT, {});
    } finally {
      closeLiveConnection();
      void navigate('/login', { replace: true });
    }
  }
  return (
    <AppShell header={{ height: 52 }} padding="md">
      <a className={classes.skip} href="#main">
        {t('app.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="lg" wrap="nowrap">
            <Text fw={700} size="lg" c="blue.9">
              {t('app.name')}
            </Text>
            {signedIn && (
              <nav aria-label="main">
                <Group gap="md" wrap="nowrap">
                  <Anchor component={NavLink} to="/inbox" className={classes.nav}>
                    {t('app.nav.inbox')}
                  </Anchor>
                  <Anchor component={NavLink} to="/lists" className={classes.nav}>
                    {t('lists.nav')}
                  </Anchor>
                  <Anchor component={NavLink} to="/write" className={classes.nav} end>
                    {t('app.nav.write')}
                  </Anchor>
                  <Anchor component={NavLink} to="/statistics" className={classes.nav}>
                    {t('statistics.nav')}
                  </Anchor>
                  <Anchor component={NavLink} to="/contacts" className={classes.nav}>
                    {t('sector.nav.contacts')}
                  </Anchor>
                  <Anchor component={NavLink} to="/assistance" className={classes.nav}>
                    {t('sector.nav.assistance')}
                  </Anchor>
                  <Anchor component={NavLink} to="/alerts" className={classes.nav}>
                    {t('alerts.nav.alerts')}
                  </Anchor>
                  <AdminNavLink className={classes.nav} />
                  <Anchor component={NavLink} to="/account" className={classes.nav}>
                    {t('app.nav.account')}
                  </Anchor>
                </Group>
              </nav>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {signedIn && (
              <Suspense fallback={null}>
                <NotificationCentre />
              </Suspense>
            )}
            <LanguageSwitch />
            {signedIn && (
              <Button size="xs" variant="default" onClick={() => void logout()}>
                {t('app.logout')}
              </Button>
            )}
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Main id="main" tabIndex={-1}>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
