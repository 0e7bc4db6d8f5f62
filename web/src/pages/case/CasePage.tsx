import { Card } from 'antd';

export function CasePage() {
  return <Card title="案件">案件详情</Card>;
}
