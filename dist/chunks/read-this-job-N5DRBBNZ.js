const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c}from"./chunk-ES2GZHMK.js";import"./chunk-JCVNYM2N.js";import"./chunk-25ESI3HU.js";import"./chunk-3OZFEAWN.js";import"./chunk-JAV2XWSF.js";export{a as DEFAULT_RETRY_DELAYS_MS,b as readThisJob,c as readThisJobFromGitHub};
