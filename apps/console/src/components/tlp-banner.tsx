import { useTranslation } from 'react-i18next';
import type { Tlp } from '../gql/graphql';
import classes from './tlp-banner.module.css';

/** FIRST TLP 2.0 labels: never translated, always shown as written by FIRST. */
export const TLP_LABEL: Record<Tlp, string> = {
  RED: 'TLP:RED',
  AMBER_STRICT: 'TLP:AMBER+STRICT',
  AMBER: 'TLP:AMBER',
  GREEN: 'TLP:GREEN',
  CLEAR: 'TLP:CLEAR',
};

/** The marking in FIRST's colours (text on black) with FIRST's wording of what it allows. */
export function TlpBanner({ tlp }: { tlp: Tlp }) {
  const { t } = useTranslation();
  return (
    <div className={classes.banner} data-tlp={tlp} role="note" aria-label={TLP_LABEL[tlp]}>
      <strong className={classes.label}>{TLP_LABEL[tlp]}</strong>
      <span className={classes.wording}>{t(`tlp.${tlp}`)}</span>
    </div>
  );
}

/** The marking alone, for tables. */
export function TlpLabel({ tlp }: { tlp: Tlp }) {
  return (
    <span className={classes.label} data-tlp={tlp}>
      {TLP_LABEL[tlp]}
    </span>
  );
}
