-- Chinese name and text search backed by an index (issue 8), with no extension: character n-grams.
--
-- The case list's `q` and the directory's name search match a substring, exactly and case-sensitively (LIKE
-- '%q%' with %, _ and \ escaped; test/chinese-names.db.test.ts). LIKE with a leading % cannot use a B-tree, and
-- pg_trgm extracts no trigrams from CJK text under the C locale our clusters use, so before this every search
-- read all of officials and cases. Here every name and title is indexed by its characters and adjacent character
-- pairs (GIN over a tsvector made without any text-search configuration: no parsing, no stemming, no folding —
-- the lexemes are the code points themselves). A query string becomes the AND of its character pairs (its one
-- character when it has one): every string containing the query contains all of them, so the index returns a
-- superset of the matches, and the exact LIKE rechecks it (src/queries/text-search.ts). The answers are those of
-- LIKE alone, only found without reading every row.
--
-- Expression indexes rather than stored columns: nothing new to copy, back up or list as personal data (the index
-- holds what the name holds), and the generator's COPY and the backup's table copies are untouched.

-- The characters and adjacent pairs of a string, as lexemes. IMMUTABLE: it depends on its argument alone
-- (substr counts code points, whatever the collation), so it may define an index. 'X' and 'x' stay different,
-- like LIKE.
CREATE FUNCTION rongcuo_ngrams(value text) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT array_to_tsvector(ARRAY(
    SELECT substr(value, i, n)
    FROM generate_series(1, length(value)) AS i, generate_series(1, 2) AS n
    WHERE i + n <= length(value) + 1))
$$;

-- The query for a search string: the AND of its distinct adjacent pairs, or its single character. Built from
-- quoted lexemes (' doubled, \ escaped), so that no character of the search string is read as tsquery syntax.
-- NULL for the empty string (which every string contains: the caller does not use the index then).
CREATE FUNCTION rongcuo_ngrams_query(search text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT string_agg('''' || replace(replace(g, '\', '\\'), '''', '''''') || '''', ' & ')::tsquery
  FROM (
    SELECT DISTINCT substr(search, i, 2) AS g
    FROM generate_series(1, greatest(length(search) - 1, 1)) AS i) AS pairs
  WHERE g <> ''
$$;

-- The reverse: the OR of a text's distinct adjacent pairs. A name of two characters or more that occurs in the
-- text has all its pairs among them, so `rongcuo_ngrams(name) @@ rongcuo_ngrams_any(text)` finds every such name
-- (and some more, rechecked exactly): the names of known people in a typical case's text (src/typical/facts.ts).
CREATE FUNCTION rongcuo_ngrams_any(value text) RETURNS tsquery
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT string_agg('''' || replace(replace(g, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
  FROM (
    SELECT DISTINCT substr(value, i, 2) AS g
    FROM generate_series(1, length(value) - 1) AS i) AS pairs
$$;

-- Requests act as rongcuo_app (migration 0014): they evaluate these functions in their queries.
GRANT EXECUTE ON FUNCTION rongcuo_ngrams(text), rongcuo_ngrams_query(text), rongcuo_ngrams_any(text) TO rongcuo_app;

-- Serves: the directory's name search, the case list's search by the official's name.
CREATE INDEX officials_name_ngrams_idx ON officials USING gin (rongcuo_ngrams(name));
-- Serves: the case list's search by title (through rongcuo_case_ids_titled below).
CREATE INDEX cases_title_ngrams_idx ON cases USING gin (rongcuo_ngrams(title));

-- The ids of the cases whose title contains `search` (exactly, as LIKE), within the caller's wall.
--
-- Why a function: cases is behind row-level security, and PostgreSQL evaluates a request's own conditions only
-- after the policy's unless they are leakproof — the text-search match (@@) and LIKE are not, so for a request
-- the title index is unusable and every search read every case through the policy (seconds on 200,000 cases).
-- This function runs as the owner, so it may use the index; and it adds the policies of cases itself, read from
-- the catalog, whenever the caller acts as another role (a request, SET ROLE rongcuo_app): it never returns a
-- case the caller could not read, and stays right when a policy changes. Callers still read the cases
-- themselves (`cases.id IN (SELECT rongcuo_case_ids_titled(…))`), through the wall, so this adds no row they see.
-- With no permissive policy for SELECT the wall admits nothing, as row-level security does.
CREATE FUNCTION rongcuo_case_ids_titled(search text) RETURNS SETOF uuid
LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER PARALLEL RESTRICTED ROWS 100
SET search_path = pg_catalog, public
AS $$
DECLARE
  wall text := 'true';
  acting oid;
BEGIN
  IF current_setting('role') <> 'none' THEN
    -- The policies of cases that apply to the role the caller acts as: permissive ones ORed (none admits
    -- nothing), restrictive ones ANDed.
    acting := (SELECT oid FROM pg_roles WHERE rolname = current_setting('role'));
    SELECT coalesce(string_agg('(' || pg_get_expr(p.polqual, p.polrelid) || ')', ' OR ') FILTER (WHERE p.polpermissive), 'false')
           || coalesce(string_agg(' AND (' || pg_get_expr(p.polqual, p.polrelid) || ')', '') FILTER (WHERE NOT p.polpermissive), '')
      INTO wall
      FROM pg_policy p
     WHERE p.polrelid = 'public.cases'::regclass AND p.polcmd IN ('r', '*') AND p.polqual IS NOT NULL
       AND ('{0}' = p.polroles OR acting = ANY (p.polroles));
  END IF;
  RETURN QUERY EXECUTE
    'SELECT cases.id FROM public.cases WHERE '
    || CASE WHEN search = '' THEN '' ELSE 'public.rongcuo_ngrams(cases.title) @@ public.rongcuo_ngrams_query($1) AND ' END
    || 'cases.title LIKE $2 AND (' || wall || ')'
    USING search, '%' || replace(replace(replace(search, '\', '\\'), '%', '\%'), '_', '\_') || '%';
END
$$;
REVOKE EXECUTE ON FUNCTION rongcuo_case_ids_titled(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION rongcuo_case_ids_titled(text) TO rongcuo_app;
