import { Blockquote, Button, CopyButton, Group, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { downloadText } from '../../api/download';
import { ErrorAlert } from '../../components/error-alert';
import { TlpLabel } from '../../components/tlp-banner';
import { graphql } from '../../gql';
import { currentQuarter } from './quarters';
import { CellsTable } from './cells-table';
import { QuarterSelect, useCellNames } from './statistics-labels';

const SUMMARY = graphql(`
  query QuarterlySummary($quarter: String!) {
    quarterlySummary(quarter: $quarter) {
      quarter
      suppressedBelow
      markdown
      counts {
        quarter
        category
        sector
        count
        suppressed
      }
      lessons {
        reportId
        kind
        title
        author
        categories
        affectedSectors
        lessonsLearned
      }
    }
  }
`);

/**
 * The coordinator's quarterly summary as the hub builds it for circulation; the Markdown to
 * download or copy is the API's text as is.
 */
export function QuarterlySummaryPage() {
  const { t } = useTranslation();
  const names = useCellNames();
  const [quarter, setQuarter] = useState(currentQuarter());
  const [{ data, error }] = useQuery({
    query: SUMMARY,
    variables: { quarter },
    requestPolicy: 'network-only',
  });
  const summary = data?.quarterlySummary;
  return (
    <Stack>
      <Group gap="sm">
        <Title order={2}>{t('statistics.summary.title')}</Title>
        <TlpLabel tlp="GREEN" />
      </Group>
      <Text size="sm">{t('statistics.summary.intro')}</Text>
      <Group align="end">
        <QuarterSelect
          label={t('statistics.summary.quarter')}
          value={quarter}
          onChange={setQuarter}
        />
        <Button
          variant="default"
          disabled={!summary}
          onClick={() =>
            summary &&
            downloadText(
              `quarterly-summary-${summary.quarter}.md`,
              summary.markdown,
              'text/markdown',
            )
          }
        >
          {t('statistics.summary.downloadMarkdown')}
        </Button>
        <CopyButton value={summary?.markdown ?? ''}>
          {({ copied, copy }) => (
            <Button variant="default" disabled={!summary} onClick={copy}>
              {copied ? t('statistics.summary.copied') : t('statistics.summary.copyMarkdown')}
            </Button>
          )}
        </CopyButton>
      </Group>
      <ErrorAlert error={error} />
      {summary && (
        <>
          <Title order={3}>{t('statistics.summary.counts')}</Title>
          {summary.counts.length === 0 ? (
            <Text>{t('statistics.summary.noCounts')}</Text>
          ) : (
            <CellsTable
              cells={summary.counts}
              k={summary.suppressedBelow}
              withQuarter={false}
              testId="summary-counts"
            />
          )}
          <Title order={3}>{t('statistics.summary.lessons')}</Title>
          {summary.lessons.length === 0 && <Text>{t('statistics.summary.noLessons')}</Text>}
          {summary.lessons.map((l) => (
            <Stack key={l.reportId} gap={4} data-testid="summary-lesson">
              <Title order={4}>{l.title}</Title>
              <Text size="sm" c="dimmed">
                {[
                  l.author,
                  t(`statistics.summary.kind.${l.kind}`),
                  l.categories.map(names.category).join(', ') || t('statistics.none'),
                ].join(' · ')}
              </Text>
              <Blockquote p="sm" style={{ whiteSpace: 'pre-line' }}>
                {l.lessonsLearned}
              </Blockquote>
            </Stack>
          ))}
        </>
      )}
    </Stack>
  );
}
