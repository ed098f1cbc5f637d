import '@testing-library/jest-dom/vitest';
import i18n, { i18nReady } from './lib/i18n';

// The app loads one language at a time; tests switch between them, so all are loaded first.
await i18nReady;
await i18n.loadLanguages(['en', 'sk', 'pl', 'sr-Latn', 'sr-Cyrl']);
