// Rendering components that use the data layer: each test gets its own, empty query cache.
import { QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderOptions } from '@testing-library/react';
import type { ReactElement, ReactNode } from 'react';
import { createAppQueryClient } from './lib/query';

export function renderWithQuery(ui: ReactElement, options?: RenderOptions) {
  const client = createAppQueryClient();
  const Wrapper = ({ children }: { children: ReactNode }) => <QueryClientProvider client={client}>{children}</QueryClientProvider>;
  return { client, ...render(ui, { wrapper: Wrapper, ...options }) };
}
