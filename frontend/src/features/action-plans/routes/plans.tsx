// The action plans area of a municipality: one lazily loaded chunk with its own routes.
import '../plans.css';
import { Route, Routes } from 'react-router-dom';
import { CommitmentDetail } from './commitment-detail';
import { CommitmentFormPage } from './commitment-form-page';
import { PlanDetail } from './plan-detail';
import { PlanFormPage } from './plan-form-page';
import { PlanList } from './plan-list';

export default function Plans() {
  return (
    <Routes>
      <Route index element={<PlanList />} />
      <Route path="new" element={<PlanFormPage />} />
      <Route path=":id" element={<PlanDetail />} />
      <Route path=":id/edit" element={<PlanFormPage />} />
      <Route path=":id/commitments/new" element={<CommitmentFormPage />} />
      <Route path=":id/commitments/:cid" element={<CommitmentDetail />} />
      <Route path=":id/commitments/:cid/edit" element={<CommitmentFormPage />} />
    </Routes>
  );
}
