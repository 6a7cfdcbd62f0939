import { BarChart } from '@mantine/charts';
import '@mantine/charts/styles.css';
import { Button, Group, NativeSelect, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { downloadText } from '../../api/download';
import { ErrorAlert } from '../../components/error-alert';
import { graphql } from '../../gql';
import type { StatisticsQuery } from '../../gql/graphql';
import { CellsTable } from './cells-table';
import { QuarterSelect, useCellNames } from './statistics-labels';

const STATISTICS = graphql(`
  query Statistics($from: String, $to: String) {
    statistics(from: $from, to: $to) {
      cells {
        quarter
        category
        sector
        count
        suppressed
      }
      csv
      suppressedBelow
    }
  }
`);

const COLOURS = ['blue.7', 'orange.7', 'teal.7', 'grape.7', 'red.7', 'lime.8', 'cyan.8', 'pink.7'];

type Cell = StatisticsQuery['statistics']['cells'][number];

/**
 * Reports by quarter × category × affected sector as the hub counts them for this reader: the
 * chart stacks one sector's categories by quarter, the table and its CSV hold every cell. A
 * suppressed cell is only ever "< k": the screen draws and sums nothing the API did not give.
 */
export function StatisticsPage() {
  const { t } = useTranslation();
  const names = useCellNames();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [{ data, error, fetching }] = useQuery({
    query: STATISTICS,
    variables: { from: from || null, to: to || null },
    requestPolicy: 'network-only',
  });
  const table = data?.statistics;
  const k = table?.suppressedBelow ?? 0;
  const cells = table?.cells ?? [];
  const sectors = [...new Set(cells.map((c) => c.sector))];
  const [chosen, setChosen] = useState('');
  const sector = sectors.includes(chosen) ? chosen : (sectors[0] ?? '');
  return (
    <Stack>
      <Title order={2}>{t('statistics.title')}</Title>
      <Text size="sm">{t('statistics.intro', { k: k || '—' })}</Text>
      <Group align="end">
        <QuarterSelect label={t('statistics.from')} value={from} onChange={setFrom} withAny />
        <QuarterSelect label={t('statistics.to')} value={to} onChange={setTo} withAny />
        {sectors.length > 0 && (
          <NativeSelect
            label={t('statistics.sector')}
            data={sectors.map((s) => ({ value: s, label: names.sector(s) }))}
            value={sector}
            onChange={(e) => setChosen(e.currentTarget.value)}
            data-testid="statistics-sector"
          />
        )}
        <Button
          variant="default"
          disabled={!table}
          onClick={() =>
            table &&
            downloadText(
              `renkei-statistics${from ? `-${from}` : ''}${to ? `-to-${to}` : ''}.csv`,
              table.csv,
              'text/csv',
            )
          }
        >
          {t('statistics.downloadCsv')}
        </Button>
      </Group>
      <ErrorAlert error={error} />
      {table && cells.length === 0 && <Text>{t('statistics.empty')}</Text>}
      {cells.length > 0 && (
        <SectorChart
          cells={cells.filter((c) => c.sector === sector)}
          sectorName={names.sector(sector)}
          categoryName={names.category}
          k={k}
        />
      )}
      {cells.length > 0 && (
        <CellsTable
          cells={cells}
          k={k}
          withQuarter
          caption={t('statistics.table')}
          testId="statistics-table"
          busy={fetching}
        />
      )}
    </Stack>
  );
}

/** One sector's quarters as stacked bars by category; suppressed cells are named, not drawn. */
function SectorChart({
  cells,
  sectorName,
  categoryName,
  k,
}: {
  cells: Cell[];
  sectorName: string;
  categoryName: (code: string) => string;
  k: number;
}) {
  const { t } = useTranslation();
  const shown = cells.filter((c) => !c.suppressed && c.count !== null);
  const categories = [...new Set(shown.map((c) => c.category))];
  const quarters = [...new Set(cells.map((c) => c.quarter))].sort();
  const data = quarters.map((quarter) => {
    const row: Record<string, string | number> = { quarter };
    for (const c of shown) if (c.quarter === quarter) row[c.category] = c.count ?? 0;
    return row;
  });
  const hidden = cells.filter((c) => c.suppressed);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {t('statistics.chartTitle', { sector: sectorName })}
      </Title>
      <div role="img" aria-label={t('statistics.chartLabel', { sector: sectorName })}>
        <BarChart
          h={280}
          data={data}
          dataKey="quarter"
          type="stacked"
          maxBarWidth={72}
          withLegend
          series={categories.map((c, i) => ({
            name: c,
            label: categoryName(c),
            color: COLOURS[i % COLOURS.length],
          }))}
        />
      </div>
      {hidden.length > 0 && (
        <Text size="sm" data-testid="statistics-chart-suppressed">
          {t('statistics.suppressedInChart', {
            k,
            cells: hidden.map((c) => `${c.quarter} · ${categoryName(c.category)}`).join(', '),
          })}
        </Text>
      )}
    </Stack>
  );
}
