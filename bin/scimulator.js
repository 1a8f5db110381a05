#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the `prepare` script); this shim only loads it.
import('../dist/src-main/hosts/cli.js').then((cli) => cli.main(process.argv.slice(2)));
