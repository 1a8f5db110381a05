/**
 * The console end to end, set up once for a test file: the renderer built with the app's own Vite
 * config (once per test process, shared by every file that runs in it), a real provider on a free
 * loopback port served with the full console (the composed services over a temporary data
 * directory, exactly what `scimulator serve` runs), and headless Chromium driven by
 * playwright-core, opened through the console URL with its secret.
 *
 *   const consoleE2e = await openConsoleE2e({ seedUsers: 25, colorScheme: 'dark' });
 *   await consoleE2e.page.getByRole('tab', { name: 'Targets' }).click();
 *   …
 *   expect(consoleE2e.errors).toEqual([]); // page errors, console errors and CSP violations
 *   await consoleE2e.close();
 *
 * Needs /usr/bin/chromium (or SCIMULATOR_CHROMIUM): guard a suite with
 * `describe.skipIf(!chromiumAvailable())`.
 */
import { existsSync, rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';
import { createRendererConfig } from '../../electron.vite.config.js';
import type { ConsoleApi } from '../../src-main/api/console-api.js';
import type { ComposedConsoleServices } from '../../src-main/console/compose.js';
import { createMemoryVault } from '../../src-main/console/secret-vault.js';
import type { SecretVault } from '../../src-main/console/ports.js';
import { serveConsole, type ConsoleServer } from '../../src-main/hosts/console-server.js';
import type { RunningProvider } from '../../src-main/hosts/provider-host.js';
import type { ProviderOptions } from '../../src-main/provider.js';

export const CHROMIUM = process.env.SCIMULATOR_CHROMIUM ?? '/usr/bin/chromium';

export const chromiumAvailable = (): boolean => existsSync(CHROMIUM);

export interface ConsoleE2eOptions {
  /** Realistic users (and proportional groups) in the local provider's directory. Default 0. */
  readonly seedUsers?: number;
  /** Default 1280 × 800. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The system theme the page sees (prefers-color-scheme). Default light. */
  readonly colorScheme?: 'light' | 'dark';
  /** Default `reduce`, so screenshots never catch an animation half-way. */
  readonly reducedMotion?: 'reduce' | 'no-preference';
  /** A data directory to reuse (targets.json, idp-directory.json, runs.json); a fresh temporary one by default. */
  readonly dataDir?: string;
  readonly vault?: SecretVault;
  /** More provider options (a token, a clock). */
  readonly provider?: Omit<ProviderOptions, 'seed'>;
  /** Open the console's URL right away (default true); false to drive `page` from a blank tab. */
  readonly open?: boolean;
}

export interface ConsoleE2e {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly browser: Browser;
  readonly provider: RunningProvider;
  readonly services: ComposedConsoleServices;
  /** The same API the page talks to, for arranging state from the test without the UI. */
  readonly api: ConsoleApi;
  readonly server: ConsoleServer;
  /** The provider's SCIM base URL (http://127.0.0.1:PORT/scim/v2). */
  readonly baseUrl: string;
  /** The console URL with its secret: what `serve` prints. */
  readonly consoleUrl: string;
  /** The console's origin (http://127.0.0.1:PORT): where the page is once opened. */
  readonly origin: string;
  readonly dataDir: string;
  /** Page errors, console errors and CSP violations, as they happen. */
  readonly errors: string[];
  /** Opens another page in the same browser context (already holding the secret's cookie). */
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

const BUILD_KEY = Symbol.for('scimulator.e2e.renderer');

/** Vite decides dev vs production from NODE_ENV, which vitest sets to "test". */
async function buildRenderer(outDir: string): Promise<void> {
  const previous = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ ...createRendererConfig({ outDir }), configFile: false, mode: 'production', logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = previous;
  }
}

/**
 * The built renderer's directory, built on first use in this process. Kept on globalThis because
 * vitest gives each test file its own module registry in a reused worker process.
 */
export function builtRenderer(): Promise<string> {
  const shared = globalThis as unknown as Record<symbol, Promise<string> | undefined>;
  shared[BUILD_KEY] ??= (async () => {
    const outDir = await mkdtemp(join(tmpdir(), 'scimulator-renderer-'));
    process.once('exit', () => rmSync(outDir, { recursive: true, force: true }));
    await buildRenderer(outDir);
    return outDir;
  })();
  // A failed build is not cached: the next file tries again and reports its own error.
  shared[BUILD_KEY].catch(() => {
    shared[BUILD_KEY] = undefined;
  });
  return shared[BUILD_KEY];
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export async function openConsoleE2e(options: ConsoleE2eOptions = {}): Promise<ConsoleE2e> {
  const rendererDir = await builtRenderer();
  const ownDataDir = options.dataDir === undefined ? await mkdtemp(join(tmpdir(), 'scimulator-console-data-')) : undefined;
  const dataDir = options.dataDir ?? ownDataDir!;
  const server = await serveConsole({
    ...options.provider,
    port: 0,
    ...(options.seedUsers ? { seed: options.seedUsers } : {}),
    rendererDir,
    dataDir,
    vault: options.vault ?? createMemoryVault(),
    hostKind: 'browser',
  });
  let browser: Browser | undefined;
  try {
    browser = await launchChromium();
    const context = await browser.newContext({
      viewport: { width: options.viewport?.width ?? 1280, height: options.viewport?.height ?? 800 },
      deviceScaleFactor: 1,
      colorScheme: options.colorScheme ?? 'light',
      reducedMotion: options.reducedMotion ?? 'reduce',
    });
    const errors: string[] = [];
    const watch = (page: Page): Page => {
      // CSP violations and React errors surface here; the console must run clean under its policy.
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
      });
      page.on('pageerror', (error) => errors.push(error.message));
      return page;
    };
    const page = watch(await context.newPage());
    if (options.open !== false) await page.goto(server.consoleUrl);
    const openBrowser = browser;
    let closing: Promise<void> | undefined;
    return {
      page,
      context,
      browser,
      provider: server.provider,
      services: server.services,
      api: server.api,
      server,
      baseUrl: server.provider.baseUrl,
      consoleUrl: server.consoleUrl,
      origin: server.provider.origin,
      dataDir,
      errors,
      newPage: async () => watch(await context.newPage()),
      close() {
        closing ??= (async () => {
          await openBrowser.close();
          await server.close();
          if (ownDataDir !== undefined) await rm(ownDataDir, { recursive: true, force: true });
        })();
        return closing;
      },
    };
  } catch (error) {
    await browser?.close();
    await server.close();
    if (ownDataDir !== undefined) await rm(ownDataDir, { recursive: true, force: true });
    throw error;
  }
}
