import { Typography } from 'antd';
import type { PolicyArticle } from '../../api/types';
import { usePolicyPack } from './queries';

const PARAGRAPHS = ['第一款', '第二款', '第三款', '第四款'];

/** The text of one article, or of one of its paragraphs (款, counted from 1), verbatim from the pack. */
export function articleText(article: PolicyArticle, paragraph?: number): string {
  if (paragraph === undefined) return article.text;
  if (paragraph === 1) return [article.lead, ...article.items.map((i) => i.number + i.text)].join('\n');
  return article.rest[paragraph - 2] ?? '';
}

/**
 * The provision a form or a record rests on, quoted from the case's policy pack (never typed into the UI), so a
 * case opened under another pack quotes that pack's words.
 */
export function PackQuote({ policyId, number, paragraph }: { policyId: string; number: string; paragraph?: number }) {
  const pack = usePolicyPack(policyId);
  const article = pack.data?.data.articles.find((a) => a.number === number);
  if (!article) return null;
  const text = articleText(article, paragraph);
  return (
    <Typography.Paragraph type="secondary" style={{ background: '#fafafa', borderLeft: '3px solid #d9d9d9', padding: '8px 12px', marginBottom: 16, whiteSpace: 'pre-line' }}>
      <Typography.Text strong>
        {number}
        {paragraph ? PARAGRAPHS[paragraph - 1] : ''}
      </Typography.Text>
      　“{text}”
    </Typography.Paragraph>
  );
}
