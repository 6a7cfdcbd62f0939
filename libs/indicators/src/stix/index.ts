/**
 * STIX 2.1 for the hub: TLP 2.0 markings, deterministic ids, patterns, bundles for feeds and
 * report exports, and reading bundles for bulk import. Framework-free and without I/O.
 */

export { STIX_SCO_NAMESPACE, blocklistNamespace, stixId, uuidv5 } from './ids';
export {
  TLP1_MARKING_IDS,
  TLP_EXTENSION_ID,
  TLP_MARKINGS,
  TLP_ORDER,
  stricter,
  tlpLabel,
  tlpMarkingId,
  tlpOfMarkingId,
} from './tlp-markings';
export type { Tlp, TlpMarkingDefinition } from './tlp-markings';
export { parseStixTimestamp, stixTimestamp } from './timestamps';
export { indicatorPattern, parseSimplePattern } from './patterns';
export type { ParsedPattern, PatternEntry } from './patterns';
export {
  buildIndicatorBundle,
  buildReportBundle,
  bundleChunks,
  indicatorBundleBody,
  IndicatorBundleStream,
  entryIndicatorId,
  identityOf,
  indicatorBundleObjects,
  indicatorId,
  reportBundleChunks,
  reportBundleObjects,
  reportId,
} from './bundle';
export type {
  IndicatorBundleInput,
  IndicatorEntryInput,
  ReportBundleInput,
  ReportInput,
  StixAuthor,
  StixBundle,
  StixIdentity,
  StixIndicator,
  StixObject,
  StixReport,
} from './bundle';
export { readStixBundle } from './import';
export { valueAtPath } from './json-values';
export type {
  DroppedPart,
  IgnoredObject,
  ImportedEntry,
  ReadOptions,
  RejectedObject,
  StixImport,
} from './import';
export { countBetween, microsOf, microsText, roundedModified } from './versions';
