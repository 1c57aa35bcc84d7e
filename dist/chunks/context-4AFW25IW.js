const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-MCR7WOEA.js";import"./chunk-F54D2V5L.js";import"./chunk-YQGYO64K.js";export{b as lookup,a as templateContext};
