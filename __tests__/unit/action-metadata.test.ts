// action.yml as the Marketplace and the runner read it, and the repository's workflows that run the action with
// `uses: ./` (actionlint checks the workflows' syntax, but cannot read a local action's inputs).
import { describe, expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { parse } from 'yaml'

const ROOT = join(import.meta.dirname, '..', '..')
const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
  name: string
  description: string
  branding: { icon: string; color: string }
  inputs: Record<string, { description?: string; required?: boolean; default?: string }>
  outputs: Record<string, { description?: string }>
  runs: Record<string, unknown>
}
const WORKFLOWS = join(ROOT, '.github', 'workflows')

// https://docs.github.com/en/actions/reference/workflows-and-actions/metadata-syntax#brandingcolor
const BRANDING_COLORS = ['white', 'black', 'yellow', 'blue', 'green', 'orange', 'red', 'purple', 'gray-dark']

describe('action.yml', () => {
  it('has what the Marketplace asks for: a name, a description under 125 characters, branding', () => {
    expect(action.name.trim()).not.toBe('')
    expect(action.description.length).toBeLessThan(125)
    expect(action.branding.icon).toMatch(/^[a-z0-9-]+$/)
    expect(BRANDING_COLORS).toContain(action.branding.color)
  })

  it('runs the committed bundle on node24, and its post step whatever the outcome', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/post.js', 'post-if': 'always()' })
  })

  it('describes every input and output; no input is required (webhook, keyless and dry runs need different ones)', () => {
    for (const [name, input] of Object.entries(action.inputs)) {
      expect([name, typeof input.description]).toEqual([name, 'string'])
      expect([name, input.required]).toEqual([name, false])
    }
    for (const [name, output] of Object.entries(action.outputs))
      expect([name, typeof output.description]).toEqual([name, 'string'])
  })
})

describe('the repository workflows', () => {
  const workflows = readdirSync(WORKFLOWS).map((file) => ({
    file,
    doc: parse(readFileSync(join(WORKFLOWS, file), 'utf8')) as {
      permissions?: Record<string, string>
      jobs: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }>
    },
  }))
  const steps = workflows.flatMap(({ file, doc }) =>
    Object.values(doc.jobs).flatMap((job) => (job.steps ?? []).map((step) => ({ file, step }))),
  )

  it('set least permissions at the top of every workflow', () => {
    for (const { file, doc } of workflows) expect([file, doc.permissions]).toEqual([file, { contents: 'read' }])
  })

  it('pin third-party actions to a full commit SHA with the version in a comment', () => {
    for (const file of readdirSync(WORKFLOWS)) {
      const uses = [...readFileSync(join(WORKFLOWS, file), 'utf8').matchAll(/uses: (\S+)(.*)/g)]
      for (const [, ref, comment] of uses.filter(([, ref]) => !ref!.startsWith('./'))) {
        expect([file, ref]).toEqual([file, expect.stringMatching(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40}$/)])
        expect([file, comment]).toEqual([file, expect.stringMatching(/^ # v\d+\.\d+\.\d+$/)])
      }
    }
  })

  it('check out without persisting the token', () => {
    const checkouts = steps.filter(({ step }) => step.uses?.startsWith('actions/checkout@'))
    expect(checkouts.length).toBeGreaterThan(0)
    for (const { file, step } of checkouts) expect([file, step.with?.['persist-credentials']]).toEqual([file, false])
  })

  it('give uses: ./ only inputs that action.yml declares', () => {
    const local = steps.filter(({ step }) => step.uses === './')
    expect(local.length).toBeGreaterThan(0)
    for (const { step } of local)
      for (const input of Object.keys(step.with ?? {})) expect(Object.keys(action.inputs)).toContain(input)
  })
})
