/**
 * Build for the three Electron targets. electron-vite only finds entries under src/{main,preload,
 * renderer}, so with this repo's src-main / src-renderer layout every entry, root and outDir is
 * given explicitly.
 *
 * The renderer config is also exported as `createRendererConfig` so that tests (and a browser-only
 * build) can run the same build with plain `vite.build()`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin, UserConfig } from 'vite';
import { RENDERER_CSP } from './src-main/hosts/console-csp.js';

const projectRoot = fileURLToPath(new URL('.', import.meta.url));

/**
 * The renderer's Content Security Policy, as a meta tag so it also covers the file:// page Electron
 * loads (no response headers there). The browser host sends the same policy as a header, plus
 * `frame-ancestors`, which only works as a header.
 *
 * The dev server needs allowances the build must never have: React Refresh injects an inline
 * module script, Vite injects CSS as <style> elements for hot updates, and HMR talks over a
 * websocket.
 */
const PRODUCTION_CSP = RENDERER_CSP;
const DEV_CSP = PRODUCTION_CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
  .replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
  .replace("connect-src 'self'", "connect-src 'self' ws: http://localhost:* http://127.0.0.1:*");

function contentSecurityPolicy(): Plugin {
  return {
    name: 'scimulator:csp',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        return [
          {
            tag: 'meta',
            attrs: { 'http-equiv': 'Content-Security-Policy', content: context.server ? DEV_CSP : PRODUCTION_CSP },
            injectTo: 'head-prepend',
          },
        ];
      },
    },
  };
}

export interface RendererBuildOptions {
  /** Where the built console goes; out/renderer by default (where main.ts and the host look). */
  readonly outDir?: string;
}

export function createRendererConfig(options: RendererBuildOptions = {}): UserConfig {
  return {
    root: resolve(projectRoot, 'src-renderer'),
    // Relative asset URLs work both from file:// (Electron) and from `/` on the loopback server.
    base: './',
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: options.outDir ?? resolve(projectRoot, 'out/renderer'),
      emptyOutDir: true,
      rolldownOptions: { input: resolve(projectRoot, 'src-renderer/index.html') },
      // Inline assets would be data: URLs for fonts/scripts, which the CSP refuses.
      assetsInlineLimit: 0,
      // electron-vite leaves the renderer unminified by default; the same files are also served to
      // browsers, so build them the same way in both modes.
      minify: true,
      sourcemap: true,
    },
  };
}

export default defineConfig(({ command }) => {
  const renderer = createRendererConfig();
  return {
    main: {
      build: {
        outDir: resolve(projectRoot, 'out/main'),
        rolldownOptions: { input: { index: resolve(projectRoot, 'src-main/electron/main.ts') } },
        // lowdb and steno are ESM-only; bundling them keeps the main process independent of how
        // node_modules is packaged. Other dependencies stay external.
        externalizeDeps: { exclude: ['lowdb', 'steno'] },
        sourcemap: true,
      },
    },
    preload: {
      build: {
        outDir: resolve(projectRoot, 'out/preload'),
        rolldownOptions: {
          input: { index: resolve(projectRoot, 'src-main/electron/preload.ts') },
          // Sandboxed preloads must be a single CommonJS script. The .cjs name keeps Node's
          // "type": "module" from reinterpreting it should it ever be loaded unsandboxed.
          output: { format: 'cjs', entryFileNames: '[name].cjs' },
        },
        // Bundle everything except electron itself into that one file.
        externalizeDeps: false,
      },
    },
    renderer: {
      ...renderer,
      // `base: './'` only for builds; the dev server serves from its root.
      base: command === 'build' ? './' : '/',
    },
  };
});
