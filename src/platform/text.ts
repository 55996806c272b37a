// Small, shared facts about values: the largest id the database's integer columns hold, and how much
// of a caller's text a message quotes back.

/** Ids are positive 31-bit integers (PostgreSQL `integer`). */
export const MAX_ID = 2_147_483_647;

/** C0 controls, DEL and C1 controls, except tab, LF and CR: never meant as text (and NUL breaks
 * PostgreSQL text and FTS5 queries). */
export const CONTROL_CHARACTER = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

/** The start of a long text, for quoting it in a message. */
export const excerpt = (text: string, max = 40) => (text.length > max ? `${text.slice(0, max)}…` : text);
