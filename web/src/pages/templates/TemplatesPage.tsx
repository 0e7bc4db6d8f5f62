import { FileWordOutlined, UploadOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Collapse, List, Result, Select, Skeleton, Space, Tag, Typography, Upload } from 'antd';
import { useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { DocumentTemplateKind, TemplateField } from '../../api/types';
import { useSession } from '../../auth/session';
import { formatTime } from '../../labels';
import { DownloadButton } from '../case/documents/download';

const templateKeys = { list: ['document-templates'] as const, organizations: ['organizations'] as const };

/** The roles that manage an organ's templates (the server checks the same). */
const TEMPLATE_ROLES = ['handler', 'system-administrator'];

/** A .docx as base64, for the JSON upload the API takes. */
function readAsBase64(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      resolve(url.slice(url.indexOf(',') + 1));
    };
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(file);
  });
}

const fieldName = (f: TemplateField) => (typeof f === 'string' ? f : f.name);
const fieldDescription = (f: TemplateField) => (typeof f === 'string' ? undefined : f.description);

/**
 * The document templates of the user's organs: for each kind the shipped default to start from, the fields a
 * template may use, the organ's uploads (the latest is used), and the upload itself — checked by the server,
 * which refuses a field the case cannot supply rather than leave a blank in a served document.
 */
export function TemplatesPage() {
  const session = useSession();
  const templates = useQuery({ queryKey: templateKeys.list, queryFn: () => api.get<{ data: DocumentTemplateKind[] }>('/api/v1/document-templates'), retry: false });
  const organizations = useQuery({
    queryKey: templateKeys.organizations,
    queryFn: () => api.get<{ data: { id: string; name: string; shortName?: string | null; type: string }[] }>('/api/v1/organizations'),
  });
  const organIds = [...new Set((session.data?.roles ?? []).filter((g) => TEMPLATE_ROLES.includes(g.role)).map((g) => g.organizationId))];
  const nameOf = (id: string) => organizations.data?.data.find((o) => o.id === id)?.name ?? '本机关';
  const [chosenOrgan, setChosenOrgan] = useState<string>();
  const organId = chosenOrgan && organIds.includes(chosenOrgan) ? chosenOrgan : organIds[0];

  if (templates.isLoading || session.isLoading) return <Skeleton active paragraph={{ rows: 10 }} />;
  if (templates.isError || !templates.data) {
    const forbidden = templates.error instanceof ApiError && templates.error.status === 403;
    return <Result status={forbidden ? '403' : 'error'} title={forbidden ? '无权管理文书模板' : '无法加载文书模板'} subTitle={(templates.error as Error | null)?.message} />;
  }

  return (
    <Card
      title="文书模板"
      data-testid="templates-page"
      extra={
        organIds.length > 1 ? (
          <Space>
            <Typography.Text>上传到</Typography.Text>
            <Select
              aria-label="上传到的机关"
              style={{ minWidth: 240 }}
              value={organId}
              onChange={setChosenOrgan}
              options={organIds.map((id) => ({ value: id, label: nameOf(id) }))}
              data-testid="template-organ"
            />
          </Space>
        ) : organId ? (
          <Typography.Text type="secondary">本机关：{nameOf(organId)}</Typography.Text>
        ) : null
      }
    >
      <Typography.Paragraph type="secondary">
        各类文书按 GB/T 9704 的格式提供系统默认模板。可下载默认模板，在 Word 或 WPS 中修改版头、落款等后上传为本机关模板；模板中用花括号引用字段（如
        <Typography.Text code>{'{officialName}'}</Typography.Text>，列表写作
        <Typography.Text code>{'{#situations}…{/situations}'}</Typography.Text>），只能引用下列可用字段。本机关最近上传的模板用于此后制作的文书，已制作的文书不受影响。
      </Typography.Paragraph>
      {templates.data.data.map((kind) => (
        <KindTemplates key={kind.kind} kind={kind} organId={organId} nameOf={nameOf} />
      ))}
    </Card>
  );
}

function KindTemplates({ kind, organId, nameOf }: { kind: DocumentTemplateKind; organId: string | undefined; nameOf: (id: string) => string }) {
  const { message } = App.useApp();
  const client = useQueryClient();
  const [uploading, setUploading] = useState(false);
  const [refusal, setRefusal] = useState<string>();
  // Uploads come newest first: the first of each organ is the one in use.
  const inUse = new Set<string>();
  const seenOrgans = new Set<string>();
  for (const u of kind.uploads) {
    if (!seenOrgans.has(u.organId)) inUse.add(u.id);
    seenOrgans.add(u.organId);
  }

  const upload = async (file: File) => {
    if (!organId) return;
    setUploading(true);
    setRefusal(undefined);
    try {
      const contentBase64 = await readAsBase64(file);
      const { data } = await api.post<{ data: { id: string; fields: string[] } }>(`/api/v1/document-templates/${kind.kind}`, { organId, filename: file.name, contentBase64 });
      message.success(`已上传${kind.title}模板“${file.name}”，引用字段 ${data.fields.length} 个`);
      await client.invalidateQueries({ queryKey: templateKeys.list });
    } catch (error) {
      setRefusal(error instanceof ApiError ? error.message : '上传失败，请稍后重试');
    } finally {
      setUploading(false);
    }
  };

  const fields = kind.fields;
  return (
    <Card
      size="small"
      style={{ marginBottom: 12 }}
      data-testid={`template-${kind.kind}`}
      title={kind.title}
      extra={
        <Space size={8} wrap>
          <DownloadButton size="small" icon={<FileWordOutlined />} url={`/api/v1/document-templates/${kind.kind}/default`} filename={`${kind.title}-默认模板.docx`} data-testid={`default-template-${kind.kind}`}>
            下载默认模板
          </DownloadButton>
          <span data-testid={`upload-${kind.kind}`}>
            <Upload
              accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"
              showUploadList={false}
              maxCount={1}
              disabled={!organId || uploading}
              beforeUpload={(file) => {
                // The file goes up as base64 in JSON (the API's form), not by Upload's own request.
                void upload(file);
                return false;
              }}
            >
              <Button size="small" type="primary" ghost icon={<UploadOutlined />} loading={uploading} disabled={!organId}>
                上传本机关模板
              </Button>
            </Upload>
          </span>
        </Space>
      }
    >
      {/* Right under the upload button: the server's reason, naming the field it refused. */}
      {refusal && (
        <Alert type="error" showIcon title={refusal} role="alert" data-testid={`template-refusal-${kind.kind}`} style={{ marginBottom: 8 }} closable={{ onClose: () => setRefusal(undefined) }} />
      )}
      <Collapse
        size="small"
        ghost
        items={[
          {
            key: 'fields',
            label: `可用字段（${fields.length} 个）`,
            children: (
              <Space size={[4, 6]} wrap data-testid={`template-fields-${kind.kind}`}>
                {fields.map((f) => {
                  const description = fieldDescription(f);
                  return (
                    <Tag key={fieldName(f)} title={description} style={{ fontFamily: 'monospace', marginInlineEnd: 0 }}>
                      {fieldName(f)}
                      {description && <span style={{ fontFamily: 'initial', color: 'rgba(0,0,0,0.45)', marginInlineStart: 4 }}>{description}</span>}
                    </Tag>
                  );
                })}
              </Space>
            ),
          },
        ]}
      />
      <div style={{ padding: '0 4px' }}>
        <Typography.Text strong>本机关模板：</Typography.Text>
        {kind.uploads.length === 0 ? (
          <Typography.Text type="secondary">尚未上传，制作文书时使用系统默认模板</Typography.Text>
        ) : (
          <List
            size="small"
            dataSource={kind.uploads}
            data-testid={`template-uploads-${kind.kind}`}
            renderItem={(u) => (
              <List.Item>
                <Space wrap>
                  <FileWordOutlined />
                  <span>{u.filename}</span>
                  {inUse.has(u.id) ? <Tag color="green">在用</Tag> : <Tag>已被替换</Tag>}
                  <Typography.Text type="secondary">{nameOf(u.organId)}</Typography.Text>
                  <Typography.Text type="secondary">{formatTime(u.uploadedAt)}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
        )}
      </div>
    </Card>
  );
}
