import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ja } from './ja';
import { adminEn } from './admin.en';
import { adminJa } from './admin.ja';
import { statisticsEn } from './statistics.en';
import { statisticsJa } from './statistics.ja';
import { listsEn } from './lists.en';
import { listsJa } from './lists.ja';
import { sectorEn } from './sector.en';
import { sectorJa } from './sector.ja';
import { journeysEn } from './journeys.en';
import { journeysJa } from './journeys.ja';
import { alertsEn } from './alerts.en';
import { alertsJa } from './alerts.ja';

export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/**
 * The chosen language is a preference, not a secret, so it may live in localStorage (the
 * session itself never does); without a choice the browser's languages decide.
 */
const STORED = 'renkei.language';

export function initialLanguage(): Language {
  const stored = localStorage.getItem(STORED);
  if (stored === 'ja' || stored === 'en') return stored;
  for (const tag of navigator.languages ?? [navigator.language]) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ja' || base === 'en') return base;
  }
  return 'en';
}

export function chooseLanguage(lang: Language): void {
  localStorage.setItem(STORED, lang);
  void i18next.changeLanguage(lang);
}

i18next.on('languageChanged', (lang) => {
  document.documentElement.lang = lang;
});

void i18next.use(initReactI18next).init({
  resources: {
    en: {
      translation: {
        ...en,
        admin: adminEn,
        statistics: statisticsEn,
        lists: listsEn,
        sector: sectorEn,
        journeys: journeysEn,
        alerts: alertsEn,
      },
    },
    ja: {
      translation: {
        ...ja,
        admin: adminJa,
        statistics: statisticsJa,
        lists: listsJa,
        sector: sectorJa,
        journeys: journeysJa,
        alerts: alertsJa,
      },
    },
  },
  lng: initialLanguage(),
  fallbackLng: 'en',
  // React escapes what it renders; i18next escaping as well would show &amp; in names.
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18next.language;

export default i18next;
