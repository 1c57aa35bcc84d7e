import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { readCustomMessageSource } from '../../src/inputs/custom-message.ts'
import { buildCustomMessage, parseCustomMessage } from '../../src/message/custom-message.ts'
import { templateContext, type TemplateContext } from '../../src/message/template/context.ts'
import { decodeEntities, githubContext, inputError, SHA } from '../fixtures/samples.ts'

const ZWSP = '\u200b'
const COMMIT = `Say "hi" to <users/all>\nsecond line with }} and {{ env.HIDDEN }}`

const context = templateContext({
  github: githubContext({ payload: { head_commit: { id: SHA, message: COMMIT } } }),
  env: { GITHUB_REPOSITORY: 'octo-org/octo-repo', DEPLOY_URL: 'https://app.example.com/d/1' },
  inputs: { status: 'failure' },
})

/** As a run does it: src/inputs/ reads the source, message/ parses it and fills the placeholders. */
function buildCustom(options: { message: string; messageFile: string; workspace: string; context: TemplateContext }) {
  const source = readCustomMessageSource(options, options.workspace)
  return source && buildCustomMessage(source, options.context)
}

let workspace: string
let outside: string

beforeAll(() => {
  workspace = mkdtempSync(join(tmpdir(), 'custom-message-ws-'))
  outside = mkdtempSync(join(tmpdir(), 'custom-message-out-'))
  mkdirSync(join(workspace, '.github/chat'), { recursive: true })
  writeFileSync(
    join(workspace, '.github/chat/deploy.yaml'),
    [
      'text: "Deploy of {{ github.sha }}: {{ github.event.head_commit.message }}"',
      'cardsV2:',
      '  - cardId: deploy',
      '    card:',
      '      header:',
      "        title: 'Deploy {{ inputs.status }}'",
      '      sections:',
      '        - widgets:',
      '            - decoratedText:',
      '                text: "{{ github.event.head_commit.message }}"',
      '            - buttonList:',
      '                buttons:',
      '                  - text: Open',
      '                    onClick: { openLink: { url: "{{ env.DEPLOY_URL }}" } }',
      '',
    ].join('\n'),
  )
  writeFileSync(join(workspace, 'message.json'), JSON.stringify({ text: '{{ github.repository }}' }))
  writeFileSync(join(workspace, 'message.txt'), 'text: hi')
  writeFileSync(join(workspace, 'uses-dollar.yml'), 'text: ${{ github.sha }}')
  writeFileSync(join(outside, 'secret.json'), '{"text":"secret"}')
  symlinkSync(join(outside, 'secret.json'), join(workspace, 'link.json'))
})

afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(outside, { recursive: true, force: true })
})

describe('reading the source', () => {
  test('neither input: no custom message', () => {
    expect(readCustomMessageSource({ message: ' ', messageFile: ' ' }, workspace)).toBeUndefined()
    expect(readCustomMessageSource({ message: '', messageFile: '' }, workspace)).toBeUndefined()
    expect(buildCustom({ message: '', messageFile: '', workspace, context })).toBeUndefined()
  })

  test('both inputs at once is an error', () => {
    const error = inputError(() => readCustomMessageSource({ message: 'text: a', messageFile: 'a.json' }, workspace))
    expect(error.message).toBe("Input 'message' and message-file are both set: use one of them")
  })

  test('files are resolved in the workspace and may not leave it, even through a symlink', () => {
    expect(readCustomMessageSource({ message: '', messageFile: 'message.json' }, workspace)).toMatchObject({
      input: 'message-file',
      format: 'json',
    })
    for (const file of ['../x.json', join(outside, 'secret.json'), 'link.json']) {
      const error = inputError(() => readCustomMessageSource({ message: '', messageFile: file }, workspace))
      expect(error.input).toBe('message-file')
      expect(error.message).toMatch(/is outside the workspace/)
    }
    expect(
      inputError(() => readCustomMessageSource({ message: '', messageFile: 'nope.yml' }, workspace)).message,
    ).toMatch(/does not exist in the workspace .*actions\/checkout/)
    expect(
      inputError(() => readCustomMessageSource({ message: '', messageFile: 'message.txt' }, workspace)).message,
    ).toMatch(/must be a \.json, \.yaml or \.yml file/)
    expect(
      inputError(() => readCustomMessageSource({ message: '', messageFile: '.github' }, workspace)).message,
    ).toMatch(/is not a file/)
  })

  test('${{ }} in a file is explained: the runner does not evaluate it there', () => {
    const error = inputError(() => buildCustom({ message: '', messageFile: 'uses-dollar.yml', workspace, context }))
    expect(error.message).toMatch(/uses \$\{\{ … \}\}.*\{\{ github\.sha \}\}/)
  })
})

describe('parsing', () => {
  test('JSON and YAML both give the message object', () => {
    expect(parseCustomMessage({ input: 'message', text: '{"text": "hi"}', format: 'yaml' })).toEqual({ text: 'hi' })
    expect(parseCustomMessage({ input: 'message', text: 'text: hi\n', format: 'yaml' })).toEqual({ text: 'hi' })
    expect(parseCustomMessage({ input: 'message', text: '{text: hi}', format: 'yaml' })).toEqual({ text: 'hi' })
  })

  test.each([
    ['', /is empty/],
    ['hello there', /is plain text; expected a Chat message object/],
    ['- a\n- b', /is a list/],
    ['42', /is a number/],
    ['text: [1', /is not valid YAML or JSON: .* at line 1, column 9\. If a \$\{\{ … \}\} expression put event text/],
    ['text: a\ntext: b', /Map keys must be unique at line 2, column 1/],
    ['text: {{ github.sha }}', /quote values that start with \{\{, e\.g\. text: '\{\{ github\.sha \}\}'/],
  ])('%j is refused', (text, message) => {
    const error = inputError(() => parseCustomMessage({ input: 'message', text, format: 'yaml' }))
    expect(error.input).toBe('message')
    expect(error.message).toMatch(message)
    expect(error.message).not.toContain('\n')
  })

  test('a .json file must be JSON', () => {
    expect(
      inputError(() => parseCustomMessage({ input: 'message-file', text: 'text: a', format: 'json' })).message,
    ).toMatch(/^Input 'message-file' is not valid JSON: /)
  })
})

describe('buildCustomMessage', () => {
  test('a YAML file: placeholders filled after parsing, each escaped for its field', () => {
    const built = buildCustom({ message: '', messageFile: '.github/chat/deploy.yaml', workspace, context })
    expect(built?.input).toBe('message-file')
    const message = built!.message
    expect(message.text?.replaceAll(ZWSP, '')).toBe(`Deploy of ${SHA}: ${COMMIT}`)
    expect(message.text).not.toContain('<users/all>')
    const card = message.cardsV2![0]!.card!
    expect(card.header?.title).toBe('Deploy failure')
    const widgets = card.sections![0]!.widgets!
    expect(decodeEntities(widgets[0]!.decoratedText!.text!)).toBe(COMMIT)
    expect(widgets[0]!.decoratedText!.text).not.toMatch(/[<>"]/)
    expect(widgets[1]!.buttonList!.buttons![0]!.onClick!.openLink!.url).toBe('https://app.example.com/d/1')
  })

  test('the message input as JSON: a value cannot break out of its string', () => {
    const message = '{"text": "{{ github.event.head_commit.message }}", "fallbackText": "x"}'
    const built = buildCustom({ message, messageFile: '', workspace, context })
    expect(built?.input).toBe('message')
    expect(Object.keys(built!.message)).toEqual(['text', 'fallbackText', 'markupSyntax'])
    expect(built!.message.text?.replaceAll(ZWSP, '')).toBe(COMMIT)
  })

  test('missing placeholders name the input', () => {
    const error = inputError(() =>
      buildCustom({ message: 'text: "{{ env.NOPE }}"', messageFile: '', workspace, context }),
    )
    expect(error.message).toMatch(
      /^Input 'message' has placeholders with no value: \{\{ env\.NOPE \}\} \(at message\.text\)/,
    )
  })
})
