// esbuild's `inject` file for dist/ (scripts/build.ts): every bundled module that names one of these globals gets
// this module's export instead, so the Google libraries never touch Node's fetch stack. Nothing else exports here.
export { FormData, Headers, ReadableStream } from './google-fetch.ts'
