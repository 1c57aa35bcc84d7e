const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-3W543EMC.js";import"./chunk-LK7GUAKW.js";import"./chunk-JAV2XWSF.js";export{b as lookup,a as templateContext};
