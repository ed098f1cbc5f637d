import { useTranslation } from 'react-i18next';
import { MoneyInput, MultilingualInput, StaffFormFooter } from '../../../components/forms';
import { Field, Select } from '../../../components/ui';
import type { Schemas } from '../../../lib/api-client';
import { orgLocales } from '../../../lib/forms';
import { useStaffForm } from '../../../lib/staff-form';
import {
  BALLOT_KINDS,
  newCategory,
  newDistrict,
  validateBudgetForm,
  type BudgetFormState,
  type CategoryRow,
  type DistrictRow,
} from '../lib/budget-form';
import { OUTCOME_RULES, PHASES } from '../lib/budgets';

interface Props {
  org: Schemas['OrgResponse'];
  initial: BudgetFormState;
  submitLabel: string;
  /** Editing: whether the rules (money, ballot, outcome) are fixed because voting has opened. */
  rulesFixed?: boolean;
  /** Editing: the supports phase is chosen once, when the process is created. */
  editing?: boolean;
  onSubmit: (form: BudgetFormState) => Promise<unknown>;
  onReload?: () => void;
}

/** Setting up a participatory budget: texts, money and districts, categories, phases, ballot and outcome rules. */
export function BudgetForm({ org, initial, submitLabel, rulesFixed, editing, onSubmit, onReload }: Props) {
  const { t } = useTranslation();
  const { f, set, errors, error, busy, stale, formRef, onSubmit: send } = useStaffForm(initial, (form: BudgetFormState) => validateBudgetForm(form, org, t), onSubmit);
  const setDistrict = (i: number, row: Partial<DistrictRow>) => set('districts', f.districts.map((d, j) => (j === i ? { ...d, ...row } : d)));
  const setCategory = (i: number, row: Partial<CategoryRow>) => set('categories', f.categories.map((c, j) => (j === i ? { ...c, ...row } : c)));

  const localized = { locales: orgLocales(org), errors };
  const money = (label: string) => `${label} (${org.currency})`;
  return (
    <form ref={formRef} onSubmit={send} noValidate className="staff-form">
      <fieldset>
        <legend>{t('budgetForm.about')}</legend>
        <MultilingualInput {...localized} label={t('budgetForm.titleField')} name="title" value={f.title} onChange={(v) => set('title', v)} required maxLength={300} />
        <MultilingualInput {...localized} label={t('budgetForm.rulesText')} name="rules_text" value={f.rulesText} onChange={(v) => set('rulesText', v)} multiline rows={6} maxLength={50000} />
      </fieldset>

      <fieldset disabled={rulesFixed}>
        <legend>{t('budgetForm.money')}</legend>
        {rulesFixed && <p className="hint">{t('budgetForm.rulesFixed')}</p>}
        <MoneyInput label={money(t('budgetForm.total'))} name="total" currency={org.currency} value={f.total} onChange={(e) => set('total', e.target.value)} required error={errors.total} />
        <p className="hint">{t('budgetForm.districtsHint')}</p>
        <ol className="agenda-rows">
          {f.districts.map((d, i) => (
            <li key={d.rowKey}>
              <fieldset>
                <legend>{t('budgetForm.district', { n: i + 1 })}</legend>
                <Field label={t('budgetForm.key')} hint={t('budgetForm.keyHint')} value={d.key} onChange={(e) => setDistrict(i, { key: e.target.value })} required maxLength={100} error={errors[`districts[${i}].key`]} />
                <MultilingualInput {...localized} label={t('budgetForm.districtName')} name={`districts[${i}].name`} value={d.name} onChange={(v) => setDistrict(i, { name: v })} required maxLength={200} />
                <MoneyInput label={money(t('budgetForm.districtAmount'))} name={`districts[${i}].amount`} currency={org.currency} value={d.amount} onChange={(e) => setDistrict(i, { amount: e.target.value })} required error={errors[`districts[${i}].amount`]} />
                <button type="button" className="secondary" onClick={() => set('districts', f.districts.filter((_, j) => j !== i))}>
                  {t('budgetForm.removeDistrict', { n: i + 1 })}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" onClick={() => set('districts', [...f.districts, newDistrict()])}>
          {t('budgetForm.addDistrict')}
        </button>
        {f.districts.length > 0 && (
          <Select label={t('budgetForm.districtVoting')} value={f.districtVoting} onChange={(e) => set('districtVoting', e.target.value as BudgetFormState['districtVoting'])} error={errors.district_voting}>
            <option value="each">{t('budgetForm.districtVoting_each')}</option>
            <option value="one">{t('budgetForm.districtVoting_one')}</option>
          </Select>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('budgetForm.categories')}</legend>
        <ol className="agenda-rows">
          {f.categories.map((c, i) => (
            <li key={c.rowKey}>
              <fieldset>
                <legend>{t('budgetForm.category', { n: i + 1 })}</legend>
                <Field label={t('budgetForm.key')} hint={t('budgetForm.keyHint')} value={c.key} onChange={(e) => setCategory(i, { key: e.target.value })} required maxLength={100} error={errors[`categories[${i}].key`]} />
                <MultilingualInput {...localized} label={t('budgetForm.categoryName')} name={`categories[${i}].name`} value={c.name} onChange={(v) => setCategory(i, { name: v })} required maxLength={200} />
                <button type="button" className="secondary" onClick={() => set('categories', f.categories.filter((_, j) => j !== i))}>
                  {t('budgetForm.removeCategory', { n: i + 1 })}
                </button>
              </fieldset>
            </li>
          ))}
        </ol>
        <button type="button" className="secondary" onClick={() => set('categories', [...f.categories, newCategory()])}>
          {t('budgetForm.addCategory')}
        </button>
      </fieldset>

      <fieldset>
        <legend>{t('budgetForm.schedule')}</legend>
        <p className="hint">{t('budgetForm.scheduleHint')}</p>
        <div className="field-row wrap">
          {PHASES.filter((p) => p !== 'supports' || f.supportsPhase).map((p) => (
            <Field key={p} label={t(`budgets.phase_${p}`)} type="date" value={f.schedule[p] ?? ''} onChange={(e) => set('schedule', { ...f.schedule, [p]: e.target.value })} error={errors[`schedule.${p}`]} />
          ))}
        </div>
        <label className="check">
          <input type="checkbox" checked={f.supportsPhase} disabled={editing} onChange={(e) => set('supportsPhase', e.target.checked)} />
          {t('budgetForm.supportsPhase')}
        </label>
        {f.supportsPhase && (
          <Field
            label={t('budgetForm.supportsThreshold')}
            type="number"
            inputMode="numeric"
            min={1}
            disabled={editing}
            value={f.supportsThreshold}
            onChange={(e) => set('supportsThreshold', e.target.value)}
            required
            error={errors.supports_threshold}
          />
        )}
      </fieldset>

      <fieldset disabled={rulesFixed}>
        <legend>{t('budgetForm.voting')}</legend>
        <Select label={t('budgetForm.ballotKind')} value={f.ballotKind} onChange={(e) => set('ballotKind', e.target.value as BudgetFormState['ballotKind'])} error={errors['ballot_rule.kind']}>
          {BALLOT_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`budgetForm.ballot_${k}`)}
            </option>
          ))}
        </Select>
        <p className="hint">{t(`budgetForm.ballotHint_${f.ballotKind}`)}</p>
        {f.ballotKind === 'approval' && (
          <div className="field-row wrap">
            <Field label={t('budgetForm.minProjects')} type="number" inputMode="numeric" min={0} value={f.minProjects} onChange={(e) => set('minProjects', e.target.value)} error={errors['ballot_rule.min_projects']} />
            <Field label={t('budgetForm.maxProjects')} type="number" inputMode="numeric" min={1} value={f.maxProjects} onChange={(e) => set('maxProjects', e.target.value)} error={errors['ballot_rule.max_projects']} />
            <label className="check">
              <input type="checkbox" checked={f.knapsack} onChange={(e) => set('knapsack', e.target.checked)} />
              {t('budgetForm.knapsack')}
            </label>
          </div>
        )}
        {f.ballotKind === 'cumulative' && (
          <div className="field-row wrap">
            <Field label={t('budgetForm.points')} type="number" inputMode="numeric" min={1} value={f.points} onChange={(e) => set('points', e.target.value)} required error={errors['ballot_rule.points']} />
            <Field label={t('budgetForm.maxPerProject')} type="number" inputMode="numeric" min={1} value={f.maxPerProject} onChange={(e) => set('maxPerProject', e.target.value)} error={errors['ballot_rule.max_per_project']} />
            <Field label={t('budgetForm.minProjects')} type="number" inputMode="numeric" min={0} value={f.minProjects} onChange={(e) => set('minProjects', e.target.value)} error={errors['ballot_rule.min_projects']} />
          </div>
        )}
        {f.ballotKind === 'ranking' && (
          <Field label={t('budgetForm.scores')} hint={t('budgetForm.scoresHint')} value={f.scores} onChange={(e) => set('scores', e.target.value)} required error={errors['ballot_rule.scores'] ?? errors.ballot_rule} />
        )}
        <Select label={t('budgets.outcomeRule')} value={f.outcomeRule} onChange={(e) => set('outcomeRule', e.target.value as BudgetFormState['outcomeRule'])} error={errors.outcome_rule}>
          {OUTCOME_RULES.map((r) => (
            <option key={r} value={r}>
              {t(`budgetForm.outcomeName_${r}`)}
            </option>
          ))}
        </Select>
        <p className="hint" aria-live="polite">
          {t('budgets.outcomeIs', { rule: t(`budgets.outcome_${f.outcomeRule}`) })}
        </p>
        <Field label={t('budgetForm.minScore')} hint={t('budgetForm.minScoreHint')} type="number" inputMode="numeric" min={0} value={f.minScore} onChange={(e) => set('minScore', e.target.value)} error={errors.min_score} />
        <label className="check">
          <input type="checkbox" checked={f.requiresVerified} onChange={(e) => set('requiresVerified', e.target.checked)} />
          {t('budgetForm.requiresVerified')}
        </label>
      </fieldset>

      <StaffFormFooter error={error} stale={stale} onReload={onReload} reloadLabel={t('budgetForm.reload')} busy={busy} submitLabel={submitLabel} />
    </form>
  );
}
