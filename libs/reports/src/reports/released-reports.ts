/**
 * The reports that may leave the hub's own screens for TAXII, statistics and the quarterly
 * summary: published or retracted, never a draft and never an exercise (ADR 0022). Every such
 * path reads `FROM ${RELEASED_REPORTS} AS report`, and row-level security still applies inside.
 * A subquery rather than a view: a view's `*` is fixed when it is created and would miss columns
 * later migrations add to `report`.
 */
export const RELEASED_REPORTS = `(SELECT * FROM report WHERE exercise IS NULL AND status IN ('published', 'retracted'))`;
