const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-XPBB4WFO.js";import"./chunk-D7MMV6AO.js";import"./chunk-2TBH3LT2.js";export{a as fetchWorkflowJobs,b as listAttemptJobs};
