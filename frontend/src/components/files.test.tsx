import { describe, expect, it } from 'vitest';
import { formatSize, typeLabel } from './files';

describe('file facts', () => {
  it('names types briefly and leaves unknown ones as they are', () => {
    expect(typeLabel('application/pdf')).toBe('PDF');
    expect(typeLabel('application/vnd.openxmlformats-officedocument.wordprocessingml.document')).toBe('DOCX');
    expect(typeLabel('application/x-unknown')).toBe('application/x-unknown');
  });

  it('gives sizes in the reader’s language and unit', () => {
    expect(formatSize(512, 'en')).toBe('512 byte');
    expect(formatSize(820_000, 'en')).toBe('820 kB');
    expect(formatSize(4_210_000, 'sk')).toBe('4,2 MB');
  });
});
