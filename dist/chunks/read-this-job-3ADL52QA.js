const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c}from"./chunk-TTQEPHBS.js";import"./chunk-NNASGODA.js";import"./chunk-XPBB4WFO.js";import"./chunk-D7MMV6AO.js";import"./chunk-2TBH3LT2.js";export{a as DEFAULT_RETRY_DELAYS_MS,b as readThisJob,c as readThisJobFromGitHub};
