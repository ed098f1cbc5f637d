import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { Snippet } from './snippet';

describe('Snippet', () => {
  it('marks the highlighted segments and keeps the text as written', () => {
    const { container } = render(
      <Snippet
        segments={[
          { text: 'Obnova ', highlight: false },
          { text: 'námestia', highlight: true },
          { text: ' <b>SNP</b>', highlight: false },
        ]}
      />,
    );
    expect(screen.getByText('námestia').tagName).toBe('MARK');
    expect(container.querySelectorAll('mark')).toHaveLength(1);
    expect(container.textContent).toBe('Obnova námestia <b>SNP</b>');
    expect(container.querySelector('b')).toBeNull();
  });
});
