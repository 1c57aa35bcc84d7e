export interface Outputs {
  messageName?: string
  threadName?: string
  space?: string
}

/** Every declared output is written, empty when unknown, so later steps can test it safely. */
export function writeOutputs(setOutput: (name: string, value: string) => void, outputs: Outputs): void {
  setOutput('message-name', outputs.messageName ?? '')
  setOutput('thread-name', outputs.threadName ?? '')
  setOutput('space', outputs.space ?? '')
}
