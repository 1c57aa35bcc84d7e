/** A problem the user fixes in the workflow file: names the input and the expected form. */
export class InputError extends Error {
  readonly input: string
  constructor(input: string, problem: string) {
    super(`Input '${input}' ${problem}`)
    this.name = 'InputError'
    this.input = input
  }
}

/** A notification that could not be delivered; the message already says why and what to do. */
export class DeliveryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'DeliveryError'
  }
}
