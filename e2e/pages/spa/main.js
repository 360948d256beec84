// An SPA entry as users write it: import the package by name; Vite resolves its `browser` export.
import * as api from '@lifeline/client'
import { Lifeline, watchPage, withRequests } from '@lifeline/client'

// The scenarios are shared with the <script> build, whose client has request() and page watching built in: an SPA
// composes the same client from the features it imports.
class Client extends Lifeline {
  constructor(url, options = {}) {
    super(url, options)
    const rpc = withRequests(this, { timeoutMs: options.requestTimeoutMs })
    this.request = rpc.request.bind(rpc)
    if (options.watchNetwork !== false) watchPage(this)
  }
}

window.Lifeline = Object.assign(Client, api, { Lifeline: Client })
document.getElementById('loaded-by').dataset.ready = 'true'

// The shared e2e scenarios are plain page scripts served by the test server, not part of the app bundle.
const scenarios = document.createElement('script')
scenarios.src = '/e2e/scenarios.js'
document.head.append(scenarios)
