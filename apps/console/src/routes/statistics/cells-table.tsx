import { Table } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { useCellNames } from './statistics-labels';

type Cell = {
  quarter: string;
  category: string;
  sector: string;
  count?: number | null;
  suppressed: boolean;
};

/**
 * Statistics cells as the API lists them, in its order: a suppressed one reads "< k", never a
 * number. Each row names its codes (data-*) so it can be checked against the CSV.
 */
export function CellsTable({
  cells,
  k,
  withQuarter,
  caption,
  testId,
  busy = false,
}: {
  cells: Cell[];
  k: number;
  withQuarter: boolean;
  caption?: string;
  testId: string;
  busy?: boolean;
}) {
  const { t } = useTranslation();
  const names = useCellNames();
  return (
    <Table striped withTableBorder data-testid={testId} aria-busy={busy} captionSide="top">
      {caption && <Table.Caption>{caption}</Table.Caption>}
      <Table.Thead>
        <Table.Tr>
          {withQuarter && <Table.Th scope="col">{t('statistics.quarter')}</Table.Th>}
          <Table.Th scope="col">{t('statistics.category')}</Table.Th>
          <Table.Th scope="col">{t('statistics.sector')}</Table.Th>
          <Table.Th scope="col" ta="right">
            {t('statistics.reports')}
          </Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {cells.map((c) => (
          <Table.Tr
            key={`${c.quarter}|${c.category}|${c.sector}`}
            data-quarter={c.quarter}
            data-category={c.category}
            data-sector={c.sector}
          >
            {withQuarter && <Table.Td>{c.quarter}</Table.Td>}
            <Table.Td>{names.category(c.category)}</Table.Td>
            <Table.Td>{names.sector(c.sector)}</Table.Td>
            <Table.Td ta="right" data-testid="cell-count">
              {c.suppressed ? (
                <span title={t('statistics.suppressedHint', { k })}>
                  {t('statistics.suppressed', { k })}
                </span>
              ) : (
                c.count
              )}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}
