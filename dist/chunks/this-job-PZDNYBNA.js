const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b,c,d,e}from"./chunk-JCVNYM2N.js";import"./chunk-JAV2XWSF.js";export{b as findThisJob,e as isPostStep,d as isSettled,c as jobOutcome,a as toRunJob};
