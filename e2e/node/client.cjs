// A Node client script as users write it (CommonJS). Driven by tests/node-client.spec.ts over stdin/stdout.
const { Lifeline, withRequests } = require('@lifeline/client')
const { run } = require('./script.cjs')

run(Lifeline, withRequests)
