// Loaded lazily by main: the Google client libraries are only paid for when a message is sent.
import { chat } from '@googleapis/chat'
import { DeliveryError } from '../errors.ts'
import { signIn } from '../credentials/sign-in.ts'
import type { ServiceAccountKey } from '../credentials/service-account-key.ts'
import type { ChatMessage } from '../message/build.ts'
import { explainChatError, explainSignInError } from './explain-error.ts'

export interface DeliveryRequest {
  key: ServiceAccountKey
  space: string
  message: ChatMessage
  mask: (secret: string) => void
}

export interface DeliveryResult {
  messageName: string
  threadName: string
  space: string
}

export type Deliver = (request: DeliveryRequest) => Promise<DeliveryResult>

export const deliver: Deliver = async ({ key, space, message, mask }) => {
  let auth
  try {
    auth = await signIn(key, mask)
  } catch (error) {
    throw new DeliveryError(explainSignInError(error), { cause: error })
  }
  try {
    const client = chat({ version: 'v1', auth })
    const { data } = await client.spaces.messages.create({ parent: space, requestBody: message })
    return { messageName: data.name ?? '', threadName: data.thread?.name ?? '', space }
  } catch (error) {
    throw new DeliveryError(explainChatError(error, space), { cause: error })
  }
}
