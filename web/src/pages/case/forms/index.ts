import type { ComponentType } from 'react';
import type { CaseAction } from '../../../api/types';
import { AppealForm } from './AppealForm';
import { ApplicationForm } from './ApplicationForm';
import { ApprovalForm } from './ApprovalForm';
import { AssessmentForm } from './AssessmentForm';
import { CloseForm } from './CloseForm';
import { DecideAppealForm } from './DecideAppealForm';
import { DecideForm } from './DecideForm';
import { DeliberationForm } from './DeliberationForm';
import { EvidenceForm } from './EvidenceForm';
import { ExpertOpinionForm } from './ExpertOpinionForm';
import { InviteExpertForm } from './InviteExpertForm';
import { OpinionForm } from './OpinionForm';
import { ProfessionalForm } from './ProfessionalForm';
import { ServeForm } from './ServeForm';
import { StatementForm } from './StatementForm';
import type { ActionFormProps } from './types';

/** The form of each case action, in the order of the procedure (the action bar shows them in this order). */
export const ACTION_FORMS: Record<CaseAction, ComponentType<ActionFormProps>> = {
  recordEvidence: EvidenceForm,
  recordOpinion: OpinionForm,
  recordStatement: StatementForm,
  submitApplication: ApplicationForm,
  markProfessional: ProfessionalForm,
  inviteExpert: InviteExpertForm,
  recordExpertOpinion: ExpertOpinionForm,
  recordAssessment: AssessmentForm,
  recordDeliberation: DeliberationForm,
  decide: DecideForm,
  approveDecision: ApprovalForm,
  serve: ServeForm,
  lodgeAppeal: AppealForm,
  decideAppeal: DecideAppealForm,
  close: CloseForm,
};

export const ACTION_ORDER = Object.keys(ACTION_FORMS) as CaseAction[];
