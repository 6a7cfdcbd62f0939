import { useQuery } from 'urql';
import { useTranslation } from 'react-i18next';
import { graphql } from '../gql';

const NAMES = graphql(`
  query Names {
    sectors {
      code
      nameEn
      nameJa
    }
    reportCategories {
      code
      nameEn
      nameJa
    }
  }
`);

/** Sector and category names in the reader's language, from the hub's own lists. */
export function useNames() {
  const { i18n } = useTranslation();
  const [{ data }] = useQuery({ query: NAMES, requestPolicy: 'cache-first' });
  const ja = i18n.language === 'ja';
  const sector = new Map((data?.sectors ?? []).map((s) => [s.code, ja ? s.nameJa : s.nameEn]));
  const category = new Map(
    (data?.reportCategories ?? []).map((c) => [c.code, ja ? c.nameJa : c.nameEn]),
  );
  return {
    sectors: data?.sectors ?? [],
    categories: data?.reportCategories ?? [],
    sector: (code: string) => sector.get(code) ?? code,
    category: (code: string) => category.get(code) ?? code,
  };
}

export const TLPS = ['CLEAR', 'GREEN', 'AMBER', 'AMBER_STRICT', 'RED'] as const;

export function formatTime(iso: string | null | undefined, lang: string): string {
  return iso
    ? new Date(iso).toLocaleString(lang, { dateStyle: 'medium', timeStyle: 'short' })
    : '—';
}
