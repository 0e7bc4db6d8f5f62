/** Client-supplied file names: kept for display and download only, never used to name anything on disk. */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
// Controls (C0, DEL, C1) and bidirectional marks/overrides: the latter can make "x\u202Efdp.exe" display as
// "xexe.pdf", hiding the real extension from the person who later opens the file.
const INVISIBLE_TROUBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** The name as we keep it: the last path segment, without controls or bidi overrides, trimmed. May be ''. */
export function cleanFilename(raw: string): string {
  // Some clients send a full path ("C:\\fakepath\\证据.pdf"): keep the last segment only.
  const base = raw.split(/[\\/]/).pop() ?? '';
  return base.replace(LONE_SURROGATE, '\uFFFD').replace(INVISIBLE_TROUBLE, '').trim();
}

/** Length as PostgreSQL's length() and users count it: code points, not UTF-16 units. */
export const codePointLength = (value: string): number => [...value].length;

/**
 * RFC 6266 `Content-Disposition` for a download: always `attachment` (never rendered inline), an ASCII
 * fallback for old clients, and the exact name in RFC 8187 `filename*`.
 */
export function contentDisposition(filename: string): string {
  const fallback = filename.replace(/[^\x20-\x7e]|["\\%]/g, '_');
  // encodeURIComponent leaves ' ( ) * ! unescaped; RFC 8187 attr-char excludes ' ( ) *.
  const encoded = encodeURIComponent(filename.replace(LONE_SURROGATE, '\uFFFD')).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
