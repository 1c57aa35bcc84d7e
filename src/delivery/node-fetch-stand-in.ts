// What `import('node-fetch')` gives gaxios in dist/ (scripts/build.ts): the action's fetch. gaxios falls back to
// node-fetch for the clients google-auth-library builds without our transporter options (its STS client).
export { fetch as default } from './google-fetch.ts'
