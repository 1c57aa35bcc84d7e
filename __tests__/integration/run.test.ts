// run() in this process with a fake core and the emulator (fixtures/run-in-process.ts): the whole of main (inputs,
// secrets, composing, dry run, failures, outputs) without spawning the action. Delivery to Chat and webhooks:
// run-delivery.test.ts. End to end through the bundle: __tests__/e2e/.
import { afterAll, beforeAll, beforeEach, describe, expect, test } from '@jest/globals'
import { secretsInKeyInput } from '../../src/credentials/service-account-key.ts'
import type { DeliveryPlan, SpaceResult } from '../../src/delivery/deliver.ts'
import { ACTION_NAME } from '../../src/main.ts'
import { cardOf, FOREIGN_SPACE, MEMBER_SPACE, startGoogle, type GoogleFixture } from '../fixtures/google-emulator.ts'
import { routeThroughEmulator, RUNNER_TOKEN, runInProcess, type InProcessOptions } from '../fixtures/run-in-process.ts'

let google: GoogleFixture
let restore: () => void
beforeAll(async () => {
  google = await startGoogle()
  restore = routeThroughEmulator(google.emulator)
})
afterAll(async () => {
  restore()
  await google.close()
})
beforeEach(() => google.emulator.reset())

/** A run with the fixture's key and member space, plus `options`. */
const runWithKey = (options: InProcessOptions = {}) =>
  runInProcess({ ...options, inputs: { credentials: google.key.json, space: MEMBER_SPACE, ...options.inputs } })

const OUTPUTS = ['message-name', 'message-id', 'thread-name', 'space', 'action', 'messages', 'reply-name']

describe('a run that posts', () => {
  test('the status card reaches the space, and every output names the message', async () => {
    const { core, outputs, failure } = await runWithKey({ jobStatus: 'failure' })
    expect(failure).toBeUndefined()
    const [message] = google.emulator.messages(MEMBER_SPACE)
    expect(cardOf(message!).header!.title).toBe('❌ CI failed')
    expect(outputs).toEqual({
      'message-name': message!.name,
      'message-id': '',
      'thread-name': message!.thread.name,
      space: MEMBER_SPACE,
      action: 'created',
      messages: JSON.stringify([
        {
          space: MEMBER_SPACE,
          action: 'created',
          messageName: message!.name,
          messageId: '',
          threadName: message!.thread.name,
        },
      ]),
      'reply-name': '',
    })
    expect(core.lines('info')).toContain(`Created ${message!.name}.`)
    expect(core.lines('warning')).toEqual([])
  })

  test('the key and the access token are registered as secrets, and no secret reaches the log', async () => {
    const { core } = await runWithKey()
    const key = google.key.key
    // Trimmed, as they would appear in a log line.
    expect(core.secrets).toEqual(
      expect.arrayContaining([google.key.json.trim(), key.private_key.trim(), key.private_key_id]),
    )
    const token = String(google.emulator.requests.find((r) => r.host === 'chat.googleapis.com')!.headers.authorization)
    expect(core.secrets).toContain(token.replace(/^Bearer /, ''))
    for (const secret of core.secrets) expect(core.text()).not.toContain(secret)
  })

  test('every form of the key is masked before the first log line', async () => {
    // A dry run logs early (the message), so masking late would show here.
    const { core } = await runWithKey({ inputs: { 'dry-run': 'true' } })
    const firstLog = core.calls.findIndex((call) => ['info', 'debug', 'warning', 'error', 'notice'].includes(call))
    expect(firstLog).toBeGreaterThan(0)
    const maskedFirst = core.secrets.slice(0, core.calls.slice(0, firstLog).filter((c) => c === 'setSecret').length)
    expect(maskedFirst).toEqual(expect.arrayContaining([...secretsInKeyInput(google.key.json), RUNNER_TOKEN]))
  })

  test('the GitHub token is masked as well', async () => {
    const { core } = await runWithKey({ inputs: { 'github-token': 'ghs_0123456789abcdefghij' } })
    expect(core.secrets).toContain('ghs_0123456789abcdefghij')
  })

  test("Chat's request id names the run and attempt, and tells steps apart", async () => {
    const env = { GITHUB_RUN_ID: '777', GITHUB_RUN_ATTEMPT: '3', GITHUB_JOB: 'deploy' }
    await runWithKey({ env })
    await runWithKey({ env })
    const [first, second] = google.emulator.requests.filter((r) => r.host === 'chat.googleapis.com')
    expect(first!.query.requestId).toMatch(/^777-3-[0-9a-f]{20}$/)
    // Another step (GITHUB_ACTION) of the same job: another id, so Chat stores a second message.
    expect(second!.query.requestId).not.toBe(first!.query.requestId)
    expect(google.emulator.messages(MEMBER_SPACE)).toHaveLength(2)
  })
})

describe('composing', () => {
  test('the title input heads the status card and the text input goes above it', async () => {
    await runWithKey({ inputs: { title: 'Nightly build', text: 'All green on *main*' } })
    const [message] = google.emulator.messages(MEMBER_SPACE)
    expect(cardOf(message!).header!.title).toBe('Nightly build')
    expect(message!.text).toBe('All green on *main*')
  })

  test('a custom message with placeholders from the run and the env collaborator', async () => {
    const message = JSON.stringify({ text: 'Deployed {{ github.sha }} to {{ env.TARGET }} by {{ github.actor }}' })
    const { failure } = await runWithKey({ inputs: { message }, env: { TARGET: 'prod' } })
    expect(failure).toBeUndefined()
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toBe(
      'Deployed 6dcb09b5b57875f334f61aebed695e2e4193db5e to prod by octocat',
    )
  })

  test('a message file read from the workspace', async () => {
    const { failure } = await runWithKey({
      inputs: { 'message-file': 'chat.yml' },
      files: { 'chat.yml': 'text: "Release {{ github.ref_name }}"\n' },
    })
    expect(failure).toBeUndefined()
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toBe('Release main')
  })

  test('the workflow card lists the run’s jobs from the GitHub API', async () => {
    google.emulator.github.setRun({
      repository: 'octo-org/hello-world',
      runId: 1658821493,
      attempt: 1,
      jobs: [
        { name: 'lint', conclusion: 'success' },
        { name: 'test (linux)', conclusion: 'failure' },
      ],
    })
    const { core, failure } = await runWithKey({ inputs: { card: 'workflow', 'github-token': 'ghs_test' } })
    expect(failure).toBeUndefined()
    expect(core.lines('warning')).toEqual([])
    const card = cardOf(google.emulator.messages(MEMBER_SPACE)[0]!)
    expect(card.header!.title).toMatch(/failed/)
    expect(JSON.stringify(card)).toContain('test (linux)')
    const api = google.emulator.requests.filter((r) => r.host === 'api.github.com')
    expect(api[0]!.path).toBe('/repos/octo-org/hello-world/actions/runs/1658821493/attempts/1/jobs')
  })

  test('mentions on failure come first in the text', async () => {
    await runWithKey({ jobStatus: 'failure', inputs: { mention: 'users/111' } })
    expect(google.emulator.messages(MEMBER_SPACE)[0]!.text).toMatch(/^<users\/111>/)
  })
})

describe('dry run', () => {
  test('shows the message in the log and the step summary, sends nothing, signs in nowhere', async () => {
    const { core, outputs, failure } = await runWithKey({ inputs: { 'dry-run': 'true', title: 'Preview me' } })
    expect(failure).toBeUndefined()
    expect(google.emulator.requests).toEqual([])
    expect(core.lines('info')[0]).toBe(`Dry run: nothing was sent (${MEMBER_SPACE}).`)
    const json = core.lines('info')[1]!
    expect(JSON.parse(json).cardsV2[0].card.header.title).toContain('Preview me')
    expect(core.log.filter((line) => line.level === 'group').map((line) => line.text)).toEqual([
      '::group::Google Chat message (dry run)',
      '::endgroup::',
    ])
    expect(core.summaryWritten).toContain('<h3>Google Chat message (dry run)</h3>')
    expect(core.summaryWritten).toContain('Preview me')
    expect(outputs).toEqual({
      'message-name': '',
      'message-id': '',
      'thread-name': '',
      space: MEMBER_SPACE,
      action: '',
      messages: '[]',
      'reply-name': '',
    })
  })

  test('without a step summary (GITHUB_STEP_SUMMARY unset) only the log shows it', async () => {
    const { core } = await runWithKey({ inputs: { 'dry-run': 'true' }, env: { GITHUB_STEP_SUMMARY: '' } })
    expect(core.lines('info')[0]).toMatch(/^Dry run: nothing was sent/)
    expect(core.summaryWritten).toBe('')
  })

  test('never calls deliver', async () => {
    const plans: DeliveryPlan[] = []
    await runWithKey({
      inputs: { 'dry-run': 'true' },
      overrides: { deliver: async (plan) => (plans.push(plan), []) },
    })
    expect(plans).toEqual([])
  })
})

describe('the plan handed to deliver', () => {
  const recordPlans = () => {
    const plans: DeliveryPlan[] = []
    const deliver = async (plan: DeliveryPlan): Promise<SpaceResult[]> => {
      plans.push(plan)
      plan.mask('token-from-deliver-123')
      plan.log('a line from deliver')
      return plan.spaces.map((space, i) => ({
        space,
        ok: true as const,
        action: 'created' as const,
        messageName: `${space}/messages/m${i}`,
        messageId: plan.clientMessageId ?? '',
        threadName: `${space}/threads/t${i}`,
      }))
    }
    return { plans, deliver }
  }

  test('carries the settings, one request id per space, and routes mask and log to core', async () => {
    const { plans, deliver } = recordPlans()
    const { core, outputs } = await runWithKey({
      inputs: { space: `${MEMBER_SPACE}\n${FOREIGN_SPACE}`, 'message-id': 'deploy-7', 'thread-key': 'pr-1' },
      overrides: { deliver },
    })
    expect(google.emulator.requests).toEqual([])
    const [plan] = plans
    expect(plan).toMatchObject({
      credentials: { kind: 'key', selfSignedJwt: false },
      spaces: [MEMBER_SPACE, FOREIGN_SPACE],
      operation: 'create',
      clientMessageId: 'client-deploy-7',
    })
    expect(plan!.requestId(MEMBER_SPACE)).not.toBe(plan!.requestId(FOREIGN_SPACE))
    expect(plan!.requestId(MEMBER_SPACE)).toBe(plan!.requestId(MEMBER_SPACE))
    expect(core.secrets).toContain('token-from-deliver-123')
    expect(core.lines('info')).toContain('a line from deliver')
    // The single-space outputs name the first message; `messages` names all.
    expect(outputs['message-name']).toBe(`${MEMBER_SPACE}/messages/m0`)
    expect(JSON.parse(outputs.messages!)).toHaveLength(2)
  })

  test('update and delete name their target; delete sends no message body', async () => {
    const { plans, deliver } = recordPlans()
    await runWithKey({ inputs: { update: `${MEMBER_SPACE}/messages/abc` }, overrides: { deliver } })
    await runWithKey({ inputs: { delete: `${MEMBER_SPACE}/messages/abc` }, overrides: { deliver } })
    expect(plans.map((plan) => [plan.operation, plan.target])).toEqual([
      ['update', `${MEMBER_SPACE}/messages/abc`],
      ['delete', `${MEMBER_SPACE}/messages/abc`],
    ])
    expect(plans[0]!.message.cardsV2).toBeDefined()
    expect(plans[1]!.message).toEqual({})
  })
})

describe('failures: one line, in one place, outputs still written', () => {
  test('a bad input fails the step naming the input, before any request', async () => {
    const { core, outputs, failure } = await runWithKey({ inputs: { space: 'not a space' } })
    expect(failure).toMatch(new RegExp(`^${ACTION_NAME}: Input 'space'`))
    expect(failure).not.toContain('\n')
    expect(core.failures).toHaveLength(1)
    expect(google.emulator.requests).toEqual([])
    expect(Object.keys(outputs).sort()).toEqual([...OUTPUTS].sort())
  })

  test('a broken key fails the step and no slice of it is logged', async () => {
    const broken = google.key.json.replace('"private_key"', '"private_kee"')
    const { core, failure } = await runWithKey({ inputs: { credentials: broken } })
    expect(failure).toMatch(/Input 'credentials'/)
    expect(core.text()).not.toContain(google.key.key.private_key_id)
  })

  test('a delivery error is a warning by default and the job goes on', async () => {
    const { core, outputs, failure } = await runWithKey({ inputs: { space: FOREIGN_SPACE } })
    expect(failure).toBeUndefined()
    const [warning] = core.lines('warning')
    expect(warning).toMatch(new RegExp(`^${ACTION_NAME}: .*403 PERMISSION_DENIED.*set fail-on-error: true to fail it`))
    expect(outputs.space).toBe(FOREIGN_SPACE)
    expect(JSON.parse(outputs.messages!)).toEqual([{ space: FOREIGN_SPACE, error: expect.stringMatching(/403/) }])
  })

  test('with fail-on-error the same error fails the step', async () => {
    const { core, failure } = await runWithKey({ inputs: { space: FOREIGN_SPACE, 'fail-on-error': 'true' } })
    expect(failure).toMatch(/403 PERMISSION_DENIED/)
    expect(core.lines('warning')).toEqual([])
  })

  test('a deliver that throws is reported, not crashed on', async () => {
    const { failure, outputs } = await runWithKey({
      inputs: { 'fail-on-error': 'true' },
      overrides: {
        deliver: async () => {
          throw new Error('the line went dead')
        },
      },
    })
    expect(failure).toBe(`${ACTION_NAME}: the line went dead`)
    expect(outputs.action).toBe('')
  })

  test('no credentials and no keyless setup: a notice, nothing sent; with fail-on-error a failure', async () => {
    const skipped = await runInProcess({ inputs: { space: MEMBER_SPACE } })
    expect(skipped.failure).toBeUndefined()
    expect(skipped.core.lines('notice')[0]).toMatch(
      /Input 'credentials' is empty, webhook-url too, and no keyless sign-in was set up/,
    )
    const failed = await runInProcess({ inputs: { space: MEMBER_SPACE, 'fail-on-error': 'true' } })
    expect(failed.failure).toMatch(/Input 'credentials' is empty/)
    expect(google.emulator.requests).toEqual([])
  })
})
