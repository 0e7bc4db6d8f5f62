import { ArrowLeftOutlined } from '@ant-design/icons';
import { Button, Col, Result, Row, Skeleton } from 'antd';
import { Link, useParams } from 'react-router';
import { ApiError } from '../../api/client';
import { ActionBar } from './ActionBar';
import { CaseHeader } from './CaseHeader';
import { CaseTabs } from './CaseTabs';
import { CaseTimeline } from './CaseTimeline';
import { useCase, useEvidence, usePolicyPack } from './queries';

/**
 * The case page: where the case stands, what this user may do now (as the server computed it), the records in
 * tabs, and the history beside them. Officials, party organizations and experts see the same page with what the
 * server sends them.
 */
export function CasePage() {
  const { caseId = '' } = useParams();
  const kase = useCase(caseId);
  const evidence = useEvidence(caseId, kase.isSuccess);
  // Forms and the assessment tab quote the pack; fetch it once, early.
  usePolicyPack(kase.data?.data.policy.id);

  if (kase.isLoading) return <Skeleton active paragraph={{ rows: 12 }} />;
  if (kase.isError || !kase.data) {
    const notFound = kase.error instanceof ApiError && kase.error.status === 404;
    return (
      <Result
        status={notFound ? '404' : 'error'}
        title={notFound ? '案件不存在或无权查看' : '无法加载案件'}
        subTitle={notFound ? undefined : (kase.error as Error | null)?.message}
        extra={
          <Link to="/cases">
            <Button icon={<ArrowLeftOutlined />}>返回案件列表</Button>
          </Link>
        }
      />
    );
  }
  const { data: view, abilities } = kase.data;
  return (
    <Row gutter={16} wrap={false}>
      <Col flex="1 1 0" style={{ minWidth: 0 }}>
        <CaseHeader view={view} actions={<ActionBar view={view} abilities={abilities} />} />
        <CaseTabs view={view} abilities={abilities} evidence={evidence.data?.data ?? []} evidenceLoading={evidence.isLoading} />
      </Col>
      <Col flex="0 0 300px">
        <CaseTimeline caseId={caseId} />
      </Col>
    </Row>
  );
}
