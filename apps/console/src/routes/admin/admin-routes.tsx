import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Navigate, Route, Routes } from 'react-router';
import { useSession } from '../../api/session';
import { ApiTokensPage } from './api-tokens-page';
import { AuditPage } from './audit-page';
import { FeedControlPage } from './feed-control-page';
import { HubDirectoryPage } from './hub-directory-page';
import { UsersPage } from './users-page';
import { WebhooksPage } from './webhooks-page';

const ORG_SCREENS = ['users', 'tokens', 'webhooks', 'audit'] as const;
const HUB_SCREENS = ['organisations', 'feeds'] as const;

/** Whether the signed-in person administers anything; the hub checks each request again. */
export function isAdmin(role: string): boolean {
  return role === 'ORG_ADMIN' || role === 'HUB_ADMIN';
}

/** The navigation entry, shown only to administrators. */
export function AdminNavLink({ className }: { className?: string }) {
  const { t } = useTranslation();
  const session = useSession();
  if (!isAdmin(session.me.role)) return null;
  return (
    <Anchor component={NavLink} to="/admin" className={className}>
      {t('admin.nav.admin')}
    </Anchor>
  );
}

/** The administration screens under /admin: the organisation's, and the hub's for hub admins. */
export function AdminRoutes() {
  const { t } = useTranslation();
  const session = useSession();
  const role = session.me.role;
  if (!isAdmin(role)) return <Text>{t('admin.notAdmin')}</Text>;
  const screens = role === 'HUB_ADMIN' ? [...ORG_SCREENS, ...HUB_SCREENS] : [...ORG_SCREENS];
  return (
    <Stack>
      <nav aria-label={t('admin.nav.label')}>
        <Group gap="md">
          {screens.map((s) => (
            <Anchor key={s} component={NavLink} to={`/admin/${s}`} fw={500}>
              {t(`admin.nav.${s}`)}
            </Anchor>
          ))}
        </Group>
      </nav>
      <Routes>
        <Route index element={<Navigate to="users" replace />} />
        <Route path="users" element={<UsersPage />} />
        <Route path="tokens" element={<ApiTokensPage />} />
        <Route path="webhooks" element={<WebhooksPage />} />
        <Route path="audit" element={<AuditPage />} />
        {role === 'HUB_ADMIN' && (
          <>
            <Route path="organisations" element={<HubDirectoryPage />} />
            <Route path="feeds" element={<FeedControlPage />} />
          </>
        )}
        <Route path="*" element={<Text>{t('app.notFound')}</Text>} />
      </Routes>
    </Stack>
  );
}
