#!/usr/bin/env node
// The CLI lives in the esbuild bundle; `npm install` builds it (prepare script).
require('../dist/cli.js');
