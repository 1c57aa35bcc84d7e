const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-SETRMTN7.js";import"./chunk-6755AZ67.js";import"./chunk-JAV2XWSF.js";export{b as lookup,a as templateContext};
