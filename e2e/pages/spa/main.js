// An SPA entry as users write it: import the package by name; Vite resolves its `browser` export.
import * as api from '@lifeline/client'
import { Lifeline } from '@lifeline/client'

window.Lifeline = Object.assign(Lifeline, api)
document.getElementById('loaded-by').dataset.ready = 'true'

// The shared e2e scenarios are plain page scripts served by the test server, not part of the app bundle.
const scenarios = document.createElement('script')
scenarios.src = '/e2e/scenarios.js'
document.head.append(scenarios)
