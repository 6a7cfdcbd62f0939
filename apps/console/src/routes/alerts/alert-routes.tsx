import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { AlertRulesPage } from './alert-rules-page';
import { MailboxPage } from './mailbox-page';

/** The alert centre under /alerts: the person's alert rules and their local mailbox. */
export function AlertRoutes() {
  const { t } = useTranslation();
  return (
    <Stack>
      <nav aria-label={t('alerts.nav.label')}>
        <Group gap="md">
          <Anchor component={NavLink} to="/alerts" end fw={500}>
            {t('alerts.nav.rules')}
          </Anchor>
          <Anchor component={NavLink} to="/alerts/mailbox" fw={500}>
            {t('alerts.nav.mailbox')}
          </Anchor>
        </Group>
      </nav>
      <Routes>
        <Route index element={<AlertRulesPage />} />
        <Route path="mailbox" element={<MailboxPage />} />
        <Route path="*" element={<Text>{t('app.notFound')}</Text>} />
      </Routes>
    </Stack>
  );
}
