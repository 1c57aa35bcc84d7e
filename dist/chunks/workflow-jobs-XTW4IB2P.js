const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-25ESI3HU.js";import"./chunk-3OZFEAWN.js";import"./chunk-JAV2XWSF.js";export{a as fetchWorkflowJobs,b as listAttemptJobs};
