import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { beforeAll, describe, expect, it } from 'vitest';
import { errorsByPath } from '../lib/errors';
import { localizedFrom, moneyFrom } from '../lib/forms';
import i18n from '../lib/i18n';
import { MoneyInput, moneyProblem, MultilingualInput } from './forms';

beforeAll(async () => {
  await i18n.changeLanguage('en');
});

describe('MultilingualInput', () => {
  it('has one input per language, the default first and required, with the API’s errors at each', () => {
    const errors = errorsByPath({ status: 422, errors: [{ field: 'title', message: 'required' }, { field: 'title.en', message: 'too long' }] });
    render(
      <form aria-label="f">
        <MultilingualInput name="title" label="Title" locales={['pl', 'en']} defaultValue={{ pl: 'Plan', en: null }} errors={errors} required />
      </form>,
    );
    const pl = screen.getByRole('textbox', { name: 'Title (Polski) – required' });
    const en = screen.getByRole('textbox', { name: 'Title (English)' });
    expect(pl).toBeRequired();
    expect(pl).toHaveValue('Plan');
    expect(pl).toHaveAccessibleDescription('required');
    expect(en).not.toBeRequired();
    expect(en).toHaveAccessibleDescription('too long');
    const form = screen.getByRole('form', { name: 'f' }) as HTMLFormElement;
    expect(localizedFrom(new FormData(form), 'title', ['pl', 'en'])).toEqual({ pl: 'Plan' });
  });

  it('works controlled, for forms that keep their state', async () => {
    function Controlled() {
      const [value, setValue] = useState<Partial<Record<'sk' | 'en', string>>>({});
      return (
        <>
          <MultilingualInput name="minutes" label="Minutes" locales={['sk', 'en']} value={value} onChange={setValue} errors={{}} multiline />
          <output>{JSON.stringify(value)}</output>
        </>
      );
    }
    render(<Controlled />);
    await userEvent.type(screen.getByRole('textbox', { name: 'Minutes (English)' }), 'Held');
    expect(screen.getByRole('status')).toHaveTextContent('{"en":"Held"}');
  });
});

describe('MoneyInput', () => {
  it('shows minor units with two decimals and reads them back as minor units', () => {
    render(
      <form aria-label="m">
        <MoneyInput label="Budget (EUR)" name="budget" currency="EUR" defaultAmount={150050} />
      </form>,
    );
    const input = screen.getByRole('textbox', { name: 'Budget (EUR)' });
    expect(input).toHaveValue('1500.50');
    expect(input).toHaveAttribute('inputmode', 'decimal');
    expect(moneyFrom(new FormData(screen.getByRole('form', { name: 'm' }) as HTMLFormElement), 'budget', 'EUR')).toBe(150050);
    expect(moneyProblem('budget', NaN, 'Enter an amount')).toEqual({ status: 422, code: 'validation-failed', errors: [{ field: 'budget', message: 'Enter an amount' }] });
    expect(moneyProblem('budget', null, 'Enter an amount')).toBeUndefined();
  });
});
