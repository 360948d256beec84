export { type BackoffOptions, backoffDelayMs, type Jitter } from './backoff'
export { type CloseInfo, type CloseVerdict, classifyClose, defaultShouldReconnect } from './close-policy'
export { decode, type Envelope, encode, type RemoteError } from './codec'
export { type Step, TRANSITIONS } from './connection'
export { watchPage } from './environment'
export { type ErrorCode, LifelineError } from './errors'
export {
  type CloseEvent,
  type EventName,
  type InboundEnvelope,
  Lifeline,
  type LifelineConstructor,
  type LifelineEvents,
  type MessageMap,
  type RawData,
  type State,
} from './lifeline'
export {
  DEFAULTS,
  type HeartbeatFrames,
  type HeartbeatOptions,
  type LifelineOptions,
  type ProtocolsSource,
  type QueueOptions,
  type ReconnectOptions,
  type UrlSource,
} from './options'
export {
  type RequestMap,
  type RequestMapOf,
  type RequestOptions,
  type Requests,
  type RequestsOptions,
  withRequests,
} from './requests'
export { type Resume, type ResumeOptions, withResume } from './resume'
export type { SocketEvent, SocketEventType, SocketLike, SocketListener, WebSocketConstructor } from './socket'
