export interface Outputs {
  messageName?: string
  messageId?: string
  threadName?: string
  space?: string
  action?: string
  messages?: unknown[]
}

/** Every declared output is written, empty when unknown, so later steps can test it safely. */
export function writeOutputs(setOutput: (name: string, value: string) => void, outputs: Outputs): void {
  setOutput('message-name', outputs.messageName ?? '')
  setOutput('message-id', outputs.messageId ?? '')
  setOutput('thread-name', outputs.threadName ?? '')
  setOutput('space', outputs.space ?? '')
  setOutput('action', outputs.action ?? '')
  setOutput('messages', JSON.stringify(outputs.messages ?? []))
}
