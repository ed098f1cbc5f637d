// The municipal budget in the open: the published years, one year's tree with its chart and
// changes, and the staff's import. One lazily loaded chunk with its own routes.
import '../budget-execution.css';
import { Route, Routes } from 'react-router-dom';
import { LineFormPage } from './line-form';
import { YearList } from './year-list';
import { YearPage } from './year-page';

export default function BudgetExecution() {
  return (
    <Routes>
      <Route index element={<YearList />} />
      <Route path=":year" element={<YearPage />} />
      <Route path=":year/lines/new" element={<LineFormPage />} />
      <Route path=":year/lines/:code" element={<LineFormPage />} />
    </Routes>
  );
}
