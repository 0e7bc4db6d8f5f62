import { Card } from 'antd';

export function WorkbenchPage() {
  return <Card title="工作台">待办事项</Card>;
}
