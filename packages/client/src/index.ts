export { type BackoffOptions, backoffDelayMs, type Jitter } from './backoff'
export { type CloseInfo, type CloseVerdict, classifyClose, defaultShouldReconnect } from './close-policy'
export { decode, type Envelope, encode, type RemoteError } from './codec'
export { type ErrorCode, LifelineError } from './errors'
export {
  type CloseEvent,
  type InboundEnvelope,
  Lifeline,
  type LifelineEvents,
  type MessageMap,
  type RawData,
  type RequestMap,
  type RequestOptions,
} from './lifeline'
export { type State, TRANSITIONS } from './machine'
export {
  DEFAULTS,
  type HeartbeatFrames,
  type HeartbeatOptions,
  type LifelineOptions,
  type Logger,
  type ProtocolsSource,
  type QueueOptions,
  type ReconnectOptions,
  type UrlSource,
} from './options'
export type { SocketLike, WebSocketConstructor } from './socket'
