// The <script> build: the global `Lifeline` is the class itself; every other export hangs off it.
import * as api from './index'
import { Lifeline } from './lifeline'

export default Object.assign(Lifeline, api)
