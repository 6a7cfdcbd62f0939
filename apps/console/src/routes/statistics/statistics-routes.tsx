import { Anchor, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { NavLink, Route, Routes } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QuarterlySummaryPage } from './quarterly-summary-page';
import { StatisticsPage } from './statistics-page';

const ORGANISATION_KIND = graphql(`
  query StatisticsOrganisationKind {
    me {
      id
      organisation {
        id
        kind
      }
    }
  }
`);

/**
 * /statistics (charts and table) and /statistics/summary (the coordinator's quarterly summary).
 * The summary link is offered to the coordinator only; the hub refuses anyone else anyway.
 */
export function StatisticsRoutes() {
  const { t } = useTranslation();
  const [{ data }] = useQuery({ query: ORGANISATION_KIND, requestPolicy: 'cache-first' });
  const coordinator = data?.me.organisation.kind === 'COORDINATOR';
  return (
    <Stack>
      {coordinator && (
        <nav aria-label={t('statistics.tabs.label')}>
          <Group gap="md">
            <Anchor component={NavLink} to="/statistics" end fw={500}>
              {t('statistics.tabs.charts')}
            </Anchor>
            <Anchor component={NavLink} to="/statistics/summary" fw={500}>
              {t('statistics.tabs.summary')}
            </Anchor>
          </Group>
        </nav>
      )}
      <Routes>
        <Route index element={<StatisticsPage />} />
        <Route path="summary" element={<QuarterlySummaryPage />} />
        <Route path="*" element={<Text>{t('app.notFound')}</Text>} />
      </Routes>
    </Stack>
  );
}
