const require=process.getBuiltinModule('node:module').createRequire(import.meta.url);
import{j as t}from"./chunk-JAV2XWSF.js";t();var n=class extends Error{input;constructor(r,s){super(`Input '${r}' ${s}`),this.name="InputError",this.input=r}},e=class extends Error{constructor(r,s){super(r,s),this.name="DeliveryError"}};export{n as a,e as b};
