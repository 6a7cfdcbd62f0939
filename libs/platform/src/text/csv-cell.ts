/**
 * Characters that make a spreadsheet read a cell as a formula when it starts with one: =, +, -,
 * @ and, as OWASP lists them, TAB and CR (a spreadsheet may drop a leading blank and read the
 * rest). As a regular-expression class body, for JavaScript and PostgreSQL alike.
 */
export const FORMULA_START = '=+\\-@\\t\\r';

const formula = new RegExp(`^[${FORMULA_START}]`);

/**
 * One CSV cell as every CSV the hub writes has it (feeds, statistics): a cell that could start a
 * formula gets a leading ', then RFC 4180 quoting where needed.
 */
export function csvCell(text: string): string {
  const safe = formula.test(text) ? `'${text}` : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
