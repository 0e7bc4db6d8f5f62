/**
 * Markup that a user could type into any free-text field, built so that if any of it ever runs — in the web
 * application, or in a viewer of a generated document — it sets `window.__xss` (or opens a dialog). Each payload
 * also carries a marker so a test can find it on the page, shown literally.
 */
export const XSS_PAYLOADS = [
  '<script>window.__xss=1</script>',
  '<img src=x onerror="window.__xss=1;alert(1)">',
  'javascript:window.__xss=1//',
  '"><svg/onload=window.__xss=1>',
  "'><iframe srcdoc=\"<script>parent.__xss=1</script>\"></iframe>",
  '<a href="javascript:window.__xss=1">点我</a>',
  '<style>@import "javascript:window.__xss=1";</style>',
  // WordprocessingML injection: closing the text run to start a paragraph of one's own.
  '</w:t></w:r></w:p><w:p><w:r><w:t>注入的段落',
  // Template tags in data: a value is text, never a template to be expanded again.
  '{caseTitle}{#applications}{content}{/applications}',
  ']]><!-- &amp; &lt;',
] as const;

/** One payload per field, cycling through the list, each tagged with the field's name so its place is known. */
export function xssText(field: string, index: number): string {
  return `${field}${XSS_PAYLOADS[index % XSS_PAYLOADS.length]}`;
}

/** Every payload, joined: for a long field that can hold them all. */
export const ALL_XSS = XSS_PAYLOADS.join(' ');

/** Raw markup that must never appear unescaped in a generated document's XML. */
export const RAW_MARKUP = ['<script', '<img', '<svg', '<iframe', '<style', '<a href', '</w:t></w:r></w:p><w:p><w:r><w:t>注入'];
