// An SPA entry as users write it: import the package by name; Vite resolves its `browser` export.
import * as api from '@lifeline/client'
import { Lifeline } from '@lifeline/client'

window.Lifeline = Object.assign(Lifeline, api)
document.getElementById('loaded-by').dataset.ready = 'true'
