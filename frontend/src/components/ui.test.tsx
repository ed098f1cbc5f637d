import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import '../lib/i18n';
import i18n from '../lib/i18n';
import { ErrorMessage, Field, Localized } from './ui';

describe('Localized', () => {
  it('shows the text in the chosen language', async () => {
    await i18n.changeLanguage('en');
    render(<Localized text={{ sk: 'Akčný plán', en: 'Action plan' }} fallback="sk" />);
    expect(screen.getByText('Action plan')).toBeInTheDocument();
  });

  it('marks a fallback to another language visibly', async () => {
    await i18n.changeLanguage('pl');
    render(<Localized text={{ sk: 'Akčný plán' }} fallback="sk" />);
    const el = screen.getByText(/Akčný plán/);
    expect(el).toHaveAttribute('lang', 'sk');
    expect(el).toHaveTextContent('w języku: Slovenčina');
  });
});

describe('Field and ErrorMessage', () => {
  it('ties the error to its field and announces problems in words', async () => {
    await i18n.changeLanguage('en');
    render(
      <>
        <Field label="E-mail" error="is not a valid e-mail address" />
        <ErrorMessage error={{ status: 409, code: 'email-taken' }} />
      </>,
    );
    const input = screen.getByLabelText('E-mail');
    expect(input).toHaveAttribute('aria-invalid', 'true');
    expect(input).toHaveAccessibleDescription('is not a valid e-mail address');
    expect(screen.getByRole('alert')).toHaveTextContent('An account with this e-mail already exists');
  });
});
