import { ExportOutlined, FileAddOutlined, FilePdfOutlined, FileWordOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Empty, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState, type HTMLAttributes } from 'react';
import { api, ApiError } from '../../../api/client';
import type { Abilities, CaseDocument, CaseDocuments, CaseView } from '../../../api/types';
import { formatTime } from '../../../labels';
import { withArticle } from '../command-errors';
import { caseKeys } from '../queries';
import { DownloadButton } from './download';

export const documentKeys = { list: (caseId: string) => ['documents', caseId] as const };

/** The order documents are made in a case (the server's own order for the kinds it lists). */
const KIND_ORDER = ['decision', 'tolerance-reasons', 'explanation-official', 'explanation-party-org', 'service-receipt', 'appeal-decision'];

/**
 * Whether the case page shows the 文书 tab: to the deciding organ's handler, who makes the documents; to the
 * organ's other staff and superiors once there is a deliberation (a decision, and so documents, can follow it; only
 * staff are sent deliberations); to the official and the party organization once served (Art. 15: what they are
 * served is theirs — the server sends them their explanation, never an expert).
 */
export function documentsTabShown(view: CaseView, abilities: Abilities): boolean {
  const handler = abilities.recordEvidence !== undefined && abilities.recordEvidence.code !== 'FORBIDDEN';
  const staff = view.deliberations.length > 0;
  const served = view.services.some((s) => s.explanationToOfficial !== null || s.explanationToPartyOrg !== null);
  return handler || staff || served;
}

function useDocuments(caseId: string) {
  return useQuery({ queryKey: documentKeys.list(caseId), queryFn: () => api.get<CaseDocuments>(`/api/v1/cases/${caseId}/documents`) });
}

interface KindGroup {
  kind: string;
  title: string;
  article?: string;
  versions: CaseDocument[];
}

function groupByKind(documents: CaseDocuments): KindGroup[] {
  const groups = new Map<string, KindGroup>();
  for (const k of documents.kinds) groups.set(k.kind, { kind: k.kind, title: k.title, article: k.article, versions: [] });
  for (const d of documents.data) {
    const group = groups.get(d.kind) ?? { kind: d.kind, title: d.title, versions: [] };
    group.versions.push(d);
    groups.set(d.kind, group);
  }
  const rank = (kind: string) => (KIND_ORDER.includes(kind) ? KIND_ORDER.indexOf(kind) : KIND_ORDER.length);
  const ordered = documents.kinds.length > 0 ? [...groups.values()] : [...groups.values()].sort((a, b) => rank(a.kind) - rank(b.kind));
  for (const g of ordered) g.versions.sort((a, b) => b.version - a.version);
  return ordered;
}

/**
 * The case's official documents (Art. 13–16), one card per kind with every version kept: the latest marked,
 * each downloadable as Word or PDF. A handler of the deciding organ makes them here (the server says whether the
 * case is ready for a kind); once the case is closed its case file is sealed and can be exported.
 */
export function DocumentsTab({ view }: { view: CaseView }) {
  const documents = useDocuments(view.id);
  if (documents.isLoading) return <Skeleton active paragraph={{ rows: 6 }} />;
  if (documents.isError || !documents.data) {
    return <Alert type="error" showIcon title="无法加载文书" description={(documents.error as Error | null)?.message} />;
  }
  const groups = groupByKind(documents.data);
  const closed = view.state === 'closed';
  return (
    <div data-testid="documents-tab">
      {closed && view.deliberations.length > 0 && <CaseFileExport caseId={view.id} />}
      {documents.data.canIssue && (
        <Typography.Paragraph type="secondary" style={{ fontSize: 13 }}>
          文书依案件记录填写，使用本机关上传的模板（未上传的使用系统默认模板）。案件尚不具备某种文书所需内容的，系统会说明缺少什么。重新制作生成新版本，文号不变，此前各版本均保留。
        </Typography.Paragraph>
      )}
      {groups.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={closed || view.services.length > 0 ? '暂无文书' : '宣布送达后可在此查看送达的文书'} />
      ) : (
        groups.map((g) => <KindCard key={g.kind} caseId={view.id} group={g} canIssue={documents.data.canIssue} />)
      )}
    </div>
  );
}

function KindCard({ caseId, group, canIssue }: { caseId: string; group: KindGroup; canIssue: boolean }) {
  const { message, modal } = App.useApp();
  const client = useQueryClient();
  const [issuing, setIssuing] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  const latest = group.versions[0];

  const issue = async () => {
    setIssuing(true);
    setRefusal(undefined);
    try {
      const { data } = await api.post<{ data: { version: number; number: string | null } }>(`/api/v1/cases/${caseId}/documents`, { kind: group.kind });
      message.success(`已制作${group.title}第 ${data.version} 版${data.number ? `，文号 ${data.number}` : ''}`);
      await Promise.all([client.invalidateQueries({ queryKey: documentKeys.list(caseId) }), client.invalidateQueries({ queryKey: caseKeys.events(caseId) })]);
    } catch (error) {
      setRefusal(error instanceof ApiError ? withArticle(error, error.message) : '制作失败，请稍后重试');
    } finally {
      setIssuing(false);
    }
  };

  const onIssue = () => {
    if (!latest) {
      void issue();
      return;
    }
    modal.confirm({
      title: `重新制作${group.title}`,
      content: (
        <>
          将生成第 {latest.version + 1} 版{latest.number ? <>，文号不变（{latest.number}）</> : null}。此前各版本均保留，可随时下载；送达、归档以最新版本为准。
        </>
      ),
      okText: '制作新版本',
      cancelText: '取消',
      onOk: issue,
    });
  };

  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`documents-${group.kind}`}
      title={
        <Space size={8} wrap>
          <span>{group.title}</span>
          {latest?.number && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal' }} data-testid="document-number">
              {latest.number}
            </Typography.Text>
          )}
          {group.article && (
            <Typography.Text type="secondary" style={{ fontWeight: 'normal', fontSize: 12 }}>
              {group.article}
            </Typography.Text>
          )}
        </Space>
      }
      extra={
        canIssue && (
          <Button size="small" icon={<FileAddOutlined />} loading={issuing} onClick={onIssue} data-testid={`issue-${group.kind}`}>
            {latest ? '重新制作' : '制作文书'}
          </Button>
        )
      }
    >
      {refusal && (
        <Alert
          type="warning"
          showIcon
          title={refusal}
          role="alert"
          data-testid={`issue-refusal-${group.kind}`}
          style={{ marginBottom: group.versions.length > 0 ? 8 : 0 }}
          closable={{ onClose: () => setRefusal(undefined) }}
        />
      )}
      {group.versions.length === 0 ? (
        !refusal && <Typography.Text type="secondary">尚未制作</Typography.Text>
      ) : (
        <Table<CaseDocument>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={group.versions}
          onRow={() => ({ 'data-testid': 'document-version' }) as HTMLAttributes<HTMLElement>}
          columns={[
            {
              key: 'version',
              title: '版本',
              width: 130,
              render: (_, d) => (
                <Space size={4}>
                  <Tooltip title={`SHA-256：${d.sha256}`}>
                    <span>第 {d.version} 版</span>
                  </Tooltip>
                  {d.latest && <Tag color="red">最新</Tag>}
                </Space>
              ),
            },
            { key: 'number', title: '文号', width: 210, render: (_, d) => d.number ?? <Typography.Text type="secondary">（不编文号）</Typography.Text> },
            { key: 'generatedAt', title: '制作时间', width: 170, render: (_, d) => formatTime(d.generatedAt) },
            {
              key: 'download',
              title: '下载',
              render: (_, d) => {
                const base = `${d.title}${d.number ? `（${d.number}）` : ''}-第${d.version}版`;
                const url = `/api/v1/cases/${caseId}/documents/${d.id}/file`;
                return (
                  <Space size={4} wrap>
                    <DownloadButton size="small" type="link" icon={<FileWordOutlined />} url={`${url}?format=docx`} filename={`${base}.docx`} data-testid="download-docx">
                      下载 Word
                    </DownloadButton>
                    <DownloadButton size="small" type="link" icon={<FilePdfOutlined />} url={`${url}?format=pdf`} filename={`${base}.pdf`} data-testid="download-pdf">
                      下载 PDF
                    </DownloadButton>
                  </Space>
                );
              },
            },
          ]}
        />
      )}
    </Card>
  );
}

/** The sealed case file (问责追责案卷) of a closed case, as one .zip with its manifest. */
function CaseFileExport({ caseId }: { caseId: string }) {
  return (
    <Alert
      type="info"
      showIcon
      icon={<SafetyCertificateOutlined />}
      style={{ marginBottom: 12 }}
      title="本案已结案，案卷已封存"
      description={
        <Space orientation="vertical" size={8} style={{ width: '100%' }}>
          <span>
            案卷含清单（manifest.json）及全部文书、证据和办理记录，封存时清单的哈希值已记入审计链，此后不能再制作文书。导出的案卷可用命令 <Typography.Text code>rongcuo verify-file</Typography.Text> 核验是否完整、未被改动。
          </span>
          <DownloadButton type="primary" icon={<ExportOutlined />} url={`/api/v1/cases/${caseId}/case-file`} filename={`案卷-${caseId}.zip`} data-testid="export-case-file">
            导出案卷
          </DownloadButton>
        </Space>
      }
    />
  );
}
