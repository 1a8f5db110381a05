/**
 * The `scimulator` command line. Usage errors (unknown flags, bad values) print one line and exit
 * with code 2; runtime failures (a database that cannot be opened, a port in use) exit with 1.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import envPaths from 'env-paths';
import { serveProvider } from './provider-host.js';
import { recordTraffic } from './traffic-recorder.js';
import { RunUsageError, listScenarios, runCommand, type RunFlags } from './run-command.js';
import { PROFILE_NAMES } from '../idp/profile.js';
import { SCIMULATOR_VERSION } from '../version.js';
import { DirectoryStore } from '../store/directory-store.js';
import { DIRECTORY_DOCUMENT_SCHEMA, readDirectoryDocument } from '../scim/directory-document.js';
import { serveConsole } from './console-server.js';
import { createMemoryVault } from '../console/secret-vault.js';
import { openInBrowser } from './open-browser.js';
import { servePracticeCommand } from './practice-host.js';
import { checkCommand, type CheckFlags } from './check-command.js';

const USAGE_ERROR = 2;

export function defaultDatabasePath(): string {
  return join(envPaths('scimulator', { suffix: '' }).data, 'scimulator.json');
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError('Port must be an integer from 0 to 65535.');
  return port;
}

function parseCount(value: string): number {
  const count = Number(value);
  if (!/^\d+$/.test(value) || count > 1_000_000) throw new InvalidArgumentError('Must be an integer from 0 to 1000000.');
  return count;
}

/** The ways to authenticate to a target, shared by `run` and `check`. */
function withTargetAuth(command: Command): Command {
  return command
    .option('--token <token>', 'bearer token for the target', nonEmpty)
    .option('--basic <user:password>', 'HTTP Basic credentials for the target')
    .option('--header <"Name: value">', 'a custom authentication header for the target')
    .option('--oauth-token-url <url>', 'OAuth 2.0 client credentials: the token endpoint')
    .option('--client-id <id>', 'OAuth 2.0 client credentials: the client id')
    .option('--client-secret <secret>', 'OAuth 2.0 client credentials: the client secret')
    .option('--oauth-scope <scope>', 'OAuth 2.0 client credentials: the scope to ask for');
}

function parsePositiveNumber(value: string): number {
  const number = Number(value);
  if (!Number.isFinite(number) || number <= 0) throw new InvalidArgumentError('Must be a positive number.');
  return number;
}

function nonEmpty(value: string): string {
  if (value.trim() === '') throw new InvalidArgumentError('Must not be empty.');
  return value;
}

function databaseOption(whenMissing = 'created when missing'): Option {
  return new Option('--db <file>', `lowdb JSON file holding the directory (${whenMissing})`)
    .default(undefined, 'a file in your user data directory')
    .argParser(nonEmpty);
}

const resolveDb = (db: string | undefined) => resolve(db ?? defaultDatabasePath());

/** `demo.json` → `demo.console/`: the console's files for that database. */
export function consoleDataDir(db: string): string {
  return join(dirname(db), `${basename(db, extname(db))}.console`);
}

interface ServeOptions {
  host: string;
  port: number;
  db?: string;
  token?: string;
  seed?: number;
  record?: string;
  open?: boolean;
}

/** The renderer built by `npm run build` (and by `npm install`); dist/src-main/hosts → out/renderer. */
const RENDERER_DIR = fileURLToPath(new URL('../../../out/renderer/', import.meta.url));

async function serve(options: ServeOptions): Promise<void> {
  const db = resolveDb(options.db);
  mkdirSync(dirname(db), { recursive: true });
  const consoleBuilt = existsSync(join(RENDERER_DIR, 'index.html'));
  const providerOptions = {
    host: options.host,
    port: options.port,
    db,
    ...(options.token !== undefined ? { token: options.token } : {}),
    ...(options.seed !== undefined ? { seed: options.seed } : {}),
  };
  // The console's own files (targets, IdP directory, run history) sit in a folder named after the
  // database, so the database's lock also keeps a second process off them.
  const served = await (consoleBuilt
    ? serveConsole({ ...providerOptions, rendererDir: RENDERER_DIR, dataDir: consoleDataDir(db), vault: createMemoryVault(), hostKind: 'browser' })
    : serveProvider(providerOptions).then((provider) => ({ provider, consoleUrl: undefined, close: () => provider.close() }))
  ).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`${options.host}:${options.port} is already in use; pick another --port, or --port 0 for a free one`);
    }
    throw error;
  });
  const provider = served.provider;
  // Handlers first: a supervisor may signal as soon as it reads the banner.
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      process.stderr.write(`${signal} again: exiting without waiting\n`);
      process.exit(1);
    }
    stopping = true;
    process.stdout.write(`${signal}: finishing in-flight requests and flushing the database…\n`);
    (recorder ? recorder.stop() : Promise.resolve()).then(() => served.close()).then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`scimulator: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  const recorder = options.record
    ? recordTraffic(provider.log, resolve(options.record), provider.basePath, (error) => process.stderr.write(`scimulator: ${error.message}\n`))
    : undefined;
  const users = provider.store.count('User');
  const groups = provider.store.count('Group');
  const basePath = provider.baseUrl.slice(provider.origin.length);
  // The console link carries the secret that opens it: whoever reads this banner may use it.
  const consoleLine = served.consoleUrl
    ? `  Console        ${served.consoleUrl}${provider.networkOrigins.length > 0 ? '  (this machine only)' : ''}`
    : '  Console        not built (npm run build)';
  process.stdout.write(
    [
      'Scimulator SCIM 2.0 service provider',
      `  SCIM base URL  ${provider.baseUrl}`,
      ...provider.networkOrigins.map((origin) => `  Network URL    ${origin}${basePath}`),
      `  Bearer token   ${provider.token}`,
      `  Database       ${db} (${users} users, ${groups} groups)`,
      consoleLine,
      ...(options.record ? [`  Recording      ${resolve(options.record)} (a scenario of the traffic, replay it with scimulator run)`] : []),
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  if (options.open && served.consoleUrl) openInBrowser(served.consoleUrl);
}

async function withStore<T>(db: string | undefined, work: (store: DirectoryStore) => Promise<T>): Promise<T> {
  const store = await DirectoryStore.open({ file: resolveDb(db) });
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

export function buildProgram(): Command {
  const program = new Command('scimulator')
    .description('SCIM 2.0 test harness and mock identity provider')
    .version(SCIMULATOR_VERSION)
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ outputError: (text, write) => write(text.split('\n')[0] + '\n') });

  program
    .command('serve')
    .description('Serve a SCIM 2.0 service provider at http://HOST:PORT/scim/v2')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8080)
    .addOption(databaseOption())
    .option('--token <token>', 'bearer token clients must send (default: generated once and saved in the database)', nonEmpty)
    .option('--seed <n>', 'fill an empty database with N realistic users and their groups', parseCount)
    .option('--record <file>', 'write every exchange that reaches the server to FILE as a scenario of raw steps, to replay elsewhere with `scimulator run FILE`', nonEmpty)
    .option('--open', 'open the console in your default browser (when there is a desktop)')
    .addHelpText(
      'after',
      `
The console (open the printed Console URL: it carries this process's
secret) shows the local provider and is the mock IdP too: Connect (tenant
URL, secret token, test connection), Targets (your endpoints; their secrets
stay in memory), IdP (the IdP's own people and groups, and actions on them
as Okta, Entra and the others send them), Scenarios (built-ins, your files,
an editor), Run, History and Demo. It keeps its files in a folder named
after the database: --db demo.json keeps them in demo.console/.`,
    )
    .action((options: ServeOptions) => serve(options));

  withTargetAuth(
    program
      .command('run')
      .description('Run a scenario as an identity provider would: the exact requests Okta, Entra, … send, against a target')
      .argument('<scenario>', 'a built-in scenario name (see `scimulator scenarios`) or a scenario file (.yaml, .yml, .json)')
      .requiredOption('--target <local|url|practice:name>', '"local" (the local provider, in memory), "practice:litellm|open-webui|metabase", or the SCIM base URL of the endpoint to test'),
  )
    .addOption(new Option('--profile <name>', 'send the story as this IdP would, whatever the scenario says').choices([...PROFILE_NAMES]))
    .option('--exact', 'send only what the real IdP sends, nothing of Scimulator\'s own')
    .option('--keep', 'leave what the run created on the target (its clean-up steps do not run)')
    .option('--insecure', 'accept a self-signed or otherwise untrusted TLS certificate')
    .option('--timeout <seconds>', 'per-request timeout (default 60, Entra\'s limit)', parsePositiveNumber)
    .option('--user-agent <text>', 'override the profile\'s User-Agent ("" sends none)')
    .option('--retry-after', 'wait out a 429 with Retry-After even if the IdP would not (Entra); --no-retry-after never waits')
    .option('--no-retry-after', 'never wait out a 429')
    .option('--seed <n>', 'seed of the run\'s randomness: the same seed sends the same bytes', parseCount)
    .option('--save <file>', 'write the run record (every exchange in full, secrets redacted) as JSON; the same file as --report-json')
    .option('--report-junit <file>', 'write a JUnit XML report for CI: a test case per step, failures with their findings', nonEmpty)
    .option('--report-html <file>', 'write one self-contained HTML report: summary, findings, steps and every exchange', nonEmpty)
    .option('--report-json <file>', 'write the run record with its findings as JSON', nonEmpty)
    .option('--report-har <file>', 'write every exchange as HAR 1.2, for browser devtools and HTTP tools', nonEmpty)
    .option('--idp-state <file>', 'keep the IdP\'s own directory and what it learned about the target in this file between runs')
    .option('--verbose', 'print every exchange of repeated (load) steps too')
    .option('--compare <local|practice:NAME|url>', 'run the same scenario with the same seed against this second target too, and print every difference')
    .option('--compare-token <token>', 'bearer token for the --compare target', nonEmpty)
    .option('--compare-basic <user:password>', 'HTTP Basic credentials for the --compare target')
    .option('--compare-header <"Name: value">', 'a custom authentication header for the --compare target')
    .option('--baseline <file>', 'a run record saved with --save: print what changed since that run (its seed is reused unless --seed is given, with fresh names)')
    .option('--fail-on-diff', 'exit 1 when --compare or --baseline finds a difference')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  scimulator run okta-lifecycle --target local',
        '  scimulator run entra-lifecycle --target https://api.example.com/scim/v2 --token "$SCIM_TOKEN" --save run.json',
        '  scimulator run okta-lifecycle --profile okta-aiw --target local   # the same story as an AIW app sends it',
        '  scimulator run ./my-scenario.yaml --target http://127.0.0.1:8080/scim/v2 --token abc',
        '  scimulator run okta-lifecycle --target practice:open-webui          # a real product, as it behaves',
        '  scimulator run okta-lifecycle --target https://api.example.com/scim/v2 --token "$T" --compare local',
        '  scimulator run entra-lifecycle --target "$URL" --token "$T" --baseline good-run.json --fail-on-diff',
        '',
        'Exit codes: 0 every step ran and every expectation held; 1 a step failed; 2 usage error, an unreachable target, or one that refuses every request (401/403: the credentials).',
      ].join('\n'),
    )
    .action(async (scenario: string, options: RunFlags) => {
      try {
        process.exitCode = await runCommand(scenario, options);
      } catch (error) {
        if (error instanceof RunUsageError) {
          process.stderr.write(`scimulator: ${error.message}\n`);
          process.exitCode = USAGE_ERROR;
          return;
        }
        throw error;
      }
    });

  withTargetAuth(
    program
      .command('check')
      .description('Check a target for every IdP at once: the conformance suite, then each IdP\'s stories, as a readiness matrix')
      .requiredOption('--target <local|url|practice:name>', '"local", "practice:NAME" or the SCIM base URL of the endpoint to test'),
  )
    .option('--insecure', 'accept a self-signed or otherwise untrusted TLS certificate')
    .option('--timeout <seconds>', 'per-request timeout (default 60, Entra\'s limit)', parsePositiveNumber)
    .option('--seed <n>', 'seed of the runs\' randomness', parseCount)
    .option('--keep', 'leave what the conformance suite created on the target (it cleans up otherwise)')
    .option('--report-html <file>', 'write one self-contained HTML page: the matrix and every run\'s findings', nonEmpty)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  scimulator check --target https://api.example.com/scim/v2 --token "$SCIM_TOKEN" --report-html check.html',
        '  scimulator check --target practice:open-webui',
        '',
        'Exit codes: 0 nothing blocked and conformance passed; 1 a cell is blocked or a conformance check failed; 2 usage error, an unreachable target, or one that refuses every request (401/403: the credentials).',
      ].join('\n'),
    )
    .action(async (options: CheckFlags) => {
      try {
        process.exitCode = await checkCommand(options);
      } catch (error) {
        if (error instanceof RunUsageError) {
          process.stderr.write(`scimulator: ${error.message}\n`);
          process.exitCode = USAGE_ERROR;
          return;
        }
        throw error;
      }
    });

  program
    .command('practice')
    .description('Serve a practice target: a real product\'s SCIM endpoint as its code behaves (LiteLLM, Open WebUI, Metabase), quirks included')
    .argument('<name>', 'litellm, open-webui or metabase')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port to listen on (0 picks a free one)', parsePort, 8080)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  scimulator practice open-webui --port 0',
        '  scimulator run okta-lifecycle --target practice:open-webui   # the same product, in process',
      ].join('\n'),
    )
    .action(async (name: string, options: { host: string; port: number }) => {
      process.exitCode = await servePracticeCommand(name, options);
    });

  program
    .command('scenarios')
    .description('List the built-in scenarios')
    .addHelpText(
      'after',
      ['', 'Example:', '  scimulator scenarios                                # name, profile and what each one does', '  scimulator run okta-lifecycle --target local        # then run one'].join('\n'),
    )
    .action(() => listScenarios());

  const db = program.command('db').description('Export, import or reset the directory');
  db.command('export')
    .description('Write the whole directory as one JSON document')
    .addOption(databaseOption('it must exist'))
    .option('--out <file>', 'write to a file instead of standard output')
    .action(async (options: { db?: string; out?: string }) => {
      // Opening creates a missing database: a mistyped --db would export an empty directory
      // and leave a new database behind.
      const file = resolveDb(options.db);
      if (!existsSync(file)) throw new Error(`there is no database at ${file}: check --db`);
      const document = await withStore(options.db, async (store) => store.exportDocument());
      const text = JSON.stringify({ schemas: [DIRECTORY_DOCUMENT_SCHEMA], ...document }, null, 2) + '\n';
      if (options.out) {
        // As --save and the reports do: `--out exports/nightly.json` in a fresh checkout makes its folder.
        await mkdir(dirname(resolve(options.out)), { recursive: true });
        await writeFile(options.out, text);
      }
      else process.stdout.write(text);
    });
  db.command('import')
    .description('Replace the directory with a JSON document written by `db export`')
    .argument('<file>', 'the document to import')
    .addOption(databaseOption())
    .action(async (file: string, options: { db?: string }) => {
      let parsed: unknown;
      try {
        parsed = JSON.parse(await readFile(file, 'utf8'));
      } catch (error) {
        throw new Error(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
      }
      // Validated before the store is opened for writing: a bad document changes nothing.
      const document = readDirectoryDocument(parsed);
      await withStore(options.db, async (store) => {
        await store.importDocument(document);
        process.stdout.write(`Imported ${store.count('User')} users and ${store.count('Group')} groups\n`);
      });
    });
  db.command('reset')
    .description('Delete every user and group (the token is kept)')
    .addOption(databaseOption())
    .requiredOption('--yes', 'confirm that the directory should be emptied')
    .action(async (options: { db?: string }) => {
      await withStore(options.db, (store) => store.reset());
      process.stdout.write('The directory is empty\n');
    });
  return program;
}

/**
 * A reader that stops early (`scimulator run --help | head`) closes the pipe: the rest of the
 * output has nowhere to go, which is not an error to crash with a stack trace over.
 */
function exitQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

export async function main(argv: string[]): Promise<void> {
  exitQuietlyOnClosedPipe(process.stdout);
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      const ok = error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help';
      process.exitCode = ok ? 0 : error.code === 'commander.executeSubCommandAsync' ? 1 : USAGE_ERROR;
      return;
    }
    process.stderr.write(`scimulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
