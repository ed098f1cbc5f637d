// The participatory budget area of a municipality: one lazily loaded chunk with its own routes.
import '../budgets.css';
import { Route, Routes } from 'react-router-dom';
import { BudgetDetail } from './budget-detail';
import { BudgetFormPage } from './budget-form-page';
import { BudgetList } from './budget-list';
import { Implementation } from './implementation';
import { ProposalDetail } from './proposal-detail';
import { ProposalFormPage } from './proposal-form-page';
import { ProposalList } from './proposal-list';
import { ResultsPage } from './results';
import { VotingBooth } from './voting-booth';

export default function Budgets() {
  return (
    <Routes>
      <Route index element={<BudgetList />} />
      <Route path="new" element={<BudgetFormPage />} />
      <Route path=":id" element={<BudgetDetail />} />
      <Route path=":id/setup" element={<BudgetFormPage />} />
      <Route path=":id/proposals" element={<ProposalList />} />
      <Route path=":id/proposals/new" element={<ProposalFormPage />} />
      <Route path=":id/proposals/:pid" element={<ProposalDetail />} />
      <Route path=":id/proposals/:pid/edit" element={<ProposalFormPage />} />
      <Route path=":id/vote" element={<VotingBooth />} />
      <Route path=":id/results" element={<ResultsPage />} />
      <Route path=":id/implementation" element={<Implementation />} />
    </Routes>
  );
}
