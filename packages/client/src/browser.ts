// The <script> build: every feature wired in. The global `Lifeline` is a client class with `request()` and page
// watching built in; every other export hangs off it (`Lifeline.withRequests`, `Lifeline.LifelineError`, …).
import { watchPage } from './environment'
import * as api from './index'
import { Client } from './lifeline'
import type { LifelineOptions, UrlSource } from './options'
import { type RequestOptions, type Requests, withRequests } from './requests'
import { type Resume, type ResumeOptions, withResume } from './resume'

/** The <script> build's options: the core's, plus the features' (`requestTimeoutMs`, `watchNetwork`, `resume`). */
interface ScriptOptions extends LifelineOptions {
  /** The default reply deadline of `request()`, in milliseconds. @default 10_000 */
  requestTimeoutMs?: number
  /** Whether to watch the page (see `watchPage`). @default true */
  watchNetwork?: boolean
  /** Resume (see `withResume`): nothing lost or doubled across reconnects, with a server that speaks it. @default false */
  resume?: boolean | ResumeOptions
}

class Lifeline extends Client {
  private readonly _rpc: Requests
  /** Resume's state (see `withResume`), when the `resume` option is on. */
  readonly resume: Resume | undefined

  constructor(url: UrlSource, options: ScriptOptions = {}) {
    super(url, options)
    this._rpc = withRequests(this, { timeoutMs: options.requestTimeoutMs })
    if (options.watchNetwork !== false) watchPage(this)
    this.resume = options.resume ? withResume(this, options.resume === true ? {} : options.resume) : undefined
  }

  request(type: string, data?: unknown, options?: RequestOptions): Promise<unknown> {
    return this._rpc.request(type, data, options)
  }
}

export default Object.assign(Lifeline, api, { Lifeline })
