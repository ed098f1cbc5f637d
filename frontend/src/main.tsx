import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider } from 'react-router-dom';
import { router } from './app/router';
import { AuthProvider } from './lib/auth';
import { i18nReady } from './lib/i18n';
import { queryClient } from './lib/query';
import './styles.css';

const root = document.getElementById('root');
// The reader's language is fetched first (its own chunk), so the first paint is in it.
if (root) {
  await i18nReady;
  createRoot(root).render(
    <StrictMode>
      <QueryClientProvider client={queryClient}>
        <AuthProvider>
          <RouterProvider router={router} />
        </AuthProvider>
      </QueryClientProvider>
    </StrictMode>,
  );
}
