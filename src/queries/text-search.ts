import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';

/**
 * Substring search of names and titles, backed by the character n-gram indexes of migration 0017.
 *
 * The meaning is LIKE's, unchanged: a row matches when the column contains the search string exactly — the same
 * code points, case-sensitive, no normalization (test/chinese-names.db.test.ts), with `%`, `_` and `\` in the
 * search string taken literally. The index narrows the rows first: a string containing the search string holds
 * each of its adjacent character pairs (its one character, for a single character), so `rongcuo_ngrams(column) @@
 * rongcuo_ngrams_query(q)` finds every match and some more, and the exact LIKE beside it keeps only the matches.
 */

/** The LIKE pattern for "contains `q`", with LIKE's own characters escaped (the default escape is `\`). */
export function containsPattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * `column` contains `q`. The column must be one of those with an n-gram index (officials.name, cases.title) for
 * the search to use it; an empty `q` matches every row, as LIKE '%%' does, without the index.
 */
export function textContains(column: RawBuilder<unknown>, q: string): RawBuilder<SqlBool> {
  const pattern = containsPattern(q);
  if (q === '') return sql<SqlBool>`${column} LIKE ${pattern}`;
  return sql<SqlBool>`(rongcuo_ngrams(${column}) @@ rongcuo_ngrams_query(${q}) AND ${column} LIKE ${pattern})`;
}

/** The official's name contains `q`: the directory's search (officials is read as `officials`). */
export function officialNameContains(q: string): Expression<SqlBool> {
  return textContains(sql.ref('officials.name'), q);
}

/**
 * The case list's search (cases is read as `cases`): the case's official's name or its title contains `q`.
 *
 * Written as `cases.id IN (…)` over the matching ids rather than as `officials.name LIKE … OR cases.title LIKE …`
 * on the joined rows: an OR across two tables can use neither table's index, and cases is behind row-level
 * security, under which PostgreSQL evaluates a request's non-leakproof conditions (LIKE, @@) only after the
 * policy — on every case. Driven by the ids, the planner probes the primary key (a leakproof equality) for just
 * the matches. The officials are found by their name index (officials has no row-level security); the titles by
 * rongcuo_case_ids_titled (migration 0017), which uses the title index as the owner and applies the caller's
 * policies itself. The cases read here are read through the wall as always.
 */
export function caseSearchWhere(q: string): Expression<SqlBool> {
  return sql<SqlBool>`cases.id IN (
    SELECT named.id FROM cases AS named
    WHERE named.official_id IN (SELECT officials.id FROM officials WHERE ${officialNameContains(q)})
    UNION ALL
    SELECT rongcuo_case_ids_titled(${q}))`;
}

/**
 * The reverse search: the official's name (of two characters or more) occurs in `text` — `strpos`, exactly, with
 * the name index finding the candidates: those sharing a pair of adjacent characters with the text.
 */
export function officialNameOccursIn(text: string): RawBuilder<SqlBool> {
  return sql<SqlBool>`(rongcuo_ngrams(officials.name) @@ rongcuo_ngrams_any(${text}) AND strpos(${text}, officials.name) > 0)`;
}
