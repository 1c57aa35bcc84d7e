const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{a as t,c as a}from"./chunk-KCK5WQYC.js";import"./chunk-QZ4BOUNK.js";import{b as f,j as e}from"./chunk-JAV2XWSF.js";var o=f(()=>{e();a()});o();export{t as default};
