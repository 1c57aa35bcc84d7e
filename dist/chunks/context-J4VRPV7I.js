const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a,b}from"./chunk-5INOX2YG.js";import"./chunk-BQQBXENC.js";import"./chunk-2TBH3LT2.js";export{b as lookup,a as templateContext};
