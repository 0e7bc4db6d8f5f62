import type { Abilities, CaseView } from '../../../api/types';

/** What every action form gets: the case as the user sees it (its version is what the command carries). */
export interface ActionFormProps {
  view: CaseView;
  abilities: Abilities;
  open: boolean;
  onClose: () => void;
}
