import { NativeSelect } from '@mantine/core';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useNames } from '../../api/labels';
import { recentQuarters } from './quarters';

/** Sector and category names for statistics cells, where the hub writes "none" for neither. */
export function useCellNames() {
  const { t } = useTranslation();
  const names = useNames();
  const none = (name: (code: string) => string) => (code: string) =>
    code === 'none' ? t('statistics.none') : name(code);
  return { sector: none(names.sector), category: none(names.category) };
}

/** A quarter of the last few years (Japan's quarters), optionally "any". */
export function QuarterSelect({
  label,
  value,
  onChange,
  withAny = false,
}: {
  label: string;
  value: string;
  onChange: (quarter: string) => void;
  withAny?: boolean;
}) {
  const { t } = useTranslation();
  const quarters = useMemo(() => recentQuarters(), []);
  const data = withAny
    ? [
        { value: '', label: t('statistics.anyQuarter') },
        ...quarters.map((q) => ({ value: q, label: q })),
      ]
    : quarters;
  return (
    <NativeSelect
      label={label}
      data={data}
      value={value}
      onChange={(e) => onChange(e.currentTarget.value)}
    />
  );
}
