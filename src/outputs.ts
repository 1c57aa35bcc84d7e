export interface Outputs {
  messageName?: string
  messageId?: string
  threadName?: string
  space?: string
  action?: string
  /** The reply posted in the card's thread after an update to a bad status (notify-on-update). */
  replyName?: string
  messages?: unknown[]
}

/** Every declared output is written, empty when unknown, so later steps can test it safely. */
export function writeOutputs(setOutput: (name: string, value: string) => void, outputs: Outputs): void {
  setOutput('message-name', outputs.messageName ?? '')
  setOutput('message-id', outputs.messageId ?? '')
  setOutput('thread-name', outputs.threadName ?? '')
  setOutput('space', outputs.space ?? '')
  setOutput('action', outputs.action ?? '')
  setOutput('reply-name', outputs.replyName ?? '')
  setOutput('messages', JSON.stringify(outputs.messages ?? []))
}
