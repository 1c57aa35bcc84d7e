const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{b as f,l as t,n as a,o as e}from"./chunk-2TBH3LT2.js";var o=f(()=>{e();a()});o();export{t as default};
