// https-proxy-agent as an ES module with its named export. A split bundle hands a CommonJS package loaded with
// import() over as `default` only; this file is what https-transport.ts, and gaxios in dist/, import instead.
export { HttpsProxyAgent } from 'https-proxy-agent'
