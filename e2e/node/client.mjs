// A Node client script as users write it (ESM). Driven by tests/node-client.spec.ts over stdin/stdout.
import { Lifeline, withRequests } from '@lifeline/client'
import { run } from './script.cjs'

run(Lifeline, withRequests)
