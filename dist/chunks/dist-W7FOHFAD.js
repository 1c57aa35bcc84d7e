const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a}from"./chunk-CH6WFUEW.js";import"./chunk-YQGYO64K.js";export default a();
