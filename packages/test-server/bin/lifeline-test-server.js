#!/usr/bin/env node
// Committed entry point, so the bin link exists right after install; the CLI itself is built into dist/.
import '../dist/cli.js'
