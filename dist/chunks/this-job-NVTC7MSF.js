const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-NNASGODA.js";import"./chunk-2TBH3LT2.js";export{b as findThisJob,e as isPostStep,d as isSettled,c as jobOutcome,a as toRunJob};
