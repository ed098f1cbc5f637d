/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { compression, defineAlgorithm } from 'vite-plugin-compression2';

const api = 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [
    react(),
    // Each asset also written compressed at the highest levels (`.br`, `.gz` beside it), which the
    // server sends to a browser that accepts them instead of compressing on the fly at a low level.
    compression({
      algorithms: [
        defineAlgorithm('brotliCompress', {
          // zlib.constants.BROTLI_PARAM_QUALITY (the maximum, 11), BROTLI_PARAM_MODE: text (1).
          params: { 1: 11, 0: 1 },
        }),
        defineAlgorithm('gzip', { level: 9 }),
      ],
      logLevel: 'silent',
    }),
  ],
  server: {
    proxy: { '/api': api, '/healthz': api, '/readyz': api },
  },
  build: {
    outDir: 'dist',
    // `.vite/manifest.json`: the server names the reader's language chunk in the page's `Link`
    // header from it, so that chunk loads beside the app's script instead of after it.
    manifest: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 600,
  },
  test: {
    environment: 'jsdom',
    globals: true,
    setupFiles: ['./src/test-setup.ts'],
    // Component tests that type into whole forms take seconds on a busy 2-core CI machine.
    testTimeout: 20_000,
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
