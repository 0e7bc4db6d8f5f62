import { App, Alert, Button, Drawer, Form, Modal, Progress, Space, type FormInstance } from 'antd';
import { useState, type ReactNode } from 'react';
import type { CaseAction } from '../../api/types';
import { isVersionConflict, showCommandError } from './command-errors';
import { useRefreshCase } from './queries';

export interface CommandDrawerProps<V> {
  caseId: string;
  action: CaseAction;
  title: ReactNode;
  open: boolean;
  onClose: () => void;
  form: FormInstance<V>;
  initialValues?: object;
  /** Sends the command; the values have passed the form's own checks. */
  onSubmit: (values: V) => Promise<unknown>;
  /** Shown with message.success once the server accepted the command. */
  successText: string;
  submitText?: string;
  /** Drawer width in pixels; ignored for a modal. */
  size?: number;
  modal?: boolean;
  /** Upload progress (0–100) while a long command runs. */
  progress?: number;
  /** Something to show above the form (what the command is about, the article it rests on). */
  intro?: ReactNode;
  children: ReactNode;
}

/**
 * The frame of every case command: a drawer (or a small modal) holding one form, a submit button
 * `submit-<action>`, and what happens after: success message, refetch of the case, close; or the refusal shown
 * next to its field or, for a rule, with the article that refuses it.
 */
export function CommandDrawer<V extends object>(props: CommandDrawerProps<V>) {
  const { caseId, action, title, open, onClose, form, initialValues, onSubmit, successText, submitText = '提交', size = 720, modal, progress, intro, children } = props;
  const { message } = App.useApp();
  const refresh = useRefreshCase(caseId);
  const [saving, setSaving] = useState(false);
  const [refusal, setRefusal] = useState<string>();

  const submit = async () => {
    let values: V;
    try {
      values = await form.validateFields();
    } catch (error) {
      const first = (error as { errorFields?: { name: (string | number)[] }[] }).errorFields?.[0];
      if (first) form.scrollToField(first.name, { block: 'center' });
      return;
    }
    setSaving(true);
    setRefusal(undefined);
    try {
      await onSubmit(values);
      message.success(successText);
      await refresh();
      onClose();
    } catch (error) {
      setRefusal(showCommandError(form as FormInstance, error, message));
      // Someone else moved the case on: show them what it is now, so a retry acts on the current version.
      if (isVersionConflict(error)) void refresh();
    } finally {
      setSaving(false);
    }
  };

  const body = (
    <>
      {intro}
      <Form form={form} layout="vertical" name={action} initialValues={initialValues} disabled={saving} scrollToFirstError>
        {children}
      </Form>
      {progress !== undefined && saving && <Progress percent={progress} status="active" aria-label="上传进度" />}
    </>
  );
  // The refusal sits by the buttons, where the user's eyes are when they submit, however far the form scrolled.
  const footer = (
    <>
      {refusal && <Alert type="error" showIcon title={refusal} style={{ marginBottom: 8, textAlign: 'start' }} role="alert" data-testid="command-refusal" closable={{ onClose: () => setRefusal(undefined) }} />}
      <Space style={{ width: '100%', justifyContent: 'flex-end' }}>
        <Button onClick={onClose} disabled={saving}>
          取消
        </Button>
        <Button type="primary" onClick={submit} loading={saving} data-testid={`submit-${action}`}>
          {submitText}
        </Button>
      </Space>
    </>
  );

  if (modal) {
    return (
      <Modal title={title} open={open} onCancel={onClose} footer={footer} destroyOnHidden width={560} mask={{ closable: !saving }}>
        {body}
      </Modal>
    );
  }
  return (
    <Drawer title={title} open={open} onClose={onClose} footer={footer} destroyOnHidden size={size} mask={{ closable: !saving }}>
      {body}
    </Drawer>
  );
}
